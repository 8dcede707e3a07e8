"""An edit of the organisation made inside Trellis: checked by the import's rules, all or nothing.

``plan_person_edit`` and ``plan_team_edit`` take the organisation now and one edit, and
return every change (with its effective date), the organisation afterwards, and the values
the edit sets, which stay *pending* until an imported file agrees with them (the HR system
has caught up). Nothing is written here; the database layer applies a plan it was shown.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from trellis.ladder.model import Ladder
from trellis.lib.problems import InputError, Problem
from trellis.org.model import PREFERRED_TRACKS, ROLES, Change, OrgSnapshot, Person, RoleSpan
from trellis.org.plan import dotted_label

LIST_SEPARATOR = ";"

# The field names of an edit are the organisation file's column names (one name per idea);
# a role is the field ``role:ROLE@TEAM``, a team's own fields ``team:NAME`` with ``name``/``department``.
LEVEL, MANAGER, DOTTED, TEAM, PREFERRED, ACTIVE = (
    "level", "manager_id", "dotted_manager_ids", "team", "preferred_track", "active")
PERSON_FIELDS: tuple[str, ...] = (LEVEL, MANAGER, DOTTED, TEAM, PREFERRED, ACTIVE)
HELD, NOT_HELD = "held", "not held"
YES, NO = "yes", "no"

# The history kinds that record a change of each field: a back-dated edit may not be dated
# before the last of them, or undoing the history newest first would undo it in the wrong order.
FIELD_KINDS: dict[str, tuple[str, ...]] = {
    LEVEL: ("level-changed", "joined", "rejoined"),
    MANAGER: ("manager-changed", "joined", "rejoined"),
    DOTTED: ("dotted-changed", "joined", "rejoined"),
    TEAM: ("team-changed", "joined", "rejoined"),
    PREFERRED: ("preferred-track-changed", "joined", "rejoined"),
    ACTIVE: ("left", "rejoined", "joined"),
}


def role_field(role: str, team: str) -> str:
    return f"role:{role}@{team}"


def parse_role_field(name: str) -> tuple[str, str] | None:
    """``role:tech_lead@Payments`` -> (tech_lead, Payments); None for any other field."""
    if not name.startswith("role:"):
        return None
    role, _, team = name[5:].partition("@")
    return role, team


@dataclass(frozen=True)
class PersonEdit:
    """What to change about one person. ``None`` leaves a field as it is; ``""`` clears the
    manager or the team."""

    person_id: str
    level: str | None = None
    manager_id: str | None = None
    dotted_manager_ids: tuple[str, ...] | None = None
    team: str | None = None
    add_roles: tuple[tuple[str, str], ...] = ()  # (role, team)
    remove_roles: tuple[tuple[str, str], ...] = ()
    preferred_track: str | None = None
    leave: bool = False
    rejoin: bool = False

    @property
    def only_preferred_track(self) -> bool:
        """True when the edit changes nothing but the preferred track (what a person may do for themself)."""
        return self == PersonEdit(self.person_id, preferred_track=self.preferred_track)


@dataclass(frozen=True)
class TeamEdit:
    """What to change about one team: its name, its department (``""`` clears it)."""

    team: str
    name: str | None = None
    department: str | None = None


@dataclass(frozen=True)
class Pending:
    """A value set inside Trellis that the HR system's file has not confirmed yet."""

    subject: str  # a person id, or ``team:NAME``
    field: str
    value: str


@dataclass
class EditPlan:
    changes: list[Change]
    result: OrgSnapshot
    pending: list[Pending] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def summary_lines(self) -> list[str]:
        return [c.describe() for c in self.changes] or ["No changes: the organisation already has these values."]


def _closest(value: str, choices: list[str]) -> str:
    found = difflib.get_close_matches(value, choices, n=1)
    return f" (did you mean '{found[0]}'?)" if found else ""


class _Check:
    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def __call__(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.source, None, message, column=column))

    def raise_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def _not_before(check: _Check, column: str, as_of: date, last: date | None, what: str) -> None:
    if last is not None and as_of < last:
        check(column, f"{what} last changed on {last.isoformat()}: date this edit on or after that day "
                      f"(it is dated {as_of.isoformat()})")


