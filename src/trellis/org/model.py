"""The organisation as plain data: people, teams, roles over time, reporting lines.

An ``OrgSnapshot`` is the organisation as it stood on one date. Everything that
reasons about the organisation (CSV import and export, the import plan, the health
engine, what-if) takes and returns snapshots; the database layer only loads and
stores them. No framework imports here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Literal

from trellis.lib.records import record

TECH_LEAD = "tech_lead"
PEOPLE_MANAGER = "people_manager"
ROLES: tuple[str, ...] = (TECH_LEAD, PEOPLE_MANAGER)
Role = Literal["tech_lead", "people_manager"]

PREFERRED_TRACKS: tuple[str, ...] = ("technical", "management", "undecided")


@record
class Person:
    id: str  # the stable external id, as imported
    name: str
    level: str  # a level id of the active ladder; it fixes the person's track
    email: str = ""
    preferred_track: str = "undecided"
    manager_id: str | None = None  # the solid line
    dotted_manager_ids: tuple[str, ...] = ()  # sorted, no duplicates
    team: str | None = None  # the team the person works in (a member of), by name
    active: bool = True  # False once the person has left; people are never deleted
    level_since: date | None = None  # when the current level started, where known
    # No manager in the organisation because the manager is outside it (another division, the
    # board): such a person is not the top of the organisation.
    reports_outside: bool = False


@record
class Team:
    name: str  # unique; teams are referred to by name everywhere
    department: str | None = None
    since: date | None = None  # when the team first appeared, where known


@record
class RoleSpan:
    """One person holding one role on one team, from ``start`` until ``end`` (exclusive)."""

    person_id: str
    team: str
    role: str  # TECH_LEAD or PEOPLE_MANAGER
    start: date | None = None  # None: held since before history began
    end: date | None = None  # None: still held

    def held_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass
class OrgSnapshot:
    """The organisation on ``as_of``.

    ``people`` holds everyone known, including people who have left (``active`` False);
    ``roles`` holds every role span that had started by ``as_of``, including ended ones,
    so that "since when" questions can be answered. Use the ``current_*`` helpers for
    the state on ``as_of``.
    """

    as_of: date
    people: dict[str, Person] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    roles: list[RoleSpan] = field(default_factory=list)
    # Read from a file: the columns it had (a column it lacks says nothing, for the preferred track,
    # which people state inside Trellis); None for an organisation from the database.
    columns: frozenset[str] | None = field(default=None, compare=False)

    # Indexes are built on first use; a snapshot is not mutated after it is built
    # (what-if builds a new one with ``evolve``).
    @cached_property
    def active_people(self) -> dict[str, Person]:
        return {pid: p for pid, p in self.people.items() if p.active}

    @cached_property
    def current_roles(self) -> list[RoleSpan]:
        return [r for r in self.roles if r.held_on(self.as_of) and r.person_id in self.active_people]

    @cached_property
    def roles_by_team(self) -> dict[str, list[RoleSpan]]:
        index: dict[str, list[RoleSpan]] = defaultdict(list)
        for r in self.current_roles:
            index[r.team].append(r)
        return dict(index)

    @cached_property
    def roles_by_person(self) -> dict[str, list[RoleSpan]]:
        index: dict[str, list[RoleSpan]] = defaultdict(list)
        for r in self.current_roles:
            index[r.person_id].append(r)
        return dict(index)

    @cached_property
    def direct_reports(self) -> dict[str, list[str]]:
        """Solid-line reports of each manager, active people only, sorted by id."""
        index: dict[str, list[str]] = defaultdict(list)
        for p in self.active_people.values():
            if p.manager_id is not None:
                index[p.manager_id].append(p.id)
        return {k: sorted(v) for k, v in index.items()}

    @cached_property
    def members_by_team(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = defaultdict(list)
        for p in self.active_people.values():
            if p.team is not None:
                index[p.team].append(p.id)
        return {k: sorted(v) for k, v in index.items()}

    def team_roles(self, team: str, role: str) -> list[RoleSpan]:
        return [r for r in self.roles_by_team.get(team, []) if r.role == role]

    def person_roles(self, person_id: str, role: str | None = None) -> list[RoleSpan]:
        return [r for r in self.roles_by_person.get(person_id, []) if role is None or r.role == role]

    def evolve(self, *, people: dict[str, Person] | None = None, teams: dict[str, Team] | None = None,
               roles: list[RoleSpan] | None = None, as_of: date | None = None) -> OrgSnapshot:
        """A new snapshot with some parts replaced; the indexes are rebuilt lazily."""
        return OrgSnapshot(
            as_of=as_of or self.as_of,
            people=self.people if people is None else people,
            teams=self.teams if teams is None else teams,
            roles=self.roles if roles is None else roles,
            columns=self.columns,
        )


# Kinds of change recorded in the history, each with its effective date.
CHANGE_KINDS: tuple[str, ...] = (
    "joined",            # a new person
    "left",              # marked left (never deleted); their roles end
    "rejoined",          # a person who had left is back
    "level-changed",     # promotion, or any other change of level (detail says which)
    "track-changed",     # the level's track changed (engineer/manager pendulum)
    "preferred-track-changed",
    "team-changed",
    "manager-changed",
    "dotted-changed",
    "role-gained",
    "role-lost",
    "name-changed",
    "email-changed",
    "team-created",
    "department-changed",
    "team-renamed",      # old and new name; recorded under the new name
    "reports-outside-changed",  # now reports (new "yes") or no longer reports (new "no") outside
)


def two_jobs(roles: Iterable[str]) -> bool:
    """What counts as two jobs: holding a people-manager role and a tech-lead role at once, on one
    team or on two. The one definition, used by health's ``dual-role`` and every page that tags it."""
    held = set(roles)
    return TECH_LEAD in held and PEOPLE_MANAGER in held


@record
class Change:
    """One recorded change: what, to whom or which team, from what to what, and since when."""

    kind: str
    effective: date
    person_id: str | None = None
    team: str | None = None
    old: str | None = None
    new: str | None = None
    old_since: date | None = None  # level-changed: when the previous level had started, so rewind restores it
    # Where the change came from, in words, once recorded: which import (file, who, when) or which
    # edit (who, when, why). Not part of what changed: two changes that differ only here are equal.
    source: str | None = field(default=None, compare=False)

    def describe(self) -> str:
        who = self.person_id or self.team or ""
        if self.old is not None and self.new is not None:
            return f"{self.kind} {who}: {self.old} -> {self.new} (from {self.effective.isoformat()})"
        value = self.new if self.new is not None else self.old
        tail = f" {value}" if value else ""
        return f"{self.kind} {who}{tail} (from {self.effective.isoformat()})"
