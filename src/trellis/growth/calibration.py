"""Calibration of a review cycle, as plain data: who rates high or low, where self and pair disagree most,
and how ready people are, level by level.

Raters differ more than the people they rate (rater idiosyncrasy explains more rating variance than
performance in published studies); calibration exists to see it. Only the pair's ratings are judged
here, one rater at a time: peer feedback is never attributed to a rater, so peers never appear.

A rater's leniency is measured against each rated person's level expectation, not in raw steps: a
manager of senior engineers rates higher steps than a manager of new graduates without being lenient.
Their *offset* is the mean of (rating - expected step) over their ratings. A rater is compared with the
cycle's *other* raters (every pair rating of the cycle but their own), so that a lenient rater of many
people does not hide in an average they pull towards themself. A rater is flagged when their offset is at
least the policy's ``leniency_flag_steps`` from the others' and they rated at least ``leniency_min_people``
people.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple


class PairRating(NamedTuple):
    """One rating given by one half of the pair, in step positions (0: below expectations). A tuple: a cycle
    of 10,000 people has some 200,000 of them."""

    rater: str  # the rater's person id
    role: str  # tech_lead or people_manager
    person: str
    competency: str
    step: int
    expected: int | None  # the person's level expectation for the competency, when it has one


@dataclass(frozen=True, slots=True)
class Stats:
    ratings: int
    people: int
    mean: float  # mean step position
    spread: float  # standard deviation of the step positions (population)
    offset: float | None  # mean of (rating - expected step) over ratings with an expectation


@dataclass(frozen=True, slots=True)
class Rater:
    rater: str
    role: str
    stats: Stats
    counts: tuple[int, ...]  # ratings per scale step, lowest first
    difference: float | None  # the rater's offset minus that of the cycle's other raters
    flagged: bool
    reason: str  # why flagged (or why not judged), in words with the numbers; "" when in line


@dataclass(frozen=True, slots=True)
class Gap:
    person: str
    mean: float  # mean of (self - pair) over competencies both rated: above 0, the person rates themself higher
    competencies: tuple[tuple[str, int, int], ...]  # (competency, self, pair), largest gap first
    rated: int  # competencies both rated


@dataclass
class TierRow:
    track: str
    level: str
    people: int = 0
    tiers: dict[str, int] = field(default_factory=dict)  # tier of the next level -> people
    other_track_ready: int = 0  # ready-now or close for the other track's peer level


def stats(ratings: Sequence[PairRating]) -> Stats:
    n = len(ratings)
    if not n:
        return Stats(0, 0, 0.0, 0.0, None)
    mean = sum(r.step for r in ratings) / n
    spread = math.sqrt(sum((r.step - mean) ** 2 for r in ratings) / n)
    gaps = [r.step - r.expected for r in ratings if r.expected is not None]
    return Stats(n, len({r.person for r in ratings}), mean, spread, sum(gaps) / len(gaps) if gaps else None)


def raters(ratings: Iterable[PairRating], scale_size: int, *, flag_steps: float, min_people: int,
           names: dict[str, str] | None = None) -> tuple[Stats, list[Rater]]:
    """The cycle's figures, and each rater's (per role: one person may rate as manager and as tech lead),
    ordered by role, then by how far from the cycle, furthest first."""
    every = list(ratings)
    cycle = stats(every)
    names = names or {}
    by_rater: dict[tuple[str, str], list[PairRating]] = {}
    for r in every:
        by_rater.setdefault((r.role, r.rater), []).append(r)
    found = []
    rated = [r.step - r.expected for r in every if r.expected is not None]
    total, count = sum(rated), len(rated)
    for (role, rater), mine in by_rater.items():
        own = stats(mine)
        counts = [0] * scale_size
        for r in mine:
            if 0 <= r.step < scale_size:
                counts[r.step] += 1
        others = _others_offset(total, count, mine)
        difference = own.offset - others if own.offset is not None and others is not None else None
        flagged, reason = _judge(names.get(rater, rater), own, others, difference, flag_steps, min_people)
        found.append(Rater(rater, role, own, tuple(counts), difference, flagged, reason))
    found.sort(key=lambda r: (r.role, -abs(r.difference or 0.0), names.get(r.rater, r.rater)))
    return cycle, found


def _others_offset(total: int, count: int, mine: list[PairRating]) -> float | None:
    """The offset of the cycle's other raters (``total`` and ``count``: the cycle's sum of gaps and how many):
    a rater is not compared with a baseline they pull towards themself (with few raters, one lenient rater
    would otherwise hide in their own average)."""
    own_total = sum(r.step - r.expected for r in mine if r.expected is not None)
    own_count = sum(1 for r in mine if r.expected is not None)
    return (total - own_total) / (count - own_count) if count > own_count else None


def _judge(name: str, own: Stats, others: float | None, difference: float | None, flag_steps: float,
           min_people: int) -> tuple[bool, str]:
    if difference is None or own.offset is None or others is None:
        return False, ""
    if abs(difference) < flag_steps:
        return False, ""
    direction = "above" if difference > 0 else "below"
    words = (f"{name} rates {abs(difference):.2f} steps {direction} the cycle: on average {_signed(own.offset)} "
             f"steps against each person's level expectation, where the cycle's other raters give {_signed(others)} "
             f"({own.ratings} ratings of {own.people} {'person' if own.people == 1 else 'people'}; flagged from "
             f"{flag_steps:.2f} steps)")
    if own.people < min_people:
        return False, (f"{words}, but too few people to judge: a rater is flagged from {min_people} people rated")
    return True, words


def _signed(value: float) -> str:
    return f"{value:+.2f}"


def gaps(pairs: Iterable[tuple[str, str, int, int]], most: int = 10) -> list[Gap]:
    """The largest self-versus-pair gaps: (person, competency, self step, pair step) in, the ``most`` people
    whose mean gap is furthest from zero out (either way: rating oneself lower matters too)."""
    by_person: dict[str, list[tuple[str, int, int]]] = {}
    for person, comp, own, pair in pairs:
        by_person.setdefault(person, []).append((comp, own, pair))
    found = []
    for person, rows in by_person.items():
        mean = sum(own - pair for _, own, pair in rows) / len(rows)
        ordered = tuple(sorted(rows, key=lambda r: (-abs(r[1] - r[2]), r[0])))
        found.append(Gap(person, mean, tuple(r for r in ordered if r[1] != r[2]), len(rows)))
    found = [g for g in found if g.mean != 0 or g.competencies]
    found.sort(key=lambda g: (-abs(g.mean), g.person))
    return found[:most]


def tiers_by_level(people: Iterable[tuple[str, str, Sequence[tuple[str, str]]]],
                   level_order: Sequence[tuple[str, str]]) -> list[TierRow]:
    """Readiness tiers by current level and track: (track, level, [(target kind, tier), ...]) per person in;
    one row per level that has people, in the ladder's order (``level_order``: (track, level) pairs)."""
    rows: dict[tuple[str, str], TierRow] = {}
    for track, level, targets in people:
        row = rows.setdefault((track, level), TierRow(track, level))
        row.people += 1
        for kind, tier in targets:
            if kind == "next":
                row.tiers[tier] = row.tiers.get(tier, 0) + 1
            elif kind == "other-track" and tier in ("ready-now", "close"):
                row.other_track_ready += 1
    order = {key: i for i, key in enumerate(level_order)}
    return sorted(rows.values(), key=lambda r: (order.get((r.track, r.level), len(order)), r.level))