def _future(check: _Check, as_of: date, today: date) -> None:
    if as_of > today:
        check("as_of", f"{as_of.isoformat()} is after today ({today.isoformat()}): an edit records what is "
                       "true now or was true on a past day; a change that is coming is made on its day "
                       "(or through a promotion with an effective date)")


def _would_cycle(people: Mapping[str, Person], person_id: str, manager_id: str) -> list[str]:
    """The reporting chain that ``person_id`` reporting to ``manager_id`` would close, or []."""
    chain = [person_id, manager_id]
    seen = {person_id}
    current: str | None = manager_id
    while current is not None and current not in seen:
        seen.add(current)
        above = people[current].manager_id if current in people else None
        if above == person_id:
            return chain + [person_id]
        if above is not None:
            chain.append(above)
        current = above
    return []


def plan_person_edit(current: OrgSnapshot, edit: PersonEdit, *, ladder: Ladder, as_of: date, today: date,
                     last_changed: Mapping[tuple[str, str], date] | None = None,
                     source: str = "edit") -> EditPlan:
    """Every change ``edit`` makes to ``current``, effective ``as_of``; raises ``InputError`` with
    every problem found (each naming its field and what to do).

    ``last_changed``: (person id, history kind) -> the latest effective date recorded.
    """
    check = _Check(source)
    last = last_changed or {}
    _future(check, as_of, today)
    pid = edit.person_id
    person = current.people.get(pid)
    if person is None:
        check("person", f"there is no person with id '{pid}'{_closest(pid, list(current.people))}")
        check.raise_any()
    assert person is not None
    people = current.people
    changes: list[Change] = []
    pending: list[Pending] = []
    updated = person

    def latest(column: str) -> date | None:
        days = [last[(pid, kind)] for kind in FIELD_KINDS[column] if (pid, kind) in last]
        return max(days) if days else None

    def change(kind: str, old: str | None, new: str | None, *, team: str | None = None,
               old_since: date | None = None) -> None:
        changes.append(Change(kind, as_of, person_id=pid, team=team, old=old, new=new, old_since=old_since))

    if edit.leave and edit.rejoin:
        check("active", "an edit can mark a person as left or as back, not both")
    if not person.active and not edit.rejoin:
        check("active", f"{person.name} ({pid}) has left: mark them as back (--return) before changing anything "
                        "else")
    if edit.rejoin and person.active:
        check("active", f"{person.name} ({pid}) has not left, so cannot come back")
    if edit.leave and not person.active:
        check("active", f"{person.name} ({pid}) has already left")
    if edit.leave or edit.rejoin:
        _not_before(check, "active", as_of, latest(ACTIVE), "Whether they work here")
    if edit.rejoin and person.active is False:
        updated = replace(updated, active=True)
        change("rejoined", None, person.name)
        pending.append(Pending(pid, ACTIVE, YES))

    track_of = {level.id: level.track for level in ladder.levels}
    if edit.level is not None and edit.level != person.level:
        level = edit.level.strip().lower()
        if level not in ladder.levels_by_id:
            check("level", f"unknown level '{edit.level}'{_closest(level, list(ladder.levels_by_id))}: use one "
                           f"of {', '.join(ladder.levels_by_id)}")
        else:
            _not_before(check, "level", as_of, latest(LEVEL), "The level")
            change("level-changed", person.level, level, team=person.team, old_since=person.level_since)
            if track_of.get(person.level) != track_of.get(level):
                change("track-changed", track_of.get(person.level), track_of.get(level), team=person.team)
            updated = replace(updated, level=level, level_since=as_of)
            pending.append(Pending(pid, LEVEL, level))

    if edit.manager_id is not None:
        manager = edit.manager_id.strip() or None
        if manager != person.manager_id:
            if manager is not None:
                boss = people.get(manager)
                if boss is None:
                    check("manager_id", f"there is no person with id '{manager}'{_closest(manager, list(people))}")
                elif not boss.active:
                    check("manager_id", f"{boss.name} ({manager}) has left: choose someone who works here")
                elif manager == pid:
                    check("manager_id", "a person cannot be their own manager")
                else:
                    cycle = _would_cycle(people, pid, manager)
                    if cycle:
                        check("manager_id", "this would make a reporting cycle: " + " -> ".join(cycle)
                              + "; choose a manager outside this person's own reporting line")
            _not_before(check, "manager_id", as_of, latest(MANAGER), "The manager")
            change("manager-changed", person.manager_id, manager)
            updated = replace(updated, manager_id=manager)
            pending.append(Pending(pid, MANAGER, manager or ""))

    if edit.dotted_manager_ids is not None:
        dotted = tuple(sorted({d.strip() for d in edit.dotted_manager_ids if d.strip()}))
        if dotted != person.dotted_manager_ids:
            for d in dotted:
                other = people.get(d)
                if other is None:
                    check("dotted_manager_ids", f"there is no person with id '{d}'{_closest(d, list(people))}")
                elif not other.active:
                    check("dotted_manager_ids", f"{other.name} ({d}) has left: choose someone who works here")
                elif d == pid:
                    check("dotted_manager_ids", "a person cannot have a dotted line to themself")
            _not_before(check, "dotted_manager_ids", as_of, latest(DOTTED), "The dotted lines")
            change("dotted-changed", dotted_label(person.dotted_manager_ids), dotted_label(dotted))
            updated = replace(updated, dotted_manager_ids=dotted)
            pending.append(Pending(pid, DOTTED, LIST_SEPARATOR.join(dotted)))

    if edit.team is not None:
        team = edit.team.strip() or None
        if team != person.team:
            if team is not None and team not in current.teams:
                check("team", f"there is no team '{team}'{_closest(team, list(current.teams))}: create teams by "
                              "import, or rename one on its page")
            _not_before(check, "team", as_of, latest(TEAM), "The team")
            change("team-changed", person.team, team)
            updated = replace(updated, team=team)
            pending.append(Pending(pid, TEAM, team or ""))

    if edit.preferred_track is not None:
        track = edit.preferred_track.strip().lower()
        if track not in PREFERRED_TRACKS:
            check("preferred_track", f"unknown preferred track '{edit.preferred_track}': use one of "
                                     f"{', '.join(PREFERRED_TRACKS)}")
        elif track != person.preferred_track:
            _not_before(check, "preferred_track", as_of, latest(PREFERRED), "The preferred track")
            change("preferred-track-changed", person.preferred_track, track)
            updated = replace(updated, preferred_track=track)
            pending.append(Pending(pid, PREFERRED, track))

    roles, role_changes = _role_edits(current, edit, as_of, check, pending)

    if edit.leave and person.active:
        reports = sorted(p.id for p in current.active_people.values() if p.manager_id == pid)
        dotted_reports = sorted(p.id for p in current.active_people.values() if pid in p.dotted_manager_ids)
        if reports:
            check("active", f"{person.name} ({pid}) still has direct reports ({', '.join(reports)}): give them "
                            "another manager first")
        if dotted_reports:
            check("active", f"{person.name} ({pid}) still has dotted-line reports ({', '.join(dotted_reports)}): "
                            "remove those lines first")
        change("left", person.name, None, team=person.team)
        updated = replace(updated, active=False)
        pending.append(Pending(pid, ACTIVE, NO))
        ending = [s for s in roles if s.person_id == pid and s.end is None]
        for span in ending:
            if span.start is not None and as_of <= span.start:
                check("active", f"{person.name} became {span.role} of {span.team} on {span.start.isoformat()}: "
                                "date the leaving after that day")
            role_changes.append(Change("role-lost", as_of, person_id=pid, team=span.team,
                                       old=f"{span.role}@{span.team}"))
        roles = [replace(s, end=as_of) if s in ending else s for s in roles]

    check.raise_any()
    changes.extend(role_changes)
    new_people = dict(people)
    new_people[pid] = updated
    result = current.evolve(people=new_people, roles=roles)
    return EditPlan(changes=changes, result=result, pending=pending)


