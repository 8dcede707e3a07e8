"""Pages that change the organisation: preview, then save, through the one writer (``services``).

Each form posts twice: first to preview (what changes, and which org-health findings appear or
go), then with ``confirm`` to save. Access is asked of the one rule (``Viewer``): HR and admin
edit; a person states their own preferred track; anyone else gets 403 and nothing changes.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from trellis.access import Right
from trellis.lib.problems import InputError
from trellis.org.edit import PersonEdit, TeamEdit
from trellis.web.health.visibility import Visibility
from trellis.web.ladders.services import active_ladder
from trellis.web.org import queries, services, timeline
from trellis.web.org.access import Viewer
from trellis.web.org.forms import PersonEditForm, PreferredTrackForm, TeamEditForm
from trellis.web.org.models import Person


def _roles(text: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in (t.strip() for t in text.split(";") if t.strip()):
        role, _, team = item.partition("@")
        pairs.append((role.strip().lower(), team.strip()))
    return tuple(pairs)


def _person_or_404(external_id: str) -> Person:
    return queries.person_view_target(external_id)


def _render_outcome(request: HttpRequest, template: str, context: dict[str, object],
                    outcome: services.EditOutcome | None) -> HttpResponse:
    if outcome is not None:
        # In words, with names instead of ids, in the order they happen (the preview is the viewer's own edit).
        context["entries"] = list(reversed(timeline.entries(outcome.plan.changes, active_ladder(), private=True)))
    if outcome is not None and outcome.health is not None:
        visibility = Visibility(request.user)
        context["appear"] = visibility.findings(outcome.health.appeared)
        context["go"] = visibility.findings(outcome.health.disappeared)
    context["outcome"] = outcome
    return render(request, template, context, status=400 if context.get("problems") else 200)


def edit_person(request: HttpRequest, external_id: str) -> HttpResponse:
    person = _person_or_404(external_id)
    viewer = Viewer.of(request.user)
    viewer.require(Right.EDIT_PERSON, person.external_id)
    initial = {"level": person.level, "manager_id": person.manager.external_id if person.manager else "",
               "dotted_manager_ids": ";".join(sorted(d.manager.external_id for d in person.dotted_lines.all())),
               "team": person.team.name if person.team else "", "preferred_track": person.preferred_track}
    form = PersonEditForm(request.POST or None, initial=initial)
    context: dict[str, object] = {"person": person, "form": form, "pending": services.pending_for(external_id)}
    if request.method != "POST" or not form.is_valid():
        return render(request, "org/edit_person.html", context, status=400 if request.method == "POST" else 200)
    data = form.cleaned_data
    edit = PersonEdit(
        person.external_id, level=data["level"] or None, manager_id=data["manager_id"].strip(),
        dotted_manager_ids=tuple(d for d in data["dotted_manager_ids"].split(";") if d.strip()),
        team=data["team"].strip(), add_roles=_roles(data["add_role"]), remove_roles=_roles(data["remove_role"]),
        preferred_track=data["preferred_track"] or None, leave=data["status"] == "leave",
        rejoin=data["status"] == "return")
    confirm = "confirm" in request.POST
    try:
        outcome = services.edit_person(edit, viewer=viewer, user=request.user, reason=data["reason"],
                                       as_of=data["as_of"], dry_run=not confirm)
    except InputError as exc:
        context["problems"] = exc.problems
        return _render_outcome(request, "org/edit_person.html", context, None)
    if outcome.applied:
        return redirect(reverse("org-person", args=[person.external_id]) + "?saved=1")
    return _render_outcome(request, "org/edit_person.html", context, outcome)


def preferred_track(request: HttpRequest, external_id: str) -> HttpResponse:
    """A person states their own preferred track (HR and admin may record it for them)."""
    person = _person_or_404(external_id)
    viewer = Viewer.of(request.user)
    viewer.require(Right.EDIT_PREFERRED_TRACK, person.external_id)
    form = PreferredTrackForm(request.POST or None, initial={"preferred_track": person.preferred_track})
    context: dict[str, object] = {"person": person, "form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "org/preferred_track.html", context, status=400 if request.method == "POST" else 200)
    reason = form.cleaned_data["reason"].strip() or "stated by the person"
    try:
        services.edit_person(PersonEdit(person.external_id, preferred_track=form.cleaned_data["preferred_track"]),
                             viewer=viewer, user=request.user, reason=reason, health=False)
    except InputError as exc:
        context["problems"] = exc.problems
        return render(request, "org/preferred_track.html", context, status=400)
    return redirect(reverse("org-person", args=[person.external_id]) + "?saved=1")


def edit_team(request: HttpRequest, key: str) -> HttpResponse:
    team = queries.find_team(key)
    viewer = Viewer.of(request.user)
    if not viewer.privileged:
        raise PermissionDenied("only HR and admin may change a team")
    form = TeamEditForm(request.POST or None, initial={"name": team.name, "department": team.department})
    context: dict[str, object] = {"team": team, "form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "org/edit_team.html", context, status=400 if request.method == "POST" else 200)
    data = form.cleaned_data
    try:
        outcome = services.edit_team(TeamEdit(team.name, name=data["name"], department=data["department"]),
                                     viewer=viewer, user=request.user, reason=data["reason"], as_of=data["as_of"],
                                     dry_run="confirm" not in request.POST)
    except InputError as exc:
        context["problems"] = exc.problems
        return _render_outcome(request, "org/edit_team.html", context, None)
    if outcome.applied:
        return redirect(reverse("org-team", args=[data["name"]]) + "?saved=1")
    return _render_outcome(request, "org/edit_team.html", context, outcome)
