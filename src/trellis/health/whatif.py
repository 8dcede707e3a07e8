"""What-if: describe changes to the organisation and see what they would do to its health.

Six kinds of change, written the same way on the command line and in a file of changes
(docs/health.md has the full syntax)::

    promote PERSON LEVEL          PERSON takes LEVEL (any level, on either track)
    move PERSON TEAM              PERSON joins TEAM; roles held on their old team end
    give ROLE@TEAM PERSON         PERSON takes ROLE (tech_lead or people_manager) on TEAM
    take ROLE@TEAM PERSON         PERSON gives up ROLE on TEAM
    manager PERSON MANAGER        PERSON's solid line now runs to MANAGER (``none``: no manager)
    leave PERSON                  PERSON leaves; their roles end and their reports move to their manager

A person is named by id, e-mail or name, a team by name or key, a level by id or title, a role
by id or words (``trellis.org.names``), in any case; words are split like a shell does, so a name
with spaces is quoted: ``move "Alice Adams" "Payments Core"`` or ``give tech_lead@"Payments Core" alice``.
Reading a change checks only its shape; what each name means is found when the changes are
applied to an organisation, where every problem of every change is reported at once.

Nothing here writes anywhere: ``apply_changes`` returns a new snapshot and leaves its input
alone, and ``Simulation`` answers many questions about one organisation quickly by
recomputing only what each change touches.
"""

from __future__ import annotations

import shlex
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from trellis.health.engine import Analysis
from trellis.health.index import Delta, OrgIndex
from trellis.health.policy import Policy
from trellis.health.report import Finding, HealthReport, Metrics
from trellis.health.timeline import Timeline, monthly_counts_from_history
from trellis.ladder.model import Ladder
from trellis.lib.gcpause import gc_paused
from trellis.lib.problems import InputError, Problem
from trellis.lib.textfile import read_text
from trellis.lib.yamlsource import Located, load_located
from trellis.org.model import ROLES, TECH_LEAD, Change, OrgSnapshot, Person, RoleSpan
from trellis.org.names import Found, OrgNames, find_role, quote_word

KINDS: dict[str, tuple[str, ...]] = {
    # kind -> the fields it takes, in the order the one-line syntax gives them
    "promote": ("person", "level"),
    "move": ("person", "team"),
    "give": ("role@team", "person"),
    "take": ("role@team", "person"),
    "manager": ("person", "manager"),
    "leave": ("person",),
}
SYNTAX: dict[str, str] = {
    "promote": "promote PERSON LEVEL",
    "move": "move PERSON TEAM",
    "give": "give ROLE@TEAM PERSON",
    "take": "take ROLE@TEAM PERSON",
    "manager": "manager PERSON MANAGER",
    "leave": "leave PERSON",
}


@dataclass(frozen=True)
class WhatIf:
    """One planned change. ``source`` and ``line`` say where it was written, for error messages."""

    kind: str
    person: str
    level: str | None = None
    team: str | None = None
    role: str | None = None
    manager: str | None = None  # for kind "manager": None means no manager
    source: str = "--what-if"
    line: int | None = None

    def describe(self, person: Callable[[str], str] = quote_word) -> str:
        """The change in the one-line syntax; ``person`` writes a person (by default as given: once
        applied, their id; ``OrgNames.word`` writes their name where it names no one else)."""
        word = quote_word
        if self.kind == "promote":
            return f"promote {person(self.person)} {word(self.level or '')}"
        if self.kind == "move":
            return f"move {person(self.person)} {word(self.team or '')}"
        if self.kind in ("give", "take"):
            return f"{self.kind} {self.role}@{word(self.team or '')} {person(self.person)}"
        if self.kind == "manager":
            return f"manager {person(self.person)} {person(self.manager) if self.manager else 'none'}"
        return f"leave {person(self.person)}"

    def problem(self, message: str) -> Problem:
        return Problem(self.source, self.line, message)


# -- reading changes -----------------------------------------------------------------------


