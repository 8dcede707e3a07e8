"""Health of the organisation in the database: the policy in force, cached reports, what-if, timeline.

A report is computed from a snapshot of the whole organisation, so it is cached per
process and keyed by what it depends on: the organisation's state (the newest history
event and role assignment), the active ladder version, the policy and the date. Any
import changes the key; nothing needs to be invalidated by hand. Reports are also kept in
the database (``JudgedReport``): the writer judges the organisation once after each change
(``keep_report``: today's report, and last month's end's for the home page), and every page of
every process reads them back instead of judging the whole organisation itself.
"""

from __future__ import annotations

import functools
import hashlib
import json
import operator
import os
import shlex
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Min

from trellis.health.acknowledge import Acknowledgement as AcknowledgementData
from trellis.health.acknowledge import FindingKey, Sorted, acknowledged, evidence_of, lapse_reason, sort_findings
from trellis.health.engine import CODES, Finding, HealthReport, evaluate
from trellis.health.policy import Policy, load_policy
from trellis.health.report import STORED_FORMAT, report_from_stored, stored_report
from trellis.health.timeline import Timeline, month_ends
from trellis.health.whatif import Simulation, WhatIfResult, read_what_if_lines
from trellis.ladder.model import Ladder
from trellis.lib import clock
from trellis.lib.lru import LRU
from trellis.lib.problems import InputError, Problem
from trellis.web.growth.queries import bench_readiness
from trellis.web.health.models import Acknowledgement, JudgedReport
from trellis.web.health.visibility import Visibility
from trellis.web.ladders.models import LadderVersion
from trellis.web.ladders.services import active_ladder
from trellis.web.org import services as org_services
from trellis.web.org.access import Viewer
from trellis.web.org.models import HistoryEvent, Person, RoleAssignment, Team
from trellis.web.org.queries import held_on
from trellis.web.org.timeline import ROLE_LABELS

POLICY_ENV = "TRELLIS_POLICY"
CACHE_SIZE = 24
PAGES_KEPT = 64
T = TypeVar("T")


@dataclass(frozen=True)
class PolicyInForce:
    policy: Policy
    source: str  # the file, or "defaults"
    problems: list[Problem]  # a bad policy file falls back to the defaults and says why


def policy_in_force(ladder: Ladder) -> PolicyInForce:
    path = os.environ.get(POLICY_ENV, "").strip()
    if not path:
        return PolicyInForce(Policy(), "defaults", [])
    try:
        stamp = Path(path).stat().st_mtime_ns
    except OSError:
        return PolicyInForce(Policy(), "defaults", [Problem(path, None, f"the policy file named by {POLICY_ENV} "
                                                                      "does not exist: the defaults apply")])
    return _cached(("policy", path, stamp, ladder.id, ladder.version), lambda: _read_policy(path, ladder))


def _read_policy(path: str, ladder: Ladder) -> PolicyInForce:
    try:
        return PolicyInForce(load_policy(path, ladder), path, [])
    except InputError as exc:
        return PolicyInForce(Policy(), "defaults", exc.problems)


_cache = LRU(CACHE_SIZE)


def _cached(key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    return _cache.get(key, compute)


# Pages rendered from a report, per report and class of viewer: many small entries, kept apart so
# that they never push a whole organisation's simulation out of the cache above.
_pages = LRU(PAGES_KEPT)


def clear_cache() -> None:
    _cache.forget()
    _pages.forget()


def _state_key() -> tuple[Any, ...]:
    """What the organisation's health depends on, read in one small query."""
    tables = {name: model._meta.db_table for name, model in
              (("event", HistoryEvent), ("role", RoleAssignment), ("person", Person), ("ladder", LadderVersion))}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {tables['event']}), (SELECT MAX(id) FROM {tables['role']}), "
            f"(SELECT COUNT(*) FROM {tables['person']}), "
            f"(SELECT sha256 FROM {tables['ladder']} WHERE is_active = %s)", [True])
        return tuple(cursor.fetchone() or ())


