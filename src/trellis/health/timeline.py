"""Health over time: how many findings of each code there were at each month's end.

A leader wants to see whether the voids are closing. ``monthly_counts`` evaluates the
organisation as it stood at the end of each month (the caller says how to load it on a
date: from the database's history, or anything else) and counts the findings by code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from trellis.health.engine import evaluate
from trellis.health.policy import Policy
from trellis.health.report import CODES
from trellis.ladder.model import Ladder
from trellis.org.model import OrgSnapshot


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
    counts: dict[str, list[int]] = {code: [] for code in CODES}
    for day in dates:
        report = evaluate(load_as_of(day), ladder, policy)
        for code, n in report.counts().items():
            counts[code].append(n)
    return Timeline(dates, counts)