def parse_what_if(text: str, source: str = "--what-if", line: int | None = None) -> WhatIf:
    """Read one change in the one-line syntax; raise InputError saying what is wrong and how to write it."""
    def bad(message: str) -> InputError:
        return InputError([Problem(source, line, message)])

    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise bad(f"cannot read '{text}': {exc}; quote a name with spaces in it once, e.g. \"Payments Core\"")\
            from exc
    if not words:
        raise bad(f"an empty change: write one of: {'; '.join(SYNTAX.values())}")
    kind = words[0].lower()
    if kind not in KINDS:
        raise bad(f"unknown change '{words[0]}': write one of: {'; '.join(SYNTAX.values())}")
    fields = KINDS[kind]
    if len(words) - 1 != len(fields):
        raise bad(f"'{text}' has {len(words) - 1} word(s) after '{kind}' but needs {len(fields)}: "
                  f"write {SYNTAX[kind]} (quote names with spaces)")
    values = dict(zip(fields, words[1:], strict=True))
    role = team = None
    if "role@team" in values:
        role, at, team = values.pop("role@team").partition("@")
        if not at or not team or not role:
            raise bad(f"'{text}': say which role on which team as ROLE@TEAM, e.g. tech_lead@Payments")
    manager = values.get("manager")
    return WhatIf(kind, values["person"], level=values.get("level"), team=values.get("team", team), role=role,
                  manager=None if manager is not None and manager.lower() == "none" else manager,
                  source=source, line=line)


def read_what_if_options(texts: Iterable[str]) -> tuple[list[WhatIf], list[Problem]]:
    """Read repeated ``--what-if`` options: the changes that read well, and a problem for each other."""
    changes: list[WhatIf] = []
    problems: list[Problem] = []
    for text in texts:
        try:
            changes.append(parse_what_if(text, source=f"--what-if {text!r}"))
        except InputError as exc:
            problems += exc.problems
    return changes, problems


def parse_what_if_options(texts: Iterable[str]) -> list[WhatIf]:
    """Read repeated ``--what-if`` options; raise InputError listing every bad one."""
    return _or_raise(read_what_if_options(texts))


def read_what_if_lines(text: str, source: str) -> tuple[list[WhatIf], list[Problem]]:
    """One change per line (a form's text box, a saved scenario); blank lines and ``#`` comments are
    skipped. The changes that read well, with their line numbers, and a problem for each other."""
    changes: list[WhatIf] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            try:
                changes.append(parse_what_if(line.strip(), source, number))
            except InputError as exc:
                problems += exc.problems
    return changes, problems


def _or_raise(read: tuple[list[WhatIf], list[Problem]]) -> list[WhatIf]:
    changes, problems = read
    if problems:
        raise InputError(problems)
    return changes


_FILE_KEYS = {"change", "person", "level", "team", "role", "manager"}


def parse_what_if_text(text: str, source: str) -> list[WhatIf]:
    """Read a file of changes (see docs/health.md); raise InputError listing every problem with its line."""
    return _or_raise(read_what_if_text(text, source))


def read_what_if_text(text: str, source: str) -> tuple[list[WhatIf], list[Problem]]:
    """Read a file of changes: the changes that read well, and every problem with its line."""
    try:
        located = load_located(text, source)
    except InputError as exc:
        return [], exc.problems
    if not isinstance(located.data, list):
        return [], [located.problem((), "a file of changes must be a YAML list, one change per item, "
                                        "e.g. '- promote alice engineering-manager'")]
    changes: list[WhatIf] = []
    problems: list[Problem] = []
    for i, item in enumerate(located.data):
        line = located.line((i,))
        try:
            if isinstance(item, str):
                changes.append(parse_what_if(item, source, line))
            elif isinstance(item, dict):
                changes.append(_change_from_mapping(item, located, i))
            else:
                raise InputError([Problem(source, line, "each change is a line such as 'leave bob' or a mapping "
                                                        "with 'change:' and its fields")])
        except InputError as exc:
            problems += exc.problems
    return changes, problems