@dataclass(frozen=True)
class Health:
    """A report with everything it was judged by."""

    report: HealthReport
    ladder: Ladder
    policy: PolicyInForce
    key: tuple[Any, ...] = ()  # everything the report depends on, for what is kept beside it

    def kept(self, what: str, part: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` kept beside the report: asked again for the same report and ``part`` (a
        page for one class of viewer, say), it is not computed again."""
        problems = tuple(str(p) for p in self.policy.problems)
        return _pages.get((what, self.key, problems, part), compute)


def health(as_of: date | None = None) -> Health:
    """The organisation's health today, or as it was on ``as_of``."""
    ladder = active_ladder()
    policy = policy_in_force(ladder)
    report, key = _report(_key(as_of, policy), ladder, policy)
    return Health(report, ladder, policy, key=key)


def _key(as_of: date | None, policy: PolicyInForce) -> tuple[Any, ...]:
    """Everything a report depends on: the day judged, the organisation's state (with the active
    ladder's), the policy and, today, once a review cycle is closed, how many it found ready for
    each level (thin-bench counts them; a past date is judged by the level below)."""
    if as_of is not None:
        return ("report", as_of, _state_key(), policy.source, policy.policy)
    bench = bench_readiness()
    ready = bench[1] if bench else None
    return ("today", clock.today(), _state_key(), policy.source, policy.policy,
            tuple(sorted(ready.items())) if ready is not None else None)


def _ready(key: tuple[Any, ...]) -> dict[str, int] | None:
    return dict(key[5]) if key[0] == "today" and key[5] is not None else None


def _digest(key: tuple[Any, ...]) -> str:
    """What a report is kept by in the database: the same in every process that judges by the same policy."""
    def plain(value: Any) -> Any:
        return value.model_dump_json() if isinstance(value, Policy) else value.isoformat()

    return hashlib.sha256(json.dumps([STORED_FORMAT, RULES, *key], default=plain).encode()).hexdigest()


def _rules() -> str:
    """The health engine's own text, as a digest: a report kept by another version of the rules (before an
    upgrade) is not read as today's, but judged again."""
    engine = Path(evaluate.__code__.co_filename).parent
    digest = hashlib.sha256()
    for source in sorted(engine.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


RULES = _rules()


def _policy_digest(key: tuple[Any, ...]) -> str:
    """The policy a report of ``key`` is judged by (its file and thresholds): another process may judge by another."""
    return _digest(("policy", key[3], key[4]))


def _report(key: tuple[Any, ...], ladder: Ladder, policy: PolicyInForce) -> tuple[HealthReport, tuple[Any, ...]]:
    """The report of ``key`` and what it is known by in this process: the one the writer kept, read
    once per state; judged here only when no writer kept it (a database written by an older
    version, an organisation built by hand, another policy, another day)."""
    if key in _cache:
        return _cached(key, lambda: _judged_and_kept(key, ladder, policy)), key
    text = JudgedReport.objects.filter(key=_digest(key)).values_list("report", flat=True).first()
    if text is None:
        meanwhile = _while_an_import_is_judged(key)
        if meanwhile is not None:
            return meanwhile
    return _cached(key, lambda: report_from_stored(text) if text is not None
                   else _judged_and_kept(key, ladder, policy)), key


def _judged(key: tuple[Any, ...], ladder: Ladder, policy: PolicyInForce, *, simulation: bool) -> HealthReport:
    """The report of ``key`` judged now: today's from the simulation when ``simulation`` (what-if
    questions and the timeline then start from it)."""
    if key[0] == "report":
        return evaluate(org_services.load_snapshot(key[1]), ladder, policy.policy)
    if simulation:
        return _simulation_of(key, ladder, policy).before
    return evaluate(org_services.load_snapshot(), ladder, policy.policy, _ready(key))


def _judged_and_kept(key: tuple[Any, ...], ladder: Ladder, policy: PolicyInForce) -> HealthReport:
    """Judged by a page: kept for the others when it is one the writer keeps (today's, the headlines'), so
    that a page about some past day never pushes those out of the few kept."""
    report = _judged(key, ladder, policy, simulation=True)
    if _writers_keep(key):
        _keep(key, report, wait=False)
    return report


def _while_an_import_is_judged(key: tuple[Any, ...]) -> tuple[HealthReport, tuple[Any, ...]] | None:
    """An import has written and is judging the organisation it wrote: until it keeps that report,
    pages show the latest report kept for the same day and policy rather than each judging 100,000
    people for themselves. Not kept in this process as the report of the new state."""
    running = org_services.running_import()
    if running is None or not running.written:
        return None  # before an import has written, the organisation is as it was: its report is read as usual
    latest = JudgedReport.objects.filter(as_of=key[1], policy=_policy_digest(key)).order_by(
        "-judged_at", "-id").values_list("key", "report").first()
    if latest is None:
        # Nothing kept for this day, but this process judged or read one of that day by that policy (a report
        # a page judged and could not keep while sign-ins wrote, say): the same as a kept one, with no waiting.
        known = _cache.newest(lambda k: k[0] in ("today", "report") and k[1] == key[1] and k[3:5] == key[3:5])
        if known is not None:
            return known[1], known[0]
        # Nothing kept for this day yet (the organisation's first import, say): wait for the import
        # to keep it rather than judge the same organisation a second time beside it (it keeps
        # today's and the headlines' only). Waiting leaves the interpreter to the process's other
        # requests; judging here would stall them.
        if not _writers_keep(key):
            return None
        text = _kept_by_the_import(key)
        if text is None:
            return None
        return _cached(key, lambda: report_from_stored(text)), key
    kept_as = ("kept", latest[0])
    return _cached(kept_as, lambda: report_from_stored(latest[1])), kept_as


IMPORT_JUDGING_WAIT_SECONDS = 10.0  # how long a page waits for a running import to keep the report it asks for


def _kept_by_the_import(key: tuple[Any, ...]) -> str | None:
    """The report of ``key`` once the running import has kept it; None when the import ended without
    keeping it (judged by another policy) or has not kept it within ``IMPORT_JUDGING_WAIT_SECONDS``."""
    kept = JudgedReport.objects.filter(key=_digest(key)).values_list("report", flat=True)
    waited = 0.0
    while waited < IMPORT_JUDGING_WAIT_SECONDS:  # the caller has just found it not kept: wait first
        clock.wait(0.1)
        waited += 0.1
        ended = org_services.running_import() is None  # before the report: one kept as it ended is seen
        text = kept.first()
        if text is not None or ended:
            return text
    return None


REPORTS_KEPT = 8


def _writers_keep(key: tuple[Any, ...]) -> bool:
    """Whether the report of ``key`` is one a writer keeps after each change (``keep_report``): today's,
    or the headlines' month end."""
    return key[0] == "today" or key[1] == headlines_since()


def headlines_since() -> date:
    """The day the home page's headline figures are compared with: the end of last month."""
    return month_ends(clock.today(), 2)[0]


def keep_report(*, again: bool = False) -> int:
    """Judge the organisation once and keep the reports pages ask for (today's, and last month's end
    for the headlines), unless they are kept already; how many were judged. The writer calls this once
    it has committed a change (``trellis.web.org.services``), so that no page pays for judging the
    whole organisation; a report judged while someone else wrote is not kept."""
    ladder = active_ladder()
    policy = policy_in_force(ladder)
    judged = 0
    for as_of in (None, headlines_since()):
        key = _key(as_of, policy)
        digest = _digest(key)
        if again:
            JudgedReport.objects.filter(key=digest).delete()
            _cache.forget(functools.partial(operator.eq, key))
        elif JudgedReport.objects.filter(key=digest).exists():
            continue
        try:
            report = _judged(key, ladder, policy, simulation=False)
        except org_services.BeforeTheRecords:
            continue  # nothing is known then
        judged += 1
        if _key(as_of, policy) == key:
            _keep(key, report, wait=True)
    return judged


def _keep(key: tuple[Any, ...], report: HealthReport, *, wait: bool) -> None:
    """Keep ``report`` with the latest few others. A page (``wait`` False) never waits for SQLite's
    write lock to do it: while an import holds the lock, the report is simply not kept."""
    text = stored_report(report)
    try:
        with _not_waiting(not wait), transaction.atomic():
            JudgedReport.objects.get_or_create(key=_digest(key), defaults={
                "report": text, "as_of": report.as_of, "policy": _policy_digest(key), "judged_at": clock.now()})
            older = list(JudgedReport.objects.order_by("-judged_at", "-id").values_list("id", flat=True)[REPORTS_KEPT:])
            JudgedReport.objects.filter(id__in=older).delete()
    except (OperationalError, IntegrityError):
        if wait:
            raise


@contextmanager
def _not_waiting(really: bool) -> Iterator[None]:
    """On SQLite, give up at once instead of waiting for another writer's lock."""
    if not really or connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    waits = int(float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5)) * 1000)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {waits}")


def _simulation(ladder: Ladder, policy: PolicyInForce) -> Simulation:
    return _simulation_of(_key(None, policy), ladder, policy)


def _simulation_of(key: tuple[Any, ...], ladder: Ladder, policy: PolicyInForce) -> Simulation:
    """Today's organisation, judged once per state: what-if questions and the timeline start from it."""
    simulation_key = ("simulation", *key[1:])
    # One at a time: a simulation holds the whole organisation, and after an import the one
    # before it will not be asked again.
    _cache.forget(lambda k: k[0] == "simulation" and k != simulation_key)
    return _cached(simulation_key, lambda: Simulation(org_services.load_snapshot(), ladder, policy.policy,
                                                      _ready(key), team_keys=team_keys()))


def role_holders(health: Health) -> dict[str, list[tuple[str, str]]]:
    """Who holds a role on each team today (active people): team -> (person id, role). One query, kept
    beside the report, so that a team's findings cost no more queries than the report does."""
    def read() -> dict[str, list[tuple[str, str]]]:
        held: dict[str, list[tuple[str, str]]] = {}
        for team, pid, role in RoleAssignment.objects.filter(held_on(clock.today()), person__active=True).values_list(
                "team__name", "person__external_id", "role"):
            held.setdefault(team, []).append((pid, role))
        return held

    return health.kept("role-holders", clock.today(), read)


def hitting_team(findings: Sequence[Finding], holders: Sequence[tuple[str, str]],
                 team: str) -> tuple[list[Finding], dict[FindingKey, str]]:
    """What hits a team: the findings filed under it, and those about the people who hold its roles
    today (``holders``: person id and role; its tech lead spread over four teams, its manager doing
    two jobs elsewhere), most severe first; with, for each of the latter, who that person is to the
    team ("its tech lead")."""
    held: dict[str, list[str]] = {}
    for pid, role in holders:
        held.setdefault(pid, []).append(ROLE_LABELS.get(role, role))
    chosen: list[Finding] = []
    notes: dict[FindingKey, str] = {}
    for f in findings:
        if f.team == team:
            chosen.append(f)
        elif f.person in held:
            chosen.append(f)
            notes[f.key] = f"about its {' and '.join(sorted(held[f.person]))}"
    chosen.sort(key=Finding.sort_key)
    return chosen, notes


def person_names(ids: Iterable[str]) -> dict[str, str]:
    """The names of the people with these ids: one query, even for none, so that a page costs the
    same whatever it lists."""
    wanted = set(ids) or {""}
    return dict(Person.objects.filter(external_id__in=wanted).values_list("external_id", "name"))


def team_keys() -> dict[str, str]:
    """A team is also known by its number, as in its page's address: number -> name."""
    return {str(pk): name for pk, name in Team.objects.values_list("pk", "name")}


def simulation() -> Simulation:
    """Today's organisation, judged, ready for what-if questions (see ``trellis.health.whatif``)."""
    ladder = active_ladder()
    return _simulation(ladder, policy_in_force(ladder))


def simulate(text: str, source: str = "what-if", *, skip_inapplicable: bool = False) -> WhatIfResult:
    """What the changes written in ``text`` (one per line) would do. Writes nothing anywhere.

    Every problem of every line is raised at once (InputError); with ``skip_inapplicable``, changes
    that read well but no longer apply (someone has left) are listed in the result instead."""
    changes, problems = read_what_if_lines(text, source)
    if not changes and not problems:
        raise InputError([Problem(source, None, "no changes given: write one change per line, "
                                                "e.g. 'promote alice engineering-manager'")])
    if problems and skip_inapplicable:
        raise InputError(problems)
    return simulation().run(changes, problems=problems, skip_inapplicable=skip_inapplicable)


def timeline(months: int = 12, end: date | None = None) -> Timeline:
    """Findings per code at each month's end: today's judged organisation rewound month by month.

    The months before the organisation was first imported are left out (there was nothing to
    judge, not an organisation with no findings): the timeline starts at the first month's end on
    or after the day the records begin, and may hold fewer than ``months`` points."""
    last = end or clock.today()
    ladder = active_ladder()
    policy = policy_in_force(ladder)
    key = ("timeline", last, months, _state_key(), policy.source, policy.policy)
    return _cached(key, lambda: _timeline(months, last, _simulation(ladder, policy)))


def _timeline(months: int, end: date, simulation: Simulation) -> Timeline:
    # The first import is a baseline with no history rows of its own: its date is where the records begin.
    started = org_services.records_begin() or HistoryEvent.objects.aggregate(first=Min("effective"))["first"]
    if started is not None:
        months = max(sum(1 for day in month_ends(end, months) if day >= started), 1)
    events = org_services.history_after(month_ends(end, months)[0])
    return simulation.timeline(events, end=end, months=months)


# -- acknowledgements ------------------------------------------------------------------------


def acknowledgements() -> list[AcknowledgementData]:
    """Every acknowledgement in force or lapsed (not withdrawn), newest first."""
    return [row.data() for row in Acknowledgement.objects.filter(withdrawn_at__isnull=True)]


def sort_report(report: HealthReport, findings: list[Finding] | None = None) -> Sorted:
    """The report's findings (or the subset given) split into open and acknowledged, as of today."""
    return sort_findings(report.findings if findings is None else findings, acknowledgements(), clock.today())


def find(report: HealthReport, code: str, team: str | None, person: str | None, level: str | None = None,
         source: str = "acknowledge") -> Finding:
    """The one finding of ``code`` about that team, person or level in ``report`` (those given must match);
    InputError saying which exist when there is none, or which to choose among when there are several."""
    matches = [f for f in report.findings if f.code == code and (team is None or f.team == team)
               and (person is None or f.person == person) and (level is None or f.level == level)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise InputError([Problem(source, None, f"{len(matches)} {code} findings match: name one by "
                                                f"{'; '.join(_about(f) for f in matches[:10])}")])
    same_code = [f for f in report.findings if f.code == code]
    about = ", ".join(filter(None, (f"team {team}" if team else "", f"person {person}" if person else "",
                                    f"level {level}" if level else ""))) or "the organisation"
    known = "; ".join(_about(f) for f in same_code[:10]) or "none today"
    raise InputError([Problem(source, None, f"there is no {code} finding about {about} today; {code} findings "
                                            f"today are about: {known}")])


def _about(f: Finding) -> str:
    return " ".join(filter(None, (f"--team {shlex.quote(f.team)}" if f.team and not f.person else "",
                                  f"--person {f.person}" if f.person else "",
                                  f"--level {f.level}" if f.level else ""))) or "the organisation"


def acknowledge(viewer: Viewer, *, code: str, team: str | None = None, person: str | None = None,
                level: str | None = None, reason: str, until: date | None = None, by: str,
                by_user: Any = None, source: str = "acknowledge") -> AcknowledgementData:
    """Record that today's finding is deliberate; raise InputError for a bad request and
    PermissionDenied when ``viewer`` may not acknowledge it."""
    problems: list[Problem] = []
    if not reason.strip():
        problems.append(Problem(source, None, "say why the finding is acknowledged (a reason is required)"))
    if until is not None and until < clock.today():
        problems.append(Problem(source, None, f"{until.isoformat()} has passed: an acknowledgement runs until "
                                              "today or a later date"))
    if code not in CODES:
        problems.append(Problem(source, None, f"unknown finding code '{code}'; codes are: {', '.join(CODES)}"))
    if problems:
        raise InputError(problems)
    finding = find(health().report, code, team, person, level, source)
    if finding.key not in Visibility.of_viewer(viewer).acknowledgeable([finding]):
        raise PermissionDenied("only HR, admin and the managers above a team or person may acknowledge a "
                               "finding about them")
    row = Acknowledgement.objects.create(
        code=finding.code, team=finding.team or "", person=finding.person or "", level=finding.level or "",
        evidence=evidence_of(finding), message=finding.message, reason=reason.strip(), until=until,
        by_user=by_user if getattr(by_user, "is_authenticated", False) else None, by=by, at=clock.now())
    return row.data()


def withdraw(viewer: Viewer, ack_id: int, by: str) -> AcknowledgementData:
    """Withdraw an acknowledgement: its finding is open again. Same rights as acknowledging it."""
    row = Acknowledgement.objects.filter(pk=ack_id, withdrawn_at__isnull=True).first()
    if row is None:
        raise InputError([Problem("withdraw", None, f"no acknowledgement {ack_id} in force: "
                                                    "'trellis health acknowledgements' lists them")])
    data = row.data()
    probe = Finding(data.code, "info", data.team, data.person, None, "", "", level=data.level)
    if probe.key not in Visibility.of_viewer(viewer).acknowledgeable([probe]):
        raise PermissionDenied("only HR, admin and the managers above a team or person may withdraw this")
    row.withdrawn_at = clock.now()
    row.withdrawn_by = by
    row.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return data


def acknowledgement_status() -> list[tuple[AcknowledgementData, str]]:
    """Every acknowledgement not withdrawn, newest first, with what it does today: in force, lapsed
    (and why), superseded by a newer one, or its finding gone."""
    report = health().report
    today = clock.today()
    findings = {f.key: f for f in report.findings}
    seen: set[tuple[str, str, str, str]] = set()
    rows = []
    for ack in acknowledgements():
        finding = findings.get(ack.key)
        if ack.key in seen:
            status = "superseded by a newer acknowledgement"
        elif finding is None:
            status = "the finding is gone"
        else:
            status = lapse_reason(ack, finding, today) or "in force"
        seen.add(ack.key)
        rows.append((ack, status))
    return rows


def acknowledged_report(report: HealthReport, acknowledgements_read: Sequence[AcknowledgementData] | None = None
                        ) -> HealthReport:
    """``report`` with today's acknowledgements applied (those given, or read now): acknowledged
    findings apart, out of the counts."""
    found = list(acknowledgements() if acknowledgements_read is None else acknowledgements_read)
    return acknowledged(report, found, clock.today())


def who(user: Any) -> str:
    """How an acknowledgement names the account that made it."""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full} ({user.get_username()})" if full else str(user.get_username())
