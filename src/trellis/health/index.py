"""Lookups over an organisation for the health rules, and the changes a what-if makes to them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from trellis.org.model import OrgSnapshot, Person, RoleSpan, Team


@dataclass
class Delta:
    """What a set of what-if changes does, in terms of the indexes (see ``whatif.compute_delta``).

    ``people`` maps every changed person's id to their new record (``active`` False when they
    leave); ``ended`` lists current role spans that end on the as-of date; ``added`` the new ones.
    """

    people: dict[str, Person] = field(default_factory=dict)
    ended: list[RoleSpan] = field(default_factory=list)
    added: list[RoleSpan] = field(default_factory=list)


_ABSENT = object()
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Journal:
    """The entries a what-if question changes, with what they held before, so that the
    indexes can be put back as they were: a question then costs what it touches, where
    copying every index first cost as much as the organisation is large."""

    def __init__(self) -> None:
        self._entries: list[tuple[Any, Any, Any]] = []

    def record(self, mapping: MutableMapping[Any, Any], key: Hashable) -> None:
        """Call before changing ``mapping[key]`` (setting or removing it)."""
        self._entries.append((mapping, key, mapping.get(key, _ABSENT)))

    def record_member(self, members: set[Any], item: Hashable, *, was: bool) -> None:
        """Record that ``item`` was (or was not) in ``members`` before a change."""
        self._entries.append((members, item, was))

    def changed(self, mapping: MutableMapping[K, V]) -> dict[K, V | None]:
        """The keys of ``mapping`` changed since the journal began, each with its value before (None: absent)."""
        before: dict[K, Any] = {}
        for target, key, old in reversed(self._entries):
            if target is mapping:
                before[key] = old  # the earliest record wins: it is walked last
        return {key: (None if old is _ABSENT else old) for key, old in before.items()}

    def undo(self) -> None:
        """Put every recorded entry back, newest change first."""
        for target, key, old in reversed(self._entries):
            if isinstance(target, set):
                if old:
                    target.add(key)
                else:
                    target.discard(key)
            elif old is _ABSENT:
                target.pop(key, None)
            else:
                target[key] = old
        self._entries.clear()


class OrgIndex:
    """Lookups over the organisation on its as-of date: active people, solid-line reports,
    team members, current roles by team and by person, and when each role was last given up.

    Built in one pass over the people and one over the role spans. Entries are replaced,
    never changed in place, and while ``journal`` is set every replacement is recorded in it
    first, so a what-if question can change the index and then undo exactly what it changed.
    """

    journal: Journal | None = None

    def __init__(self, snapshot: OrgSnapshot):
        as_of = self.as_of = snapshot.as_of
        self.all_people: dict[str, Person] = dict(snapshot.people)
        self.teams: dict[str, Team] = dict(snapshot.teams)
        people: dict[str, Person] = {}
        by_manager: defaultdict[str | None, list[str]] = defaultdict(list)
        by_team: defaultdict[str | None, list[str]] = defaultdict(list)
        for pid, person in snapshot.people.items():
            if person.active:
                people[pid] = person
                by_manager[person.manager_id].append(pid)
                by_team[person.team].append(pid)
        by_manager.pop(None, None)
        by_team.pop(None, None)
        # Only people with reports are keys, so "has reports" is a key lookup.
        reports: dict[str, list[str]] = dict(by_manager)  # type: ignore[arg-type]
        members: dict[str, list[str]] = dict(by_team)  # type: ignore[arg-type]
        team_roles: dict[str, list[RoleSpan]] = {}
        person_roles: dict[str, list[RoleSpan]] = {}
        last_end: dict[tuple[str, str], tuple[date, str]] = {}
        for span in snapshot.roles:
            start, end = span.start, span.end
            if (start is None or start <= as_of) and (end is None or as_of < end):
                if span.person_id in people:
                    team_roles.setdefault(span.team, []).append(span)
                    person_roles.setdefault(span.person_id, []).append(span)
            elif end is not None and end <= as_of:
                known = last_end.get((span.team, span.role))
                if known is None or end > known[0]:
                    last_end[(span.team, span.role)] = (end, span.person_id)
        self.people = people
        self.reports = reports
        self.members = members
        self.team_roles = team_roles
        self.person_roles = person_roles
        # When each role on each team was last given up, and by whom: "since when" a team lacks it.
        self.last_end = last_end

    def has_team(self, team: str) -> bool:
        return team in self.teams or team in self.members or team in self.team_roles

    def _record(self, mapping: MutableMapping[Any, Any], key: Hashable) -> None:
        if self.journal is not None:
            self.journal.record(mapping, key)

    def end_role(self, span: RoleSpan) -> None:
        self._record(self.team_roles, span.team)
        self._record(self.person_roles, span.person_id)
        self._record(self.last_end, (span.team, span.role))
        self.team_roles[span.team] = [r for r in self.team_roles.get(span.team, []) if r is not span]
        self.person_roles[span.person_id] = [r for r in self.person_roles.get(span.person_id, []) if r is not span]
        self.last_end[(span.team, span.role)] = (self.as_of, span.person_id)

    def add_role(self, span: RoleSpan) -> None:
        self._record(self.team_roles, span.team)
        self._record(self.person_roles, span.person_id)
        self.team_roles[span.team] = [*self.team_roles.get(span.team, []), span]
        self.person_roles[span.person_id] = [*self.person_roles.get(span.person_id, []), span]

    def set_person(self, new: Person) -> Person | None:
        """Replace a person's record (``active`` False: they leave); return the old one if they were active."""
        pid = new.id
        self._record(self.people, pid)
        self._record(self.all_people, pid)
        old = self.people.pop(pid, None)
        self.all_people[pid] = new
        if old is not None:
            self._unlink(self.reports, old.manager_id, pid)
            self._unlink(self.members, old.team, pid)
        if new.active:
            self.people[pid] = new
            if new.manager_id is not None:
                self._record(self.reports, new.manager_id)
                self.reports[new.manager_id] = [*self.reports.get(new.manager_id, []), pid]
            if new.team is not None:
                self._record(self.members, new.team)
                self.members[new.team] = [*self.members.get(new.team, []), pid]
        return old

    def _unlink(self, index: dict[str, list[str]], key: str | None, pid: str) -> None:
        if key is not None and key in index:
            self._record(index, key)
            rest = [x for x in index[key] if x != pid]
            if rest:
                index[key] = rest
            else:
                del index[key]  # keys are only those with entries

    def delta_to(self, snapshot: OrgSnapshot) -> Delta:
        """What turns this index into the index of ``snapshot`` on its own date (for ``Analysis.move_to``).

        People are compared record by record (a rewound snapshot shares every record it did not
        change, so most comparisons are one identity check); someone the snapshot does not know
        yet leaves. Current roles are compared by holder, team, role and start."""
        delta = Delta()
        known = self.all_people
        for pid, person in snapshot.people.items():
            was = known.get(pid)
            if was is not person and was != person:
                delta.people[pid] = person
        for pid, person in known.items():
            if person.active and pid not in snapshot.people:
                delta.people[pid] = replace(person, active=False)
        day, people = snapshot.as_of, snapshot.people
        now: dict[tuple[str, str, str, date | None], list[RoleSpan]] = {}
        for span in snapshot.roles:
            start, end = span.start, span.end
            if (start is None or start <= day) and (end is None or day < end):
                holder = people.get(span.person_id)
                if holder is not None and holder.active:
                    now.setdefault((span.person_id, span.team, span.role, start), []).append(span)
        held: dict[tuple[str, str, str, date | None], list[RoleSpan]] = {}
        for spans in self.team_roles.values():
            for span in spans:
                held.setdefault((span.person_id, span.team, span.role, span.start), []).append(span)
        for key, spans in held.items():
            if len(now.get(key, ())) != len(spans):
                delta.ended += spans
        for key, spans in now.items():
            if len(held.get(key, ())) != len(spans):
                delta.added += spans
        return delta

    def delta_of_step(self, day: date, people: Mapping[str, Person], touched: Iterable[str],
                      spans: Iterable[RoleSpan], spans_of: Mapping[str, list[RoleSpan]]) -> Delta:
        """``delta_to`` of the same organisation on ``day``, when it is known what differs: only the
        people in ``touched`` may have other records on ``day`` (``people``: everyone known then),
        and only ``spans`` may be held on one of the two days and not the other (every span of a
        touched person among them; ``spans_of``: every span known, by holder, with its own dates).
        The cost is what changed, not the organisation's size: for health month by month."""
        delta = Delta()
        known = self.all_people
        for pid in touched:
            person, was = people.get(pid), known.get(pid)
            if person is None:
                if was is not None and was.active:
                    delta.people[pid] = replace(was, active=False)  # not there yet on ``day``
            elif was is not person and was != person:
                delta.people[pid] = person
        for key in dict.fromkeys((s.person_id, s.team, s.role, s.start) for s in spans):
            pid, team, role, start = key
            holder = people.get(pid)
            now = [s for s in spans_of.get(pid, ()) if s.team == team and s.role == role and s.start == start
                   and s.held_on(day)] if holder is not None and holder.active else []
            held = [s for s in self.person_roles.get(pid, ()) if s.team == team and s.role == role
                    and s.start == start]
            if len(now) != len(held):
                delta.ended += held
                delta.added += now
        return delta

    def subtrees(self, roots: Iterable[str]) -> set[str]:
        """Everyone in the solid-line subtrees under ``roots``, roots included."""
        seen: set[str] = set()
        stack = list(roots)
        while stack:
            pid = stack.pop()
            if pid not in seen:
                seen.add(pid)
                stack.extend(self.reports.get(pid, ()))
        return seen
