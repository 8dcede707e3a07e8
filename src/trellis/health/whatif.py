"""What-if: describe changes to the organisation and see what they would do to its health.

Six kinds of change, written the same way on the command line and in a file of changes
(docs/health.md has the full syntax)::

    promote PERSON LEVEL          PERSON takes LEVEL (any level, on either track)
    move PERSON TEAM              PERSON joins TEAM; roles held on their old team end
    give ROLE@TEAM PERSON         PERSON takes ROLE (tech_lead or people_manager) on TEAM
    take ROLE@TEAM PERSON         PERSON gives up ROLE on TEAM
    manager PERSON MANAGER        PERSON's solid line now runs to MANAGER (``none``: no manager)
    leave PERSON                  PERSON leaves; their roles end and their reports move to their manager

Words are split like a shell does, so a team name with spaces is quoted:
``move alice "Payments Core"`` or ``give tech_lead@"Payments Core" alice``.

Nothing here writes anywhere: ``apply_changes`` returns a new snapshot and leaves its input
alone, and ``Simulation`` answers many questions about one organisation quickly by
recomputing only what each change touches.
"""

from __future__ import annotations

import difflib
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
from trellis.org.model import ROLES, Change, OrgSnapshot, Person, RoleSpan

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

    def describe(self) -> str:
        """The change in the one-line syntax."""
        def word(text: str) -> str:
            return shlex.quote(text)

        if self.kind == "promote":
            return f"promote {word(self.person)} {word(self.level or '')}"
        if self.kind == "move":
            return f"move {word(self.person)} {word(self.team or '')}"
        if self.kind in ("give", "take"):
            return f"{self.kind} {self.role}@{word(self.team or '')} {word(self.person)}"
        if self.kind == "manager":
            return f"manager {word(self.person)} {word(self.manager or 'none')}"
        return f"leave {word(self.person)}"

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
        if not at or not team:
            raise bad(f"'{text}': say which role on which team as ROLE@TEAM, e.g. tech_lead@Payments")
        if role not in ROLES:
            raise bad(f"'{text}': unknown role '{role}'; roles are {' and '.join(ROLES)}")
    manager = values.get("manager")
    return WhatIf(kind, values["person"], level=values.get("level"), team=values.get("team", team), role=role,
                  manager=None if manager is not None and manager.lower() == "none" else manager,
                  source=source, line=line)


def parse_what_if_options(texts: Iterable[str]) -> list[WhatIf]:
    """Read repeated ``--what-if`` options; raise InputError listing every bad one."""
    changes: list[WhatIf] = []
    problems: list[Problem] = []
    for text in texts:
        try:
            changes.append(parse_what_if(text, source=f"--what-if {text!r}"))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return changes


_FILE_KEYS = {"change", "person", "level", "team", "role", "manager"}


def parse_what_if_text(text: str, source: str) -> list[WhatIf]:
    """Read a file of changes (see docs/health.md); raise InputError listing every problem with its line."""
    located = load_located(text, source)
    if not isinstance(located.data, list):
        raise InputError([located.problem((), "a file of changes must be a YAML list, one change per item, "
                                               "e.g. '- promote alice engineering-manager'")])
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
    if problems:
        raise InputError(problems)
    return changes


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
    if "role" in needed and item.get("role") not in (None, *ROLES):
        problems.append(located.problem((i, "role"), f"unknown role '{item['role']}'; roles are "
                                                     f"{' and '.join(ROLES)}"))
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
    text = read_text(path)
    return parse_what_if_text(text, str(path))


# -- applying changes ----------------------------------------------------------------------


