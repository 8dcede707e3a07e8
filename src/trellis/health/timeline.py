"""Health over time: how many findings of each code there were at each month's end.

A leader wants to see whether the voids are closing. ``monthly_counts`` evaluates the
organisation as it stood at the end of each month (the caller says how to load it on a
date: from the database's history, or anything else) and counts the findings by code.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from trellis.health.engine import Analysis, OrgIndex, evaluate
from trellis.health.policy import Policy
from trellis.health.report import CODES
from trellis.ladder.model import Ladder
from trellis.lib.gcpause import gc_paused
from trellis.org.history import rewind
from trellis.org.model import Change, OrgSnapshot


@dataclass(frozen=True)
class Timeline:
    """``counts[code][i]`` is the number of findings of ``code`` on ``dates[i]``; every code is present."""

    dates: list[date]
    counts: dict[str, list[int]]

    def to_dict(self) -> dict[str, Any]:
        return {"dates": [d.isoformat() for d in self.dates], "counts": {k: list(v) for k, v in self.counts.items()}}


def month_ends(end: date, months: int = 12) -> list[date]:
    """``months`` dates, oldest first: the last day of each of the ``months - 1`` months before
    ``end``'s month, then ``end`` itself (the month so far)."""
    if months < 1:
        raise ValueError("months must be at least 1")
    dates = [end]
    last = end.replace(day=1) - timedelta(days=1)
    while len(dates) < months:
        dates.append(last)
        last = last.replace(day=1) - timedelta(days=1)
    return dates[::-1]


def monthly_counts(load_as_of: Callable[[date], OrgSnapshot], ladder: Ladder, policy: Policy | None = None, *,
                   end: date, months: int = 12) -> Timeline:
    """The count of each finding code at each month's end over the last ``months`` months.

    ``load_as_of(day)`` returns the organisation as it was on ``day`` (for the database,
    ``trellis.web.org.services.load_snapshot``). One evaluation per point.
    """
    dates = month_ends(end, months)
    return _count(dates, ((day, load_as_of(day)) for day in dates), ladder, policy)


def monthly_counts_from_history(current: OrgSnapshot, events: list[Change], ladder: Ladder,
                                policy: Policy | None = None, *, end: date, months: int = 12,
                                analysis: Analysis | None = None) -> Timeline:
    """The same counts as ``monthly_counts``, from the current organisation and its recorded changes.

    Walks back month by month, each step undoing only that month's changes, and judges each
    month by changing only what that month changed in one analysis of the current organisation
    (``analysis`` when the caller already has one of ``current``; it is left as it was). The
    cost of a chart is then about one evaluation, not one per month. ``events`` are the changes
    in the order they happened (any dates).
    """
    dates = month_ends(end, months)
    walk: list[tuple[date, date | None]] = []  # newest first: each day, and the end of the span of events undone
    undone_after = current.as_of
    for day in reversed(dates):
        if day < undone_after:
            walk.append((day, undone_after))
            undone_after = day
        else:
            walk.append((day, None))
    steps = _steps(events, [(day, upper) for day, upper in walk if upper is not None])
    by_day: dict[date, dict[str, int]] = {}
    with gc_paused():
        if analysis is None:
            analysis = Analysis(OrgIndex(current), ladder, policy or Policy())
        with analysis.trial():
            state = current
            for day, upper in walk:
                if upper is not None:
                    state = rewind(state, steps[day], day)
                analysis.move_to(state if state.as_of == day else state.evolve(as_of=day))
                by_day[day] = analysis.counts()
    return Timeline(dates, {code: [by_day[day][code] for day in dates] for code in CODES})


def _steps(events: list[Change], spans: list[tuple[date, date]]) -> dict[date, list[Change]]:
    """The events effective in each span (after its first day, up to and including its last),
    keyed by the first day, each list in the order ``events`` has them. ``spans`` do not overlap."""
    ordered = sorted(spans)
    lows = [low for low, _ in ordered]
    steps: dict[date, list[Change]] = {low: [] for low in lows}
    for event in events:
        i = bisect_left(lows, event.effective) - 1  # the last span starting before the event
        if i >= 0 and event.effective <= ordered[i][1]:
            steps[lows[i]].append(event)
    return steps


def _count(dates: list[date], snapshots: Iterable[tuple[date, OrgSnapshot]], ladder: Ladder,
           policy: Policy | None) -> Timeline:
    """Evaluate one snapshot at a time (a year of large snapshots would not fit in memory at once)."""
    by_day = {day: evaluate(snapshot, ladder, policy).counts() for day, snapshot in snapshots}
    return Timeline(dates, {code: [by_day[day][code] for day in dates] for code in CODES})
