"""Growth's forms. Plain HTML forms: they work with no script at all."""

from __future__ import annotations

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