class _Planner:
    """The organisation as the changes so far leave it, read through the snapshot's indexes."""

    def __init__(self, index: OrgIndex, ladder: Ladder):
        self.index = index
        self.ladder = ladder
        self.delta = Delta()
        self.ended_ids: set[int] = set()
        self.problems: list[Problem] = []

    def person(self, pid: str) -> Person | None:
        return self.delta.people.get(pid) or self.index.all_people.get(pid)

    def roles(self, pid: str) -> list[RoleSpan]:
        held = [r for r in self.index.person_roles.get(pid, []) if id(r) not in self.ended_ids]
        return held + [r for r in self.delta.added if r.person_id == pid and id(r) not in self.ended_ids]

    def reports(self, pid: str) -> list[str]:
        candidates = set(self.index.reports.get(pid, [])) | set(self.delta.people)
        return sorted(x for x in candidates if (p := self.person(x)) is not None and p.active and p.manager_id == pid)

    def has_team(self, team: str) -> bool:
        return self.index.has_team(team) or any(r.team == team for r in self.delta.added)

    def set_person(self, person: Person) -> None:
        self.delta.people[person.id] = person

    def end(self, span: RoleSpan) -> None:
        self.ended_ids.add(id(span))
        self.delta.ended.append(span)

    def active(self, change: WhatIf, pid: str, what: str = "person") -> Person | None:
        person = self.person(pid)
        if person is None:
            known = list(self.index.all_people)
            close = difflib.get_close_matches(pid, known, n=3) if len(known) < 50_000 else []
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            self.problems.append(change.problem(f"unknown {what} '{pid}': no one has that id{hint}"))
            return None
        if not person.active:
            self.problems.append(change.problem(f"{person.name} ({pid}) has left the organisation"))
            return None
        return person

    def check_team(self, change: WhatIf, team: str) -> bool:
        if self.has_team(team):
            return True
        known = list(self.index.teams)
        close = difflib.get_close_matches(team, known, n=3) if len(known) < 50_000 else []
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        self.problems.append(change.problem(f"unknown team '{team}': teams are named as in the organisation{hint}"))
        return False

    def apply(self, change: WhatIf) -> None:
        person = self.active(change, change.person)
        if person is None:
            return
        as_of = self.index.as_of
        if change.kind == "promote":
            level = change.level or ""
            if level not in self.ladder.levels_by_id:
                self.problems.append(change.problem(
                    f"unknown level '{level}'; the ladder's levels are: {', '.join(self.ladder.levels_by_id)}"))
            elif level == person.level:
                self.problems.append(change.problem(f"{person.name} ({person.id}) is already at level '{level}'"))
            else:
                self.set_person(replace(person, level=level, level_since=as_of))
        elif change.kind == "move":
            team = change.team or ""
            if not self.check_team(change, team):
                return
            if team == person.team:
                self.problems.append(change.problem(f"{person.name} ({person.id}) is already on team {team}"))
                return
            for span in self.roles(person.id):
                if span.team == person.team:
                    self.end(span)
            self.set_person(replace(person, team=team))
        elif change.kind in ("give", "take"):
            team, role = change.team or "", change.role or ""
            if not self.check_team(change, team):
                return
            held = [r for r in self.roles(person.id) if r.team == team and r.role == role]
            if change.kind == "give" and held:
                self.problems.append(change.problem(f"{person.name} ({person.id}) is already {role} of {team}"))
            elif change.kind == "give":
                self.delta.added.append(RoleSpan(person.id, team, role, as_of, None))
            elif not held:
                self.problems.append(change.problem(f"{person.name} ({person.id}) is not {role} of {team}"))
            else:
                for span in held:
                    self.end(span)
        elif change.kind == "manager":
            self._set_manager(change, person)
        elif change.kind == "leave":
            for span in self.roles(person.id):
                self.end(span)
            for report in self.reports(person.id):
                moved = self.person(report)
                assert moved is not None
                self.set_person(replace(moved, manager_id=person.manager_id))
            self.set_person(replace(person, active=False))

    def _set_manager(self, change: WhatIf, person: Person) -> None:
        if change.manager is None:
            self.set_person(replace(person, manager_id=None))
            return
        manager = self.active(change, change.manager, "manager")
        if manager is None:
            return
        chain = [manager.id]
        up = manager.manager_id
        while up is not None and up not in chain and (above := self.person(up)) is not None:
            chain.append(up)
            up = above.manager_id
        if person.id in chain:
            path = " → ".join(chain[:chain.index(person.id) + 1])
            self.problems.append(change.problem(
                f"{manager.name} ({manager.id}) already reports up to {person.name} ({person.id}) "
                f"({path}): that change would make a reporting cycle"))
            return
        self.set_person(replace(person, manager_id=manager.id))


