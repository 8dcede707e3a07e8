"""Health of the organisation in the database: the policy in force, cached reports, what-if, timeline.

A report is computed from a snapshot of the whole organisation, so it is cached per
process and keyed by what it depends on: the organisation's state (the newest history
event and role assignment), the active ladder version, the policy and the date. Any
import changes the key; nothing needs to be invalidated by hand.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Min

from trellis.health.engine import HealthReport, evaluate
from trellis.health.policy import Policy, load_policy
from trellis.health.timeline import Timeline, month_ends
from trellis.health.whatif import Simulation, WhatIf, WhatIfResult, parse_what_if
from trellis.ladder.model import Ladder
from trellis.lib import clock
from trellis.lib.problems import InputError, Problem
from trellis.web.ladders.models import LadderVersion
from trellis.web.ladders.services import active_ladder
from trellis.web.org import services as org_services
from trellis.web.org.models import HistoryEvent, Person, RoleAssignment

POLICY_ENV = "TRELLIS_POLICY"
CACHE_SIZE = 24
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


_cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_lock = threading.Lock()


def _cached(key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    value = compute()
    with _lock:
        _cache[key] = value
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def clear_cache() -> None:
    with _lock:
        _cache.clear()


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


def health(as_of: date | None = None) -> Health:
    """The organisation's health today, or as it was on ``as_of``."""
    ladder = active_ladder()
    policy = policy_in_force(ladder)
    if as_of is None:
        return Health(_simulation(ladder, policy).before, ladder, policy)
    key = ("report", as_of, _state_key(), policy.source, policy.policy)
    report = _cached(key, lambda: evaluate(org_services.load_snapshot(as_of), ladder, policy.policy))
    return Health(report, ladder, policy)


def _simulation(ladder: Ladder, policy: PolicyInForce) -> Simulation:
    """Today's organisation, judged once per state: today's report, what-if questions and the
    timeline all start from it, so that only the first of them pays for loading and judging."""
    key = ("simulation", clock.today(), _state_key(), policy.source, policy.policy)
    with _lock:
        # One at a time: a simulation holds the whole organisation, and after an import the one
        # before it will not be asked again.
        for stale in [k for k in _cache if k[0] == "simulation" and k != key]:
            del _cache[stale]
    return _cached(key, lambda: Simulation(org_services.load_snapshot(), ladder, policy.policy))


def simulate(text: str, source: str = "what-if") -> WhatIfResult:
    """What the changes written in ``text`` (one per line) would do. Writes nothing anywhere."""
    changes = parse_lines(text, source)
    if not changes:
        raise InputError([Problem(source, None, "no changes given: write one change per line, "
                                                "e.g. 'promote alice engineering-manager'")])
    ladder = active_ladder()
    return _simulation(ladder, policy_in_force(ladder)).run(changes)


def parse_lines(text: str, source: str) -> list[WhatIf]:
    """One change per line in the one-line syntax; blank lines and ``#`` comments are skipped."""
    changes: list[WhatIf] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            try:
                changes.append(parse_what_if(line.strip(), source, number))
            except InputError as exc:
                problems += exc.problems
    if problems:
        raise InputError(problems)
    return changes


def timeline(months: int = 12, end: date | None = None) -> Timeline:
    """Findings per code at each month's end: today's judged organisation rewound month by month."""
    last = end or clock.today()
    ladder = active_ladder()
    policy = policy_in_force(ladder)
    key = ("timeline", last, months, _state_key(), policy.source, policy.policy)
    return _cached(key, lambda: _timeline(months, last, _simulation(ladder, policy)))


def _timeline(months: int, end: date, simulation: Simulation) -> Timeline:
    events = org_services.history_after(month_ends(end, months)[0])
    timeline = simulation.timeline(events, end=end, months=months)
    # Before the organisation was first imported there is nothing to judge, not a void.
    started = HistoryEvent.objects.aggregate(first=Min("effective"))["first"]
    if started is None:
        return timeline
    empty = [i for i, day in enumerate(timeline.dates) if day < started]
    return Timeline(timeline.dates, {code: [0 if i in empty else n for i, n in enumerate(values)]
                                     for code, values in timeline.counts.items()})
