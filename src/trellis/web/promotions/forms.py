"""The forms of the promotion pages: what a person types, checked for shape; the rules are in services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from trellis.ladder.model import Ladder
from trellis.promotions.rules import Handover, parse_handover


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ProposalForm(forms.Form):
    person = forms.CharField(label="Person (id)", max_length=100)
    level = forms.ChoiceField(label="Target level")
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    evidence_entries = forms.TypedMultipleChoiceField(
        label="Evidence from the person's log", coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Entries of their evidence log you may see; everyone who sees the proposal sees those you pick.")
    evidence = forms.CharField(label="Other evidence, one per line", required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    effective = forms.DateField(label="Effective date", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    handovers = forms.CharField(label="Handovers, one per line as ROLE@TEAM=PERSON", required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    reviewers = forms.CharField(label="Reviewers (ids, separated by spaces)", required=False)

    def __init__(self, *args: object, ladder: Ladder, entries: Sequence[Any] = (), **kwargs: object):
        """``entries``: the evidence log entries of the person the viewer may pick from."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["level"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(lvl.id, f"{lvl.title} ({ladder.track(lvl.track).name})") for lvl in ladder.levels]
        picked = self.fields["evidence_entries"]
        assert isinstance(picked, forms.ChoiceField)
        picked.choices = [(e.pk, f"{e.date.isoformat()} · {e.get_kind_display()} · {e.title}") for e in entries]

    def clean_evidence(self) -> list[str]:
        return _lines(self.cleaned_data["evidence"])

    def clean_handovers(self) -> list[Handover]:
        from trellis.promotions.rules import Refused

        try:
            return [parse_handover(line) for line in _lines(self.cleaned_data["handovers"])]
        except Refused as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_reviewers(self) -> list[str]:
        return self.cleaned_data["reviewers"].replace(",", " ").split()


class CommentForm(forms.Form):
    text = forms.CharField(label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    vote = forms.ChoiceField(choices=[("", "No vote"), ("approve", "Approve"), ("decline", "Decline")],
                             required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    effective = forms.DateField(label="Effective date", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(required=False)


class GroupForm(forms.Form):
    group = forms.CharField(label="Your group, in your own words (leave empty to remove it)", max_length=100,
                            required=False)