def _change_from_mapping(item: dict[str, Any], located: Located, i: int) -> WhatIf:
    problems = [located.problem((i, key), f"unknown key '{key}' in a change: use {', '.join(sorted(_FILE_KEYS))}")
                for key in item if key not in _FILE_KEYS]
    kind = str(item.get("change", "")).lower()
    if kind not in KINDS:
        problems.append(located.problem((i, "change"), f"'change:' must be one of {', '.join(KINDS)}"))
        raise InputError(problems)
    needed = [f for part in KINDS[kind] for f in part.split("@")]
    for key in needed:
        if key == "manager" and "manager" in item:
            continue  # null is allowed: no manager
        if item.get(key) in (None, ""):
            problems.append(located.problem((i,), f"a '{kind}' change needs '{key}:' ({SYNTAX[kind]})"))
    if problems:
        raise InputError(problems)

    def text(key: str) -> str | None:
        value = item.get(key)
        return None if value is None or key not in needed else str(value)

    manager = text("manager")
    return WhatIf(kind, str(item["person"]), level=text("level"), team=text("team"), role=text("role"),
                  manager=None if manager is not None and manager.lower() == "none" else manager,
                  source=located.source, line=located.line((i,)))


def parse_what_if_file(path: str | Path) -> list[WhatIf]:
    return _or_raise(read_what_if_file(path))


def read_what_if_file(path: str | Path) -> tuple[list[WhatIf], list[Problem]]:
    try:
        text = read_text(path)
    except InputError as exc:
        return [], exc.problems
    return read_what_if_text(text, str(path))


# -- applying changes ----------------------------------------------------------------------


class _Planner:
    """The organisation as the changes so far leave it, read through the snapshot's indexes."""

    def __init__(self, index: OrgIndex, ladder: Ladder, names: OrgNames | None = None):
        self.index = index
        self.ladder = ladder
        self.names = names or names_of(index)
        self.delta = Delta()
        self.ended_ids: set[int] = set()
        self.problems: list[Problem] = []
        self.resolved: list[WhatIf] = []  # the changes applied, each naming people by id
        self.refused: list[tuple[WhatIf, list[Problem]]] = []  # the changes that could not be applied, and why

    def person(self, pid: str) -> Person | None:
        return self.delta.people.get(pid) or self.index.all_people.get(pid)

    def roles(self, pid: str) -> list[RoleSpan]:
        held = [r for r in self.index.person_roles.get(pid, []) if id(r) not in self.ended_ids]
        return held + [r for r in self.delta.added if r.person_id == pid and id(r) not in self.ended_ids]

    def reports(self, pid: str) -> list[str]:
        candidates = set(self.index.reports.get(pid, [])) | set(self.delta.people)
        return sorted(x for x in candidates if (p := self.person(x)) is not None and p.active and p.manager_id == pid)

    def set_person(self, person: Person) -> None:
        self.delta.people[person.id] = person

    def end(self, span: RoleSpan) -> None:
        self.ended_ids.add(id(span))
        self.delta.ended.append(span)

    def resolve(self, change: WhatIf) -> tuple[WhatIf | None, list[str]]:
        """``change`` naming people by id, teams by name, levels and roles by id; or every reason it cannot."""
        messages: list[str] = []

        def found(result: Found) -> str | None:
            if result.problem:
                messages.append(result.problem)
            return result.value

        person = found(self.names.person(change.person))
        level = team = role = manager = None
        if change.kind == "promote":
            level = self.ladder.find_level(change.level or "")
            if level is None:
                messages.append(f"unknown level '{change.level}': give a level's id or title; the ladder's levels "
                                f"are: {', '.join(self.ladder.levels_by_id)}")
        if change.kind in ("give", "take"):
            role = find_role(change.role or "")
            if role is None:
                messages.append(f"unknown role '{change.role}'; roles are {' and '.join(ROLES)}")
        if change.kind in ("move", "give", "take"):
            team = found(self.names.team(change.team or ""))
        if change.kind == "manager" and change.manager is not None:
            manager = found(self.names.person(change.manager, "manager"))
        if messages or person is None:
            return None, messages
        return replace(change, person=person, level=level, team=team, role=role, manager=manager), []

    def active(self, pid: str) -> tuple[Person | None, str | None]:
        person = self.person(pid)
        if person is None:  # an id the names index found always exists
            return None, f"unknown person '{pid}'"
        if not person.active:
            return None, f"{person.name} ({pid}) has left the organisation"
        return person, None

    def apply(self, written: WhatIf) -> None:
        change, messages = self.resolve(written)
        if change is not None:
            messages = self._apply(change)
        if messages:
            problems = [written.problem(m) for m in messages]
            self.problems += problems
            self.refused.append((written, problems))
        elif change is not None:
            self.resolved.append(change)

    def _apply(self, change: WhatIf) -> list[str]:
        """Apply one resolved change; what makes it impossible, if anything (nothing is applied then)."""
        person, why = self.active(change.person)
        if person is None:
            return [why or ""]
        if change.kind == "manager" and change.manager is not None:
            manager, why = self.active(change.manager)
            if manager is None:
                return [why or ""]
        as_of = self.index.as_of
        if change.kind == "promote":
            level = change.level or ""
            if level == person.level:
                return [f"{person.name} ({person.id}) is already at level '{level}'"]
            self.set_person(replace(person, level=level, level_since=as_of))
        elif change.kind == "move":
            team = change.team or ""
            if team == person.team:
                return [f"{person.name} ({person.id}) is already on team {team}"]
            for span in self.roles(person.id):
                if span.team == person.team:
                    self.end(span)
            self.set_person(replace(person, team=team))
        elif change.kind in ("give", "take"):
            team, role = change.team or "", change.role or ""
            held = [r for r in self.roles(person.id) if r.team == team and r.role == role]
            if change.kind == "give" and held:
                return [f"{person.name} ({person.id}) is already {role} of {team}"]
            if change.kind == "give":
                self.delta.added.append(RoleSpan(person.id, team, role, as_of, None))
            elif not held:
                return [f"{person.name} ({person.id}) is not {role} of {team}"]
            else:
                for span in held:
                    self.end(span)
        elif change.kind == "manager":
            return self._set_manager(change, person)
        elif change.kind == "leave":
            for span in self.roles(person.id):
                self.end(span)
            for report in self.reports(person.id):
                moved = self.person(report)
                assert moved is not None
                self.set_person(replace(moved, manager_id=person.manager_id))
            self.set_person(replace(person, active=False))
        return []

    def _set_manager(self, change: WhatIf, person: Person) -> list[str]:
        if change.manager is None:
            self.set_person(replace(person, manager_id=None))
            return []
        manager = self.person(change.manager)
        assert manager is not None
        chain = [manager.id]
        up = manager.manager_id
        while up is not None and up not in chain and (above := self.person(up)) is not None:
            chain.append(up)
            up = above.manager_id
        if person.id in chain:
            path = " → ".join(chain[:chain.index(person.id) + 1])
            return [f"{manager.name} ({manager.id}) already reports up to {person.name} ({person.id}) "
                    f"({path}): that change would make a reporting cycle"]
        self.set_person(replace(person, manager_id=manager.id))
        return []


