"""What an import would change: the file is the whole organisation.

``plan_import`` compares the organisation now with the one in a file and returns every
change with its effective date, the organisation afterwards, and counts for a preview.
Nothing is written here; the database layer applies a plan it was shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from operator import attrgetter
from typing import Any

from trellis.ladder.model import Ladder
from trellis.lib.problems import Problem
from trellis.org.model import CHANGE_KINDS, Change, OrgSnapshot, Person, RoleSpan, Team

# How each kind reads in a summary ("3 people promoted or moved level").
KIND_WORDS: dict[str, str] = {
    "joined": "joined",
    "left": "marked as left",
    "rejoined": "back after leaving",
    "level-changed": "level changed",
    "track-changed": "track changed",
    "preferred-track-changed": "preferred track changed",
    "team-changed": "moved team",
    "manager-changed": "new manager",
    "dotted-changed": "dotted lines changed",
    "role-gained": "role gained",
    "role-lost": "role lost",
    "name-changed": "name changed",
    "email-changed": "email changed",
    "team-created": "new team",
    "department-changed": "department changed",
    "team-renamed": "team renamed",
    "reports-outside-changed": "reporting outside the organisation changed",
}


def future_import_date(day: date, today: date, where: str) -> Problem | None:
    """An import dated after today is refused: its changes would be recorded as happening later
    while the organisation changed at once, leaving it half-changed until that day."""
    if day <= today:
        return None
    return Problem(where, None, f"{day.isoformat()} is after today ({today.isoformat()}): an import records the "
                                "organisation as it is, so date it today or earlier, and import a change that is "
                                "coming on the day it happens")


DEFAULT_MASS_LEAVE_SHARE = 0.10


def parse_share(text: str) -> float:
    """A share of the organisation: a fraction from 0 to 1 (``0.1``) or a percentage (``10%``).

    Raises ``ValueError`` with a message that says what to write."""
    written = text.strip()
    number = written[:-1].strip() if written.endswith("%") else written
    try:
        value = float(number)
    except ValueError:
        value = float("nan")
    if written.endswith("%"):
        value /= 100
    if not 0 <= value <= 1:  # also false for nan
        raise ValueError(f"'{text}' is not a share of the organisation: write a fraction from 0 to 1 (0.1) "
                         "or a percentage from 0% to 100% (10%)")
    return value


def percent(share: float) -> str:
    """``0.1`` -> ``10%``, ``0.125`` -> ``12.5%``: a policy share as people write it."""
    return f"{round(share * 100, 2):g}%"


def role_label(span: RoleSpan) -> str:
    return f"{span.role}@{span.team}"


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def dotted_label(ids: tuple[str, ...]) -> str | None:
    return ";".join(ids) if ids else None


_ACTIVE = attrgetter("active")


@dataclass
class ImportPlan:
    """The changes an import makes, the organisation after it, and figures for a preview."""

    changes: list[Change]
    result: OrgSnapshot
    leaving: int  # active people the file no longer lists
    headcount: int  # people active before the import
    # Values edited in Trellis that the file contradicts (trellis.org.pending.Conflict), set by the caller.
    conflicts: list[Any] = field(default_factory=list)
    # Active people the file lists exactly as they are stored, left out of both sides of the comparison
    # (and so of ``result``: a re-import compares only the rows that changed).
    untouched: int = 0
    # Once written (``written``): the people active after the import, whose organisation is then left out.
    active_written: int | None = None

    @property
    def active_after(self) -> int:
        """The people active once the import is written."""
        if self.active_written is not None:
            return self.active_written
        return len(self.result.active_people) + self.untouched

    def written(self) -> ImportPlan:
        """The plan as an import reports it once written: its changes and figures, without the organisation
        after it, which the database now holds. At 100,000 people that is memory a caller need not keep,
        and objects the garbage collector would walk as long as the caller keeps the plan."""
        active = sum(map(_ACTIVE, self.result.people.values())) + self.untouched  # no map of them built to count
        return replace(self, result=OrgSnapshot(as_of=self.result.as_of, people={}, teams={}, roles=[]),
                       active_written=active)

    @property
    def left_share(self) -> float:
        """The share of the active organisation the import marks as left."""
        return self.leaving / self.headcount if self.headcount else 0.0

    @cached_property
    def counts(self) -> dict[str, int]:
        """How many changes of each kind, kinds in the order they first appear."""
        return dict(Counter(c.kind for c in self.changes))

    @cached_property
    def first_of_kind(self) -> dict[str, Change]:
        first: dict[str, Change] = {}
        for change in self.changes:
            first.setdefault(change.kind, change)
        return first

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def summary_lines(self) -> list[str]:
        """Counts per kind, in the order kinds are defined, each with its first change as an example."""
        if self.is_empty:
            return ["No changes: the organisation already matches the file."]
        lines = []
        for kind in CHANGE_KINDS:
            if kind in self.counts:
                lines.append(f"{self.counts[kind]} {KIND_WORDS.get(kind, kind)} "
                             f"(first: {self.first_of_kind[kind].describe()})")
        return lines


def plan_import(current: OrgSnapshot, incoming: OrgSnapshot, *, as_of: date, ladder: Ladder,
                last_change: Mapping[str, date] | None = None, records_begin: date | None = None,
                baseline: bool = False, untouched: int = 0) -> ImportPlan:
    """Every change from ``current`` to the organisation in the file, effective ``as_of``.

    A level change or a new role takes the row's ``since`` as its date only when that is news:
    after the person's last recorded change (``last_change``) and after the records began
    (``records_begin``, the first import's date); a ``since`` the organisation already knew
    (a stale one, exported and imported back) never back-dates a change, which then dates from
    ``as_of``. People missing from the file are marked left (never deleted) and their roles end.

    ``baseline``: the first import. What the file describes already existed, since a date
    nobody recorded: a team's and a role's start are unknown (None) unless ``since`` says.

    ``untouched``: how many active people the file lists exactly as stored that are in neither
    snapshot (each person's changes depend on that person alone, so they change nothing). The teams
    of ``current`` must be all of them.
    """
    changes: list[Change] = []
    add = changes.append
    floor = _Floor(last_change or {}, records_begin, as_of)
    teams = dict(current.teams)
    for name, team in incoming.teams.items():
        known = current.teams.get(name)
        if known is None:
            teams[name] = Team(name, team.department, None if baseline else as_of)
            add(Change("team-created", as_of, team=name, new=team.department))
        elif team.department is not None and team.department != known.department:
            # A file can only name a team's department on its members' rows, so a team
            # that is only led (no members) says nothing about it: keep what we have.
            teams[name] = replace(known, department=team.department)
            add(Change("department-changed", as_of, team=name, old=known.department, new=team.department))

    track_of = {level.id: level.track for level in ladder.levels}
    people = dict(current.people)
    # A file without the preferred_track column says nothing about it: people state their
    # preference inside Trellis, and an HR system's export does not carry it.
    keep_preference = incoming.columns is not None and "preferred_track" not in incoming.columns
    for pid, new in incoming.people.items():
        old = current.people.get(pid)
        if old is new:
            continue  # a row the reader took as it was stored (``trellis.org.csvio.KnownRows``)
        if old is None:
            people[pid] = new
            add(Change("joined", as_of, person_id=pid, team=new.team, new=new.name))
            continue
        if keep_preference and new.preferred_track != old.preferred_track:
            new = replace(new, preferred_track=old.preferred_track)
        if new == old:
            continue  # the usual case on a re-import: keep the very same object, compare nothing more
        people[pid] = _person_changes(old, new, as_of, track_of, add, floor)

    leaving = [pid for pid in current.active_people if pid not in incoming.people]
    for pid in sorted(leaving):
        old = current.people[pid]
        people[pid] = replace(old, active=False)
        add(Change("left", as_of, person_id=pid, team=old.team, old=old.name))

    roles = _role_changes(current, incoming, as_of, add, floor, baseline)
    result = OrgSnapshot(as_of=as_of, people=people, teams=teams, roles=roles)
    return ImportPlan(changes=changes, result=result, leaving=len(leaving),
                      headcount=len(current.active_people) + untouched, untouched=untouched)


class _Floor:
    """When a row's ``since`` is news for a person: after what is already recorded about them."""

    def __init__(self, last_change: Mapping[str, date], records_begin: date | None, as_of: date):
        self.last_change = last_change
        self.records_begin = records_begin
        self.as_of = as_of

    def dated(self, pid: str, since: date | None) -> date:
        """The date a change of ``pid`` takes: ``since`` when it is news, the import's date otherwise."""
        if since is None or since > self.as_of:
            return self.as_of
        known = self.last_change.get(pid)
        for bound in (known, self.records_begin):
            if bound is not None and since <= bound:
                return self.as_of
        return since


def _person_changes(old: Person, new: Person, as_of: date, track_of: dict[str, str],
                    add: Callable[[Change], None], floor: _Floor) -> Person:
    pid = old.id

    def change(kind: str, before: str | None, after: str | None, effective: date = as_of,
               team: str | None = None, old_since: date | None = None) -> None:
        add(Change(kind, effective, person_id=pid, team=team, old=before, new=after, old_since=old_since))

    if not old.active:
        change("rejoined", None, new.name)
    if new.name != old.name:
        change("name-changed", old.name, new.name)
    if new.email != old.email:
        change("email-changed", old.email or None, new.email or None)
    level_since = old.level_since
    if new.level != old.level:
        effective = floor.dated(pid, new.level_since)
        change("level-changed", old.level, new.level, effective, team=new.team, old_since=old.level_since)
        old_track, new_track = track_of.get(old.level), track_of.get(new.level)
        if old_track != new_track:
            change("track-changed", old_track, new_track, effective, team=new.team)
        level_since = effective
    elif new.level_since is not None:
        level_since = new.level_since  # a corrected start date of the same level is not a change
    if new.preferred_track != old.preferred_track:
        change("preferred-track-changed", old.preferred_track, new.preferred_track)
    if new.team != old.team:
        change("team-changed", old.team, new.team)
    if new.manager_id != old.manager_id:
        change("manager-changed", old.manager_id, new.manager_id)
    if new.dotted_manager_ids != old.dotted_manager_ids:
        change("dotted-changed", dotted_label(old.dotted_manager_ids), dotted_label(new.dotted_manager_ids))
    if new.reports_outside != old.reports_outside:
        change("reports-outside-changed", yes_no(old.reports_outside), yes_no(new.reports_outside))
    return new if new.level_since == level_since else replace(new, level_since=level_since)


def _role_changes(current: OrgSnapshot, incoming: OrgSnapshot, as_of: date,
                  add: Callable[[Change], None], floor: _Floor, baseline: bool) -> list[RoleSpan]:
    """Open spans not in the file end on ``as_of``; spans in the file that are not open start."""
    wanted = {(s.person_id, s.team, s.role): s for s in incoming.roles}
    kept: list[RoleSpan] = []
    open_keys: set[tuple[str, str, str]] = set()
    ended: list[RoleSpan] = []
    for span in current.roles:
        if span.end is not None:
            kept.append(span)  # history: stays as it was
            continue
        key = (span.person_id, span.team, span.role)
        if key in wanted:
            open_keys.add(key)
            kept.append(span)
        else:
            ended.append(replace(span, end=as_of))
    for span in sorted(ended, key=lambda s: (s.person_id, s.team, s.role)):
        add(Change("role-lost", as_of, person_id=span.person_id, team=span.team, old=role_label(span)))
    started: list[RoleSpan] = []
    for key, span in wanted.items():
        if key not in open_keys:
            # ``since`` dates a new role only when it is news: a since the organisation already
            # had describes the level, and the role then starts with this import.
            known = current.people.get(span.person_id)
            fresh = known is None or not known.active or known.level_since != span.start
            start: date | None
            if baseline:
                start = span.start  # held since the file says, or since before the records begin
            else:
                start = floor.dated(span.person_id, span.start if fresh else None)
            started.append(RoleSpan(span.person_id, span.team, span.role, start))
            add(Change("role-gained", start or as_of, person_id=span.person_id, team=span.team,
                       new=role_label(span)))
    roles = kept + ended + started
    roles.sort(key=lambda s: (s.person_id, s.team, s.role, s.start or date.min))
    return roles