def compute_delta(index: OrgIndex, ladder: Ladder, changes: Sequence[WhatIf]) -> Delta:
    """What ``changes`` (in order) do to the organisation; raise InputError listing every bad change."""
    planner = _Planner(index, ladder)
    for change in changes:
        planner.apply(change)
    if planner.problems:
        raise InputError(planner.problems)
    # A span given and taken again within the same changes was never really held.
    ended = {id(r) for r in planner.delta.ended}
    added = [r for r in planner.delta.added if id(r) not in ended]
    added_ids = {id(r) for r in planner.delta.added}
    planner.delta.ended = [r for r in planner.delta.ended if id(r) not in added_ids]
    planner.delta.added = added
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

    ``after`` (the whole report after the changes) is put together on first use: most callers
    only show what changed."""

    changes: list[WhatIf]
    appeared: list[Finding]
    disappeared: list[Finding]
    changed: list[tuple[Finding, Finding]]  # (before, after): the same finding with new evidence
    metrics_before: dict[str, float | int | None]
    metrics_after: dict[str, float | int | None]
    before: HealthReport = field(repr=False)
    report_after: Callable[[], HealthReport] = field(repr=False, compare=False)

    @cached_property
    def after(self) -> HealthReport:
        return self.report_after()

    def to_dict(self) -> dict[str, Any]:
        return {
            "changes": [c.describe() for c in self.changes],
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
            changes: Sequence[WhatIf], report_after: Callable[[], HealthReport]) -> WhatIfResult:
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
        before=before, report_after=report_after,
    )


class Simulation:
    """One organisation, evaluated once, ready for many what-if questions.

    ``run(changes)`` costs about what the changes touch, not the organisation's size: the
    changes are applied to the indexes in place, only the affected teams, people and spans
    are judged again, and then everything changed is undone. Questions are answered one at a
    time (a lock), so one simulation may serve many threads. The answer equals evaluating
    ``apply_changes(...)`` in full.
    """

    def __init__(self, snapshot: OrgSnapshot, ladder: Ladder, policy: Policy | None = None,
                 ready: Mapping[str, int] | None = None):
        self.snapshot = snapshot
        self.ladder = ladder
        self.policy = policy or Policy()
        self._lock = threading.Lock()
        with gc_paused():
            self._analysis = Analysis(OrgIndex(snapshot), ladder, self.policy, ready)
            self.before = self._analysis.report()

    def run(self, changes: Sequence[WhatIf]) -> WhatIfResult:
        """What ``changes`` would do; raise InputError listing every bad change. Writes nothing."""
        analysis, before = self._analysis, self.before
        with self._lock:
            delta = compute_delta(analysis.index, self.ladder, changes)
            with gc_paused(), analysis.trial():
                analysis.apply(delta)
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

        return _result(before, old, new, metrics, changes, report_after)

    def timeline(self, events: list[Change], *, end: date, months: int = 12) -> Timeline:
        """Findings per code at each month's end (``monthly_counts_from_history``), judged by changing
        this simulation's analysis of the organisation month by month and then undoing it."""
        with self._lock:
            return monthly_counts_from_history(self.snapshot, events, self.ladder, self.policy, end=end,
                                               months=months, analysis=self._analysis)


def what_if(snapshot: OrgSnapshot, ladder: Ladder, policy: Policy | None, changes: Sequence[WhatIf]) -> WhatIfResult:
    """Evaluate ``snapshot`` and what ``changes`` would do to it, in one call."""
    return Simulation(snapshot, ladder, policy).run(changes)
