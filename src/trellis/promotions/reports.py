"""Reports on promotions for HR and admin, from plain records.

Demographic groups are recorded by people themselves, if they choose to. A group smaller
than ``MIN_GROUP`` people is never shown, and neither is anything from which it could be
worked out: the organisation's totals are shown elsewhere (promotions per level), so the
people outside the groups shown (the small groups together with those who recorded none)
must themselves be at least ``MIN_GROUP``, or the smallest group shown is withheld too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from statistics import median

from trellis.ladder.model import Ladder

MIN_GROUP = 5
FOUR_FIFTHS = 0.8


@dataclass(frozen=True)
class Move:
    """One applied change of level: a promotion or a track change, and when it took effect."""

    person_id: str
    from_level: str
    to_level: str
    effective: date
    kind: str  # rules.PROMOTION or rules.TRACK_CHANGE


@dataclass(frozen=True)
class RateRow:
    year: int
    level: str
    title: str
    track: str
    people: int  # at the level when the year began
    promoted: int  # of those, promoted from the level during the year
    rate: float | None


def promotion_rates(moves: Iterable[Move], headcounts: Mapping[int, Mapping[str, int]],
                    ladder: Ladder, kind: str) -> list[RateRow]:
    """Promotions per year from each level, over the people at that level when the year began."""
    promoted: Counter[tuple[int, str]] = Counter(
        (m.effective.year, m.from_level) for m in moves if m.kind == kind)
    rows: list[RateRow] = []
    for year in sorted(headcounts):
        for level in ladder.levels:
            people = headcounts[year].get(level.id, 0)
            n = promoted[(year, level.id)]
            if people or n:
                rows.append(RateRow(year, level.id, level.title, level.track, people, n,
                                    n / people if people else None))
    return rows


@dataclass(frozen=True)
class TimeRow:
    level: str
    title: str
    track: str
    people: int
    known: int  # people whose level start is recorded
    median_days: float | None


def time_in_level(people: Iterable[tuple[str, date | None]], as_of: date, ladder: Ladder) -> list[TimeRow]:
    """How long people have held their current level: the median per level, in days."""
    days: dict[str, list[int]] = defaultdict(list)
    count: Counter[str] = Counter()
    for level, since in people:
        count[level] += 1
        if since is not None:
            days[level].append((as_of - since).days)
    return [TimeRow(lvl.id, lvl.title, lvl.track, count[lvl.id], len(days[lvl.id]),
                    float(median(days[lvl.id])) if days[lvl.id] else None)
            for lvl in ladder.levels if count[lvl.id]]


@dataclass(frozen=True)
class TrackMoveRow:
    year: int
    from_track: str
    to_track: str
    moves: int


def track_moves(moves: Iterable[tuple[date, str, str]]) -> list[TrackMoveRow]:
    """Moves between tracks per year, each direction on its own row: the pendulum both ways."""
    counted = Counter((day.year, old, new) for day, old, new in moves if old != new)
    return [TrackMoveRow(year, old, new, n) for (year, old, new), n in sorted(counted.items())]


@dataclass(frozen=True)
class GuardSummary:
    """Management proposals the Peter-Principle guard stopped, and how they ended."""

    held: int
    consented: int
    outcomes: dict[str, int]  # state -> count, for the proposals the guard stopped


def guard_summary(proposals: Iterable[tuple[bool, bool, str]]) -> GuardSummary:
    """``proposals``: (the guard stopped it, the person consented, its state)."""
    held = consented = 0
    outcomes: Counter[str] = Counter()
    for stopped, gave_consent, state in proposals:
        if stopped:
            held += 1
            consented += gave_consent
            outcomes[state] += 1
    return GuardSummary(held, consented, dict(sorted(outcomes.items())))


@dataclass(frozen=True)
class GroupRow:
    group: str
    people: int
    promoted: int
    rate: float
    ratio: float | None  # rate over the highest rate shown
    flagged: bool  # under four fifths of the highest rate: a sign of adverse impact


@dataclass(frozen=True)
class GroupReport:
    year: int
    rows: list[GroupRow]
    withheld: bool  # some groups were too small to show (never which, nor how many)


def group_rates(year: int, population: Iterable[str], promoted: Iterable[str],
                groups: Mapping[str, str], min_size: int = MIN_GROUP) -> GroupReport:
    """Promotion rates by self-recorded group over ``population`` (the people at work when the year began)."""
    people = set(population)
    up = set(promoted) & people
    size: Counter[str] = Counter(groups[p] for p in people if p in groups)
    shown = {g for g, n in size.items() if n >= min_size}
    hidden_members = sum(n for g, n in size.items() if g not in shown)
    # Everyone outside the groups shown can be counted from the totals: if that remainder holds
    # someone from a small group, it must be big enough not to single that group out.
    while shown and hidden_members:
        remainder = len(people) - sum(size[g] for g in shown)
        if remainder >= min_size:
            break
        smallest = min(shown, key=lambda g: (size[g], g))
        shown.discard(smallest)
        hidden_members += size[smallest]
    rates = {g: sum(1 for p in people if groups.get(p) == g and p in up) for g in shown}
    top = max((rates[g] / size[g] for g in shown), default=0.0)
    rows = []
    for g in sorted(shown):
        rate = rates[g] / size[g]
        ratio = rate / top if top else None
        rows.append(GroupRow(g, size[g], rates[g], rate, ratio, ratio is not None and ratio < FOUR_FIFTHS))
    return GroupReport(year, rows, withheld=hidden_members > 0)


def classify_level_change(ladder: Ladder, old: str, new: str) -> str | None:
    """A recorded change of level as a move: a promotion (up its own track), a track change, or None
    (a step down, or a level the ladder no longer knows)."""
    from trellis.promotions.rules import PROMOTION, TRACK_CHANGE

    levels = ladder.levels_by_id
    if old not in levels or new not in levels:
        return None
    if levels[old].track != levels[new].track:
        return TRACK_CHANGE
    return PROMOTION if levels[new].grade > levels[old].grade else None