def _role_edits(current: OrgSnapshot, edit: PersonEdit, as_of: date, check: _Check,
                pending: list[Pending]) -> tuple[list[RoleSpan], list[Change]]:
    pid = edit.person_id
    roles = list(current.roles)
    changes: list[Change] = []
    held = {(s.role, s.team): s for s in roles if s.person_id == pid and s.end is None}
    for role, team in edit.remove_roles:
        span = held.get((role, team))
        if span is None:
            check("remove_role", f"{pid} is not {role} of '{team}' now, so the role cannot be taken away")
            continue
        if span.start is not None and as_of <= span.start:
            check("remove_role", f"{role} of {team} began on {span.start.isoformat()}: date its end after that day")
            continue
        roles[roles.index(span)] = replace(span, end=as_of)
        del held[(role, team)]
        changes.append(Change("role-lost", as_of, person_id=pid, team=team, old=f"{role}@{team}"))
        pending.append(Pending(pid, role_field(role, team), NOT_HELD))
    for role, team in edit.add_roles:
        if role not in ROLES:
            check("add_role", f"unknown role '{role}': use {' or '.join(ROLES)}, as ROLE@TEAM")
            continue
        if team not in current.teams:
            check("add_role", f"there is no team '{team}'{_closest(team, list(current.teams))}")
            continue
        if (role, team) in held:
            check("add_role", f"{pid} is already {role} of {team}")
            continue
        ended = [s.end for s in roles if s.person_id == pid and s.role == role and s.team == team and s.end]
        if ended and as_of < max(ended):
            check("add_role", f"{pid} was {role} of {team} until {max(ended).isoformat()}: date the new role on "
                              "or after that day")
            continue
        span = RoleSpan(pid, team, role, as_of)
        roles.append(span)
        held[(role, team)] = span
        changes.append(Change("role-gained", as_of, person_id=pid, team=team, new=f"{role}@{team}"))
        pending.append(Pending(pid, role_field(role, team), HELD))
    roles.sort(key=lambda s: (s.person_id, s.team, s.role, s.start or date.min))
    return roles, changes


