"""The organisation as it was on a past date: the current state with later changes undone.

The database keeps the current state and every change with its effective date.
Undoing the changes effective after a date, newest first, gives the organisation on
that date; role spans carry their own dates and are simply filtered.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from trellis.org.model import Change, OrgSnapshot, Person, RoleSpan, Team


def _undo_person(person: Person, event: Change) -> Person | None:
    """The person before ``event``; None when the event is their arrival."""
    kind, old = event.kind, event.old
    if kind == "joined":
        return None
    if kind == "left":
        return replace(person, active=True)
    if kind == "rejoined":
        return replace(person, active=False)
    if kind == "level-changed":
        return replace(person, level=old or person.level, level_since=event.old_since)
    if kind == "preferred-track-changed":
        return replace(person, preferred_track=old or "undecided")
    if kind == "team-changed":
        return replace(person, team=old)
    if kind == "manager-changed":
        return replace(person, manager_id=old)
    if kind == "dotted-changed":
        return replace(person, dotted_manager_ids=tuple(old.split(";")) if old else ())
    if kind == "name-changed":
        return replace(person, name=old or "")
    if kind == "email-changed":
        return replace(person, email=old or "")
    if kind == "reports-outside-changed":
        return replace(person, reports_outside=old == "yes")
    return person  # track-changed follows the level; role events are in the spans' own dates


def rewind(current: OrgSnapshot, events: list[Change], to: date) -> OrgSnapshot:
    """The organisation on ``to``, from the current state and the events (in the order they happened)."""
    people = dict(current.people)
    teams = dict(current.teams)
    renamed = undo(people, teams, events, to)
    roles: list[RoleSpan] = []
    for span in current.roles:
        if span.person_id not in people or (span.start is not None and span.start > to):
            continue
        if span.end is not None and span.end > to:
            span = replace(span, end=None)  # on that day nobody knew it would end
        if span.team in renamed:
            span = replace(span, team=renamed[span.team])
        if span.team not in teams:
            teams[span.team] = Team(span.team)  # a role dated before its team was recorded
        roles.append(span)
    return OrgSnapshot(as_of=to, people=people, teams=teams, roles=roles)


def undo(people: dict[str, Person], teams: dict[str, Team], events: list[Change], to: date) -> dict[str, str]:
    """Undo in ``people`` and ``teams`` (changed in place) the events effective after ``to``, newest
    first; return the teams renamed since, each current name with its name on ``to``. Role spans
    carry their own dates: ``rewind`` filters them."""
    later = [e for e in events if e.effective > to]
    renamed: dict[str, str] = {}  # a team's current name -> its name on ``to``
    for event in reversed(later):
        if event.person_id is not None and event.kind not in ("role-gained", "role-lost"):
            person = people.get(event.person_id)
            if person is None:
                continue
            before = _undo_person(person, event)
            if before is None:
                del people[event.person_id]
            else:
                people[event.person_id] = before
        elif event.kind == "team-created" and event.team is not None:
            teams.pop(event.team, None)
        elif event.kind == "department-changed" and event.team is not None and event.team in teams:
            teams[event.team] = replace(teams[event.team], department=event.old)
        elif event.kind == "team-renamed" and event.old and event.new and event.new in teams:
            old, new = event.old, event.new
            teams[old] = replace(teams.pop(new), name=old)
            for pid, p in list(people.items()):
                if p.team == new:
                    people[pid] = replace(p, team=old)
            renamed = {current: (old if then == new else then) for current, then in renamed.items()}
            renamed.setdefault(new, old)
    return renamed