def names_of(index: OrgIndex, team_keys: Mapping[str, str] | None = None) -> OrgNames:
    """The names of the organisation an index holds, to read the people and teams changes name."""
    teams = set(index.teams) | set(index.members) | set(index.team_roles)
    return OrgNames(index.all_people, teams, team_keys)


def _ordered(problems: list[Problem]) -> list[Problem]:
    """Problems by where they were written: each source in the order first met, then by line."""
    sources: dict[str, int] = {}
    for p in problems:
        sources.setdefault(p.source, len(sources))
    return sorted(problems, key=lambda p: (sources[p.source], p.line is None, p.line or 0))


def _plan(index: OrgIndex, ladder: Ladder, changes: Sequence[WhatIf], names: OrgNames | None = None) -> _Planner:
    planner = _Planner(index, ladder, names)
    for change in changes:
        planner.apply(change)
    # A span given and taken again within the same changes was never really held.
    ended = {id(r) for r in planner.delta.ended}
    added = [r for r in planner.delta.added if id(r) not in ended]
    added_ids = {id(r) for r in planner.delta.added}
    planner.delta.ended = [r for r in planner.delta.ended if id(r) not in added_ids]
    planner.delta.added = added
    return planner


def compute_delta(index: OrgIndex, ladder: Ladder, changes: Sequence[WhatIf]) -> Delta:
    """What ``changes`` (in order) do to the organisation; raise InputError listing every bad change."""
    planner = _plan(index, ladder, changes)
    if planner.problems:
        raise InputError(_ordered(planner.problems))
    return planner.delta


