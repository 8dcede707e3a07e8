"""The organisation as it was on a past date: the current state with later changes undone.

The database keeps the current state and every change with its effective date.
Undoing the changes effective after a date, newest first, gives the organisation on
that date; role spans carry their own dates and are simply filtered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

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


# -- the first import as a baseline ---------------------------------------------------------------
#
# The first import records no change per person, team and role: what it found was there before
# the records began. Its entries in a history ("joined", "team created", "role taken on" on the
# day the records begin, a role dated by the file's ``since``) are worked out when a history is
# read, from the current state and the changes recorded since, exactly as the rows it no longer
# writes would have said them.


def team_at_start(name: str, renames: Sequence[Change]) -> str:
    """A team's name when the records began, from its current name and the renames since (oldest first)."""
    for event in reversed(renames):
        if event.kind == "team-renamed" and name == event.new and event.old:
            name = event.old
    return name


def person_at_start(person_id: str, name: str, team: str | None,
                    later: Sequence[Change]) -> tuple[str, str | None] | None:
    """A person's name and team when the records began, from their current ones and the changes
    recorded since (theirs and the teams' renames, oldest first); None when they joined later."""
    for event in reversed(later):
        if event.kind == "team-renamed":
            if team is not None and team == event.new and event.old:
                team = event.old
        elif event.person_id == person_id:
            if event.kind == "joined":
                return None
            if event.kind == "name-changed":
                name = event.old or ""
            elif event.kind == "team-changed":
                team = event.old
    return name, team


@dataclass(frozen=True)
class HeldRole:
    """A role as stored now: its holder, its team's current name, the role and its start."""

    person_id: str
    team: str
    role: str
    start: date | None


def started_later(role: HeldRole, gained: Sequence[Change]) -> bool:
    """Whether a change recorded since the records began started ``role`` (its ``role-gained``, dated
    at its start); a role without one was held when the records began."""
    return role.start is not None and any(
        e.kind == "role-gained" and e.person_id == role.person_id and e.effective == role.start
        and (e.new or "").partition("@")[0] == role.role for e in gained)


def baseline_entries(begins: date, source: str | None, *, team: tuple[str, str | None] | None = None,
                     members: Sequence[tuple[str, str, str | None]] = (),
                     roles: Sequence[tuple[HeldRole, str]] = ()) -> list[Change]:
    """The first import's entries, in the order its rows had: by date, then the team's creation,
    the people who were there (in ``members``' order, the file's), then the roles by holder and kind.

    ``team``: (its name then, its department then), when the team was there; ``members``: (id, name
    then, team then); ``roles``: each role held then, with its team's name then."""
    found: list[tuple[tuple[Any, ...], Change]] = []
    if team is not None:
        found.append(((begins, 0), Change("team-created", begins, team=team[0], new=team[1], source=source)))
    for i, (pid, name, team_then) in enumerate(members):
        found.append(((begins, 1, i), Change("joined", begins, person_id=pid, team=team_then, new=name,
                                             source=source)))
    for held, team_then in roles:
        effective = held.start or begins
        found.append(((effective, 2, held.person_id, team_then, held.role),
                      Change("role-gained", effective, person_id=held.person_id, team=team_then,
                             new=f"{held.role}@{team_then}", source=source)))
    found.sort(key=lambda pair: pair[0])
    return [change for _, change in found]