def team_subject(name: str) -> str:
    return f"team:{name}"


def plan_team_edit(current: OrgSnapshot, edit: TeamEdit, *, as_of: date, today: date,
                   last_changed: Mapping[tuple[str, str], date] | None = None, source: str = "edit") -> EditPlan:
    """Rename a team or change its department, effective ``as_of``."""
    check = _Check(source)
    _future(check, as_of, today)
    team = current.teams.get(edit.team)
    if team is None:
        check("team", f"there is no team '{edit.team}'{_closest(edit.team, list(current.teams))}")
        check.raise_any()
    assert team is not None
    last = last_changed or {}
    subject = team_subject(team.name)
    changes: list[Change] = []
    pending: list[Pending] = []
    teams = dict(current.teams)
    people = current.people
    roles = current.roles
    if edit.department is not None:
        department = edit.department.strip() or None
        if department != team.department:
            _not_before(check, "department", as_of, last.get((subject, "department-changed")), "The department")
            changes.append(Change("department-changed", as_of, team=team.name, old=team.department, new=department))
            team = replace(team, department=department)
            teams[team.name] = team
            pending.append(Pending(subject, "department", department or ""))
    if edit.name is not None:
        name = edit.name.strip()
        if not name:
            check("name", "a team needs a name")
        elif LIST_SEPARATOR in name:
            check("name", f"the team name '{name}' contains ';', which separates roles in the file: choose another")
        elif name != team.name and name in current.teams:
            check("name", f"there is already a team '{name}': choose another name")
        elif name != team.name:
            _not_before(check, "name", as_of, last.get((subject, "team-renamed")), "The name")
            old = team.name
            changes.append(Change("team-renamed", as_of, team=name, old=old, new=name))
            del teams[old]
            teams[name] = replace(team, name=name)
            people = {pid: replace(p, team=name) if p.team == old else p for pid, p in people.items()}
            roles = [replace(s, team=name) if s.team == old else s for s in roles]
            pending.append(Pending(team_subject(name), "name", old))
    check.raise_any()
    return EditPlan(changes=changes, result=current.evolve(people=people, teams=teams, roles=roles), pending=pending)