def apply_changes(snapshot: OrgSnapshot, ladder: Ladder, changes: Sequence[WhatIf]) -> OrgSnapshot:
    """The organisation after ``changes``, as a new snapshot; ``snapshot`` itself is never changed.

    Roles that end, end on the snapshot's date; new roles and levels start on it.
    Raises InputError naming every unknown person, team, level or impossible change.
    """
    delta = compute_delta(OrgIndex(snapshot), ladder, changes)
    people = dict(snapshot.people)
    people.update(delta.people)
    ended = {id(r) for r in delta.ended}
    roles = [replace(r, end=snapshot.as_of) if id(r) in ended else r for r in snapshot.roles]
    return snapshot.evolve(people=people, roles=roles + delta.added)


# -- comparing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIfResult:
    """What a set of changes would do: findings that appear, disappear or change, and the metrics.

    ``changes`` are those applied, naming people by id; ``wording`` the same changes as a person
    writes them (names where they name no one else); ``skipped`` the changes that no longer apply
    (a saved scenario run again: someone has left), each with why. ``after`` (the whole report
    after the changes) is put together on first use: most callers only show what changed."""

    changes: list[WhatIf]
    appeared: list[Finding]
    disappeared: list[Finding]
    changed: list[tuple[Finding, Finding]]  # (before, after): the same finding with new evidence
    metrics_before: dict[str, float | int | None]
    metrics_after: dict[str, float | int | None]
    before: HealthReport = field(repr=False)
    report_after: Callable[[], HealthReport] = field(repr=False, compare=False)
    skipped: list[tuple[WhatIf, list[Problem]]] = field(default_factory=list)
    # How to write a person in ``wording`` (``OrgNames.word``); by id when not given.
    person_word: Callable[[str], str] = field(default=quote_word, repr=False, compare=False)

    @cached_property
    def after(self) -> HealthReport:
        return self.report_after()

    @cached_property
    def wording(self) -> list[str]:
        # On first use: the names of a large organisation are indexed only when someone reads them.
        return [c.describe(self.person_word) for c in self.changes]

    def to_dict(self) -> dict[str, Any]:
        return {
            "changes": [c.describe() for c in self.changes],
            "wording": list(self.wording),
            "skipped": [{"change": c.describe(), "line": c.line, "problems": [p.message for p in problems]}
                        for c, problems in self.skipped],
            "appeared": [f.to_dict() for f in self.appeared],
            "disappeared": [f.to_dict() for f in self.disappeared],
            "changed": [{"before": b.to_dict(), "after": a.to_dict()} for b, a in self.changed],
            "metrics": {name: {"before": value, "after": self.metrics_after.get(name)}
                        for name, value in self.metrics_before.items()},
        }


def compare(before: HealthReport, after: HealthReport, changes: Sequence[WhatIf] = ()) -> WhatIfResult:
    """Findings that appear and disappear between two reports, and the metrics before and after."""
    # Finding objects the two reports share are unchanged; only the rest need comparing.
    kept = {id(f) for f in before.findings} & {id(f) for f in after.findings}
    return _result(before, [f for f in before.findings if id(f) not in kept],
                   [f for f in after.findings if id(f) not in kept], after.metrics, changes, lambda: after)


def _result(before: HealthReport, old_findings: list[Finding], new_findings: list[Finding], metrics_after: Metrics,
            changes: Sequence[WhatIf], report_after: Callable[[], HealthReport],
            person_word: Callable[[str], str] = quote_word,
            skipped: Sequence[tuple[WhatIf, list[Problem]]] = ()) -> WhatIfResult:
    """Compare the findings that may differ (``old_findings`` of ``before`` against ``new_findings``) by what
    they are about; each list comes out in report order."""
    old = {f.key: f for f in sorted(old_findings, key=Finding.sort_key)}
    new = {f.key: f for f in sorted(new_findings, key=Finding.sort_key)}
    return WhatIfResult(
        changes=list(changes),
        appeared=[f for k, f in new.items() if k not in old],
        disappeared=[f for k, f in old.items() if k not in new],
        changed=[(old[k], f) for k, f in new.items()
                 if k in old and (old[k].message, old[k].severity) != (f.message, f.severity)],
        metrics_before=before.metrics.summary(),
        metrics_after=metrics_after.summary(),
        before=before, report_after=report_after, person_word=person_word, skipped=list(skipped),
    )


