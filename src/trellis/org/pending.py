"""Imports against edits made inside Trellis: which pending values a file confirms, which it contradicts.

An edit's values stay pending until an imported file agrees (the HR system has caught up).
A file that holds a different value is a *conflict*: the import is refused unless told which
side wins. ``keep_trellis`` rewrites the file's organisation so that Trellis's values win
(they stay pending); with the file winning, nothing is rewritten and the edits are reverted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from trellis.lib import clock
from trellis.org.edit import (
    ACTIVE,
    DOTTED,
    HELD,
    LEVEL,
    LIST_SEPARATOR,
    MANAGER,
    NO,
    NOT_HELD,
    PREFERRED,
    TEAM,
    YES,
    Pending,
    parse_role_field,
)
from trellis.org.model import OrgSnapshot, RoleSpan

# An edit an approved proposal made names it as its origin: "proposal 12, approved by hannah".
PROPOSAL_ORIGIN = re.compile(r"^proposal (\d+)\b")

FIELD_WORDS = {LEVEL: "level", MANAGER: "manager", DOTTED: "dotted lines", TEAM: "team",
               PREFERRED: "preferred track", ACTIVE: "works here", "department": "department", "name": "name"}


@dataclass(frozen=True)
class PendingEdit:
    """A pending value with the edit that set it."""

    value: Pending
    edit_id: int
    by: str  # who made the edit ("the command line" when nobody signed in)
    at: datetime
    reason: str
    # Where the edit came from besides a person's hand ("proposal 12, approved by hannah") and the
    # day it took effect: what an approved proposal changed is applied on its effective date.
    origin: str = ""
    effective: date | None = None

    @property
    def proposal(self) -> int | None:
        """The approved proposal that set this value, or None for an edit made by hand."""
        found = PROPOSAL_ORIGIN.match(self.origin)
        return int(found.group(1)) if found else None

    def source_words(self) -> str:
        """Who set the value and when: the edit, or the proposal that was applied."""
        if self.proposal is not None:
            on = self.effective.isoformat() if self.effective is not None else clock.day_of(self.at).isoformat()
            return f"{self.origin}, applied on {on}"
        return f"changed by {self.by} on {clock.day_of(self.at).isoformat()}: {self.reason}"

    def field_words(self) -> str:
        role = parse_role_field(self.value.field)
        if role is not None:
            return f"{role[0].replace('_', ' ')} of {role[1]}"
        return FIELD_WORDS.get(self.value.field, self.value.field)

    def shown(self, value: str) -> str:
        if self.value.field == "name":
            return value
        return value or "none"


@dataclass(frozen=True)
class Conflict:
    pending: PendingEdit
    file_value: str

    @property
    def subject(self) -> str:
        return self.pending.value.subject

    @property
    def trellis_value(self) -> str:
        p = self.pending.value
        return p.subject.removeprefix("team:") if p.field == "name" else p.value

    @property
    def reverts_proposal(self) -> bool:
        """Whether taking the file would undo what an approved proposal changed."""
        return self.pending.proposal is not None

    def describe(self) -> str:
        p = self.pending
        said = (f"{self.subject}: {p.field_words()} is {p.shown(self.trellis_value)} in Trellis ({p.source_words()}) "
                f"but {p.shown(self.file_value)} in the file")
        if self.reverts_proposal:
            said += ": the file would revert an applied promotion or track change"
        return said

    def to_dict(self) -> dict[str, str]:
        p = self.pending
        found = {"subject": self.subject, "field": p.value.field, "trellis_value": self.trellis_value,
                 "file_value": self.file_value, "changed_by": p.by, "changed_at": p.at.isoformat(),
                 "reason": p.reason}
        if p.proposal is not None:
            found.update(proposal=str(p.proposal), origin=p.origin,
                         applied_on=p.effective.isoformat() if p.effective is not None else "")
        return found


def reverted_proposals(conflicts: list[Conflict]) -> list[tuple[int, str]]:
    """Each applied proposal the conflicts would revert, once, in order: (its id, "proposal 12,
    approved by hannah, applied on 2026-03-01")."""
    found: dict[int, str] = {}
    for c in conflicts:
        if c.pending.proposal is not None:
            found.setdefault(c.pending.proposal, c.pending.source_words())
    return list(found.items())


def file_value(incoming: OrgSnapshot, pending: Pending, columns: frozenset[str] | None) -> str | None:
    """What the file says about the pending value's field, as the same kind of text; None when it says nothing."""
    subject, name = pending.subject, pending.field
    if subject.startswith("team:"):
        team = subject.removeprefix("team:")
        if name == "department":
            known = incoming.teams.get(team)
            return None if known is None or known.department is None else known.department
        if name == "name":  # pending.value is the old name: a file that still uses it has not caught up
            if team in incoming.teams:
                return team
            return pending.value if pending.value in incoming.teams else None
        return None
    person = incoming.people.get(subject)
    if name == ACTIVE:
        return YES if person is not None and person.active else NO
    if person is None:
        return None  # the file does not list them: it says nothing about their fields
    if name == LEVEL:
        return person.level
    if name == MANAGER:
        return person.manager_id or ""
    if name == DOTTED:
        return LIST_SEPARATOR.join(person.dotted_manager_ids)
    if name == TEAM:
        return person.team or ""
    if name == PREFERRED:
        return person.preferred_track if columns is None or PREFERRED in columns else None
    role = parse_role_field(name)
    if role is not None:
        held = any(s.person_id == subject and s.role == role[0] and s.team == role[1] for s in incoming.roles)
        return HELD if held else NOT_HELD
    return None


def _agrees(pending: Pending, said: str) -> bool:
    if pending.field == "name":
        return said == pending.subject.removeprefix("team:")
    return said == pending.value


def reconcile(pending: list[PendingEdit], incoming: OrgSnapshot,
              columns: frozenset[str] | None = None) -> tuple[list[PendingEdit], list[Conflict]]:
    """(values the file confirms, conflicts); values the file says nothing about are in neither."""
    confirmed: list[PendingEdit] = []
    conflicts: list[Conflict] = []
    for p in pending:
        said = file_value(incoming, p.value, columns)
        if said is None:
            continue
        if _agrees(p.value, said):
            confirmed.append(p)
        else:
            conflicts.append(Conflict(p, said))
    return confirmed, conflicts


def keep_trellis(incoming: OrgSnapshot, current: OrgSnapshot, conflicts: list[Conflict]) -> OrgSnapshot:
    """The file's organisation with Trellis's value wherever they conflict."""
    people = dict(incoming.people)
    teams = dict(incoming.teams)
    roles = list(incoming.roles)
    for c in conflicts:
        p = c.pending.value
        subject = p.subject
        if subject.startswith("team:"):
            name = subject.removeprefix("team:")
            if p.field == "department" and name in teams:
                teams[name] = replace(teams[name], department=current.teams[name].department)
            elif p.field == "name" and p.value in teams:
                old = p.value
                teams[name] = replace(teams.pop(old), name=name)
                people = {pid: replace(x, team=name) if x.team == old else x for pid, x in people.items()}
                roles = [replace(s, team=name) if s.team == old else s for s in roles]
            continue
        now = current.people.get(subject)
        if now is None:
            continue
        if p.field == ACTIVE:
            if p.value == YES:
                people[subject] = now
                roles.extend(RoleSpan(s.person_id, s.team, s.role, s.start) for s in current.roles
                             if s.person_id == subject and s.end is None)
            else:
                people.pop(subject, None)
                roles = [s for s in roles if s.person_id != subject]
                # Their reports in the file keep the managers Trellis gave them when they left.
                people = {pid: replace(x, manager_id=current.people[pid].manager_id)
                          if x.manager_id == subject and pid in current.people else x for pid, x in people.items()}
            continue
        person = people.get(subject)
        if person is None:
            continue
        if p.field == LEVEL:
            people[subject] = replace(person, level=now.level, level_since=now.level_since)
        elif p.field == MANAGER:
            people[subject] = replace(person, manager_id=now.manager_id)
        elif p.field == DOTTED:
            people[subject] = replace(person, dotted_manager_ids=now.dotted_manager_ids)
        elif p.field == TEAM:
            people[subject] = replace(person, team=now.team)
        elif p.field == PREFERRED:
            people[subject] = replace(person, preferred_track=now.preferred_track)
        else:
            role = parse_role_field(p.field)
            if role is None:
                continue
            if p.value == HELD:
                start = next((s.start for s in current.roles if s.person_id == subject and s.role == role[0]
                              and s.team == role[1] and s.end is None), None)
                roles.append(RoleSpan(subject, role[1], role[0], start))
            else:
                roles = [s for s in roles if not (s.person_id == subject and s.role == role[0] and s.team == role[1])]
    return incoming.evolve(people=people, teams=teams, roles=roles)


def renames_to_revert(conflicts: list[Conflict]) -> list[tuple[str, str]]:
    """(current name, the file's name) for each team rename the file reverts."""
    return [(c.subject.removeprefix("team:"), c.pending.value.value) for c in conflicts
            if c.pending.value.field == "name"]


def revert_renames(current: OrgSnapshot, renames: list[tuple[str, str]]) -> OrgSnapshot:
    teams = dict(current.teams)
    people = current.people
    roles = current.roles
    for new, old in renames:
        if new not in teams or old in teams:
            continue
        teams[old] = replace(teams.pop(new), name=old)
        people = {pid: replace(x, team=old) if x.team == new else x for pid, x in people.items()}
        roles = [replace(s, team=old) if s.team == new else s for s in roles]
    return current.evolve(people=people, teams=teams, roles=roles)


