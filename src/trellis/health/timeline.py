"""Health over time: how many findings of each code there were at each month's end.

A leader wants to see whether the voids are closing. ``monthly_counts`` evaluates the
organisation as it stood at the end of each month (the caller says how to load it on a
date: from the database's history, or anything else) and counts the findings by code.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from trellis.health.engine import Analysis, OrgIndex, evaluate
from trellis.health.policy import Policy
from trellis.health.report import CODES
from trellis.ladder.model import Ladder
from trellis.lib.gcpause import gc_paused
from trellis.org.history import rewind, undo
from trellis.org.model import Change, OrgSnapshot, RoleSpan, Team


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
            if any(e.kind == "team-renamed" for step in steps.values() for e in step):
                _judge_whole_months(analysis, current, walk, steps, by_day)
            else:
                _judge_steps(analysis, current, walk, steps, by_day)
    return Timeline(dates, {code: [by_day[day][code] for day in dates] for code in CODES})


def _judge_whole_months(analysis: Analysis, current: OrgSnapshot, walk: list[tuple[date, date | None]],
                        steps: dict[date, list[Change]], by_day: dict[date, dict[str, int]]) -> None:
    """Each month's whole organisation rewound and compared with the last (a team renamed in the
    year renames people and roles all over: the simple way is then the safe one)."""
    state = current
    for day, upper in walk:
        if upper is not None:
            state = rewind(state, steps[day], day)
        analysis.move_to(state if state.as_of == day else state.evolve(as_of=day))
        by_day[day] = analysis.counts()


def _judge_steps(analysis: Analysis, current: OrgSnapshot, walk: list[tuple[date, date | None]],
                 steps: dict[date, list[Change]], by_day: dict[date, dict[str, int]]) -> None:
    """Each month judged by what its events and its role dates change, nothing else: a person no
    event of the month mentions has the same record at both ends of it, and a role whose start and
    end both lie outside the month is held at both ends or at neither. The same counts as judging
    the whole organisation month by month (``_judge_whole_months``), at the cost of what changed."""
    people, teams = dict(current.people), dict(current.teams)
    roles = current.roles
    spans_of: dict[str, list[RoleSpan]] = {}
    by_team: dict[str, list[RoleSpan]] = {}
    for span in roles:
        spans_of.setdefault(span.person_id, []).append(span)
        by_team.setdefault(span.team, []).append(span)
    starts = sorted((span.start, i) for i, span in enumerate(roles) if span.start is not None)
    ends = sorted((span.end, i) for i, span in enumerate(roles) if span.end is not None)
    start_days, end_days = [day for day, _ in starts], [day for day, _ in ends]
    # Teams a role names that the organisation does not list (a role dated before its team was
    # recorded, or a team created later): listed by name alone while a role held by then names them.
    unlisted = set(by_team) - teams.keys()
    moved = False  # the analysis has left ``current``
    for day, upper in walk:
        if upper is None:  # today or later: the organisation as it is, on that day
            if day != current.as_of or moved:
                analysis.move_to(current.evolve(as_of=day))
                moved = True
            by_day[day] = analysis.counts()
            continue
        if moved and analysis.as_of != upper:
            analysis.move_to(current)  # the steps start from the organisation as it is
        moved = True
        step = steps[day]
        undo(people, teams, step, day)
        unlisted |= {e.team for e in step if e.kind == "team-created" and e.team}
        for team in unlisted - teams.keys():
            if any((s.start is None or s.start <= day) and s.person_id in people for s in by_team.get(team, ())):
                teams[team] = Team(team)
        touched = {e.person_id for e in step if e.person_id}
        changing = [roles[i] for _, i in starts[bisect_right(start_days, day):bisect_right(start_days, upper)]]
        changing += [roles[i] for _, i in ends[bisect_right(end_days, day):bisect_right(end_days, upper)]]
        changing += [span for pid in touched for span in spans_of.get(pid, ())]
        analysis.step_to(day, teams, analysis.index.delta_of_step(day, people, touched, changing, spans_of))
        by_day[day] = analysis.counts()


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