class Simulation:
    """One organisation, evaluated once, ready for many what-if questions.

    ``run(changes)`` costs about what the changes touch, not the organisation's size: the
    changes are applied to the indexes in place, only the affected teams, people and spans
    are judged again, and then everything changed is undone. Questions are answered one at a
    time (a lock), so one simulation may serve many threads. The answer equals evaluating
    ``apply_changes(...)`` in full. ``team_keys``: other keys by which changes may name teams
    (the database's numbers).
    """

    def __init__(self, snapshot: OrgSnapshot, ladder: Ladder, policy: Policy | None = None,
                 ready: Mapping[str, int] | None = None, team_keys: Mapping[str, str] | None = None):
        self.snapshot = snapshot
        self.ladder = ladder
        self.policy = policy or Policy()
        self._lock = threading.Lock()
        with gc_paused():
            self._analysis = Analysis(OrgIndex(snapshot), ladder, self.policy, ready)
            self.before = self._analysis.report()
        # Names are read from the organisation as it stands, never from one question's changes to it.
        index = self._analysis.index
        self.names = OrgNames(snapshot.people, set(index.teams) | set(index.members) | set(index.team_roles),
                              team_keys)

    def check(self, changes: Sequence[WhatIf]) -> list[Problem]:
        """Every problem of every change, without judging anything."""
        with self._lock:
            return _ordered(_plan(self._analysis.index, self.ladder, changes, self.names).problems)

    def run(self, changes: Sequence[WhatIf], *, problems: Sequence[Problem] = (),
            skip_inapplicable: bool = False) -> WhatIfResult:
        """What ``changes`` would do. Writes nothing.

        Raises InputError listing every problem of every change, after ``problems`` (those found
        reading the changes). With ``skip_inapplicable`` the changes that cannot be applied are
        left out and listed in the result's ``skipped`` instead."""
        analysis, before = self._analysis, self.before
        with self._lock:
            planner = _plan(analysis.index, self.ladder, changes, self.names)
            if (problems or planner.problems) and not skip_inapplicable:
                raise InputError(_ordered([*problems, *planner.problems]))
            with gc_paused(), analysis.trial():
                analysis.apply(planner.delta)
                old, new = analysis.rejudged()
                metrics = analysis.metrics()
                old, old_exempted = analysis.exempt(old)
                new, new_exempted = analysis.exempt(new)

        def report_after() -> HealthReport:
            gone = {id(f) for f in old} | {id(e.finding) for e in old_exempted}
            findings = [f for f in before.findings if id(f) not in gone] + new
            findings.sort(key=Finding.sort_key)
            exempted = [e for e in before.exempted if id(e.finding) not in gone] + new_exempted
            exempted.sort(key=lambda e: e.finding.sort_key())
            return HealthReport(before.as_of, findings, metrics, exempted)

        return _result(before, old, new, metrics, planner.resolved, report_after, self.names.word, planner.refused)

    @cached_property
    def example(self) -> list[str]:
        """Changes that apply to this organisation, to show how to write them: a team's tech lead
        promoted to the first management level and made the team's people manager too (the
        two-jobs trap). Empty when no team has a tech lead who could be."""
        managing = [t.id for t in self.ladder.tracks if t.effective_kind == "management"]
        level = next((lv for lv in self.ladder.levels if lv.track in managing), None)
        if level is None:
            return []
        index = self._analysis.index
        with self._lock:
            for team in sorted(index.team_roles):
                for span in index.team_roles[team]:
                    person = index.people.get(span.person_id)
                    if (span.role == TECH_LEAD and person is not None and person.level != level.id
                            and all(r.role == TECH_LEAD for r in index.person_roles.get(person.id, []))):
                        who = self.names.word(person.id)
                        return [f"promote {who} {quote_word(level.title)}",
                                f"give people_manager@{quote_word(team)} {who}"]
        return []

    def timeline(self, events: list[Change], *, end: date, months: int = 12) -> Timeline:
        """Findings per code at each month's end (``monthly_counts_from_history``), judged by changing
        this simulation's analysis of the organisation month by month and then undoing it."""
        with self._lock:
            return monthly_counts_from_history(self.snapshot, events, self.ladder, self.policy, end=end,
                                               months=months, analysis=self._analysis)


def what_if(snapshot: OrgSnapshot, ladder: Ladder, policy: Policy | None, changes: Sequence[WhatIf]) -> WhatIfResult:
    """Evaluate ``snapshot`` and what ``changes`` would do to it, in one call."""
    return Simulation(snapshot, ladder, policy).run(changes)
