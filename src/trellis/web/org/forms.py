"""Forms for editing the organisation: the fields of ``trellis.org.edit``, named as in the file."""

from __future__ import annotations

from django import forms

from trellis.org.model import PREFERRED_TRACKS

TRACKS = [(t, t.capitalize()) for t in PREFERRED_TRACKS]


class PersonEditForm(forms.Form):
    level = forms.CharField(required=False, help_text="A level id of the active ladder.")
    manager_id = forms.CharField(required=False, label="Manager id", help_text="Empty: no manager.")
    dotted_manager_ids = forms.CharField(required=False, label="Dotted-line manager ids",
                                         help_text="Separated by ';'.")
    team = forms.CharField(required=False, help_text="Empty: no team.")
    add_role = forms.CharField(required=False, label="Give a role", help_text="ROLE@TEAM, e.g. tech_lead@Payments.")
    remove_role = forms.CharField(required=False, label="Take a role away", help_text="ROLE@TEAM.")
    preferred_track = forms.ChoiceField(choices=TRACKS, required=False)
    status = forms.ChoiceField(choices=[("", "no change"), ("leave", "mark as left"), ("return", "mark as back")],
                               required=False, label="Works here")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), help_text="Kept in the history.")
    as_of = forms.DateField(required=False, label="Effective date",
                            widget=forms.DateInput(attrs={"type": "date"}),
                            help_text="Today unless a past day is given (a correction); never the future.")


class PreferredTrackForm(forms.Form):
    preferred_track = forms.ChoiceField(choices=TRACKS, widget=forms.RadioSelect)
    reason = forms.CharField(required=False, label="Why (optional)", widget=forms.Textarea(attrs={"rows": 2}))


class TeamEditForm(forms.Form):
    name = forms.CharField()
    department = forms.CharField(required=False)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), help_text="Kept in the history.")
    as_of = forms.DateField(required=False, label="Effective date", widget=forms.DateInput(attrs={"type": "date"}))
