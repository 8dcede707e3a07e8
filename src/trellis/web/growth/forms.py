"""Growth's forms. Plain HTML forms: they work with no script at all."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from trellis.growth.evidence import KINDS, EvidenceItem
from trellis.ladder.model import Ladder


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(choices=KINDS)
    date = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    title = forms.CharField(max_length=300)
    link = forms.CharField(max_length=1000, required=False, widget=forms.URLInput(attrs={"placeholder": "https://"}))
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    competencies = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    signals = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: object, ladder: Ladder, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["competencies"].choices = [(c.id, c.name) for c in ladder.competencies]  # type: ignore[attr-defined]
        self.fields["signals"].choices = [(s.id, s.text) for s in ladder.signals]  # type: ignore[attr-defined]

    def item(self, person_id: str) -> EvidenceItem:
        d = self.cleaned_data
        return EvidenceItem(person_id, d["kind"], d["date"], d["title"], d["link"], d["notes"],
                            tuple(d["competencies"]), tuple(d["signals"]))


class UploadForm(forms.Form):
    file = forms.FileField()


def ratings_from(data: Any, prefix: str, competencies: Iterable[str]) -> dict[str, str]:
    """``rating-craft=proficient`` fields of a posted form, for the competencies asked about."""
    return {c: str(data.get(f"{prefix}-{c}", "")).strip() for c in competencies}


def texts_from(data: Any, prefix: str, keys: Iterable[str]) -> dict[str, str]:
    return {k: str(data.get(f"{prefix}-{k}", "")).strip() for k in keys}


class CycleForm(forms.Form):
    name = forms.CharField(max_length=200)
    period_start = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    period_end = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    self_due = forms.DateField(required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    review_due = forms.DateField(required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    peer_due = forms.DateField(required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    teams = forms.CharField(required=False, help_text="team names separated by ';' (empty: all)")
    departments = forms.CharField(required=False, help_text="departments separated by ';'")
    levels = forms.CharField(required=False, help_text="level ids separated by ';'")
    tracks = forms.CharField(required=False, help_text="track ids separated by ';'")
    anonymous_peers = forms.BooleanField(required=False, initial=True, label="Peer feedback is anonymous")
    peer_limit = forms.IntegerField(required=False, min_value=1, help_text="empty: the policy's limit")

    def rule(self) -> dict[str, list[str]]:
        return {k: [v.strip() for v in self.cleaned_data[k].split(";") if v.strip()]
                for k in ("teams", "departments", "levels", "tracks")}
