"""Readiness: how far a person is from a level, competency by competency, and a tier in words.

This is the one home of the readiness rules; promotions, the person page, calibration,
org health's thin bench and ``trellis readiness`` all call it. The entry points:

- ``readiness_for(ladder, level_id, ratings, policy)``: a person's readiness for one target
  level from their ratings (any mix of self, people-manager, tech-lead, peer and calibrated
  ratings; only the pair's, or the calibrated one, count for the verdict).
- ``person_readiness(ladder, level_id, ratings, policy)``: the same for the three targets of a
  person at ``level_id``: their current level, the next level on their track, and the peer
  level of the same grade on the other track.

The rules (every threshold is in the policy, ``trellis.health.policy.Policy``):

- The rating that counts for a competency is the pair's: the mean of the people manager's and
  the tech lead's step positions, rounded down (a competency rated by one of the pair only
  counts that one), or the calibrated step where calibration changed it. Self and peer
  ratings are kept beside it, never used for the verdict.
- Credit: 1 when the rating meets or exceeds the expectation (exceeding never counts for more,
  so maxing one area cannot carry a level), 0.5 one step below, 0 further below.
- Score: the weighted mean of the credits over the rated competencies (the level's weights,
  default 1). Coverage: the share of the level's competency weight that has a rating.
- Tiers, first match wins: ``insufficient-evidence`` (coverage under the minimum),
  ``ready-now``, ``close``, ``stretch``, ``not-yet`` (see ``_tier``).

Pure: plain data in and out, no framework.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from trellis.health.policy import Policy
from trellis.ladder.model import Ladder, Level, ScaleStep

SELF = "self"
PEOPLE_MANAGER = "people_manager"
TECH_LEAD = "tech_lead"
PEER = "peer"
CALIBRATED = "calibrated"
# Who may give a rating, in a ratings file and in a review. ``calibrated`` is not given by a
# rater: it is the rating calibration settled on, and it overrides the pair's.
RATERS: tuple[str, ...] = (SELF, PEOPLE_MANAGER, TECH_LEAD, PEER)
PAIR: tuple[str, ...] = (PEOPLE_MANAGER, TECH_LEAD)

READY_NOW = "ready-now"
CLOSE = "close"
STRETCH = "stretch"
NOT_YET = "not-yet"
INSUFFICIENT = "insufficient-evidence"
TIERS: tuple[str, ...] = (READY_NOW, CLOSE, STRETCH, NOT_YET, INSUFFICIENT)  # best first
Tier = Literal["ready-now", "close", "stretch", "not-yet", "insufficient-evidence"]

CURRENT = "current"
NEXT = "next"
OTHER_TRACK = "other-track"
TARGET_KINDS: tuple[str, ...] = (CURRENT, NEXT, OTHER_TRACK)

MET = "met"
ONE_BELOW = "one-below"
FURTHER_BELOW = "further-below"
UNRATED = "unrated"


@dataclass(frozen=True, slots=True)
class Rating:
    """One rater's step for one competency of one person."""

    competency: str
    step: str  # a step id of the ladder's scale
    rater: str  # one of RATERS, or CALIBRATED


@dataclass(frozen=True, slots=True)
class CompetencyReadiness:
    competency: str
    expected: str  # the level's expected step
    counted: str | None  # the step that counts (pair or calibrated), None when unrated
    status: str  # MET, ONE_BELOW, FURTHER_BELOW or UNRATED
    credit: float | None  # None when unrated
    weight: float
    must_have: bool
    self_step: str | None = None  # shown beside, never used for the verdict
    peer_step: str | None = None  # the peers' mean step, rounded down; shown beside only
    calibrated: bool = False


@dataclass(frozen=True, slots=True)
class Readiness:
    """Readiness for one target level."""

    level: str
    kind: str  # CURRENT, NEXT, OTHER_TRACK, or "" when asked for one level directly
    tier: str
    score: float
    coverage: float
    competencies: tuple[CompetencyReadiness, ...]
    reasons: tuple[str, ...]
    summary: str
    missing_must_haves: tuple[str, ...] = field(default=())  # must-haves rated below expectation
    below: tuple[str, ...] = field(default=())  # competencies rated below expectation, ladder order

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of ``trellis readiness`` and the API."""
        return {"kind": self.kind, "level": self.level, "tier": self.tier, "score": round(self.score, 3),
                "coverage": round(self.coverage, 3), "missing_must_haves": list(self.missing_must_haves),
                "below": list(self.below)}


def counted_steps(ladder: Ladder, ratings: Iterable[Rating]) -> dict[str, dict[str, int]]:
    """Per competency, the step positions that matter: ``counted`` (pair or calibrated), ``self``, ``peer``.

    Several ratings from one kind of rater (two tech leads, many peers) are averaged first;
    the pair's two means are then averaged and rounded down: a disagreement never rounds up.
    """
    rank = ladder.step_rank
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0])
    for r in ratings:
        position = rank.get(r.step)
        if position is None:
            continue
        acc = sums[(r.competency, r.rater)]
        acc[0] += position
        acc[1] += 1
    means: dict[str, dict[str, float]] = defaultdict(dict)
    for (comp, rater), (total, n) in sums.items():
        means[comp][rater] = total / n
    steps: dict[str, dict[str, int]] = {}
    for comp, by_rater in means.items():
        out: dict[str, int] = {}
        if CALIBRATED in by_rater:
            out["counted"] = math.floor(by_rater[CALIBRATED])
            out["calibrated"] = 1
        else:
            pair = [by_rater[r] for r in PAIR if r in by_rater]
            if pair:
                out["counted"] = math.floor(sum(pair) / len(pair))
        for rater in (SELF, PEER):
            if rater in by_rater:
                out[rater] = math.floor(by_rater[rater])
        steps[comp] = out
    return steps


def readiness_for(ladder: Ladder, level_id: str, ratings: Iterable[Rating], policy: Policy | None = None,
                  *, kind: str = "") -> Readiness:
    """A person's readiness for the level ``level_id`` from their ratings (see the module's rules)."""
    return _assess(ladder, ladder.levels_by_id[level_id], counted_steps(ladder, ratings), policy or Policy(), kind)


def targets(ladder: Ladder, level_id: str) -> list[tuple[str, Level]]:
    """The levels readiness is worked out for: current, next on the track, the other track's peer.

    The next level is omitted at the top of a track; the other-track peer when no level of the
    same grade exists on another track (the management track starts at a higher grade)."""
    return list(_targets(ladder, level_id))


def person_readiness(ladder: Ladder, level_id: str, ratings: Iterable[Rating],
                     policy: Policy | None = None) -> list[Readiness]:
    """Readiness for each target of a person at ``level_id`` (current, next, other-track)."""
    steps = counted_steps(ladder, ratings)
    chosen = policy or Policy()
    return [_assess(ladder, level, steps, chosen, kind) for kind, level in _targets(ladder, level_id)]


def _targets(ladder: Ladder, level_id: str) -> tuple[tuple[str, Level], ...]:
    cached = _TARGETS.get((id(ladder), level_id))
    if cached is not None and cached[0] is ladder:
        return cached[1]
    level = ladder.levels_by_id[level_id]
    found: list[tuple[str, Level]] = [(CURRENT, level)]
    track = ladder.track_levels(level.track)
    i = track.index(level)
    if i + 1 < len(track):
        found.append((NEXT, track[i + 1]))
    peers = ladder.peers(level_id)
    if peers:
        kind = ladder.track_kind(level_id)
        wanted = {"technical": "management", "management": "technical"}.get(kind)
        preferred = [p for p in peers if ladder.track_kind(p.id) == wanted]
        found.append((OTHER_TRACK, (preferred or peers)[0]))
    result = tuple(found)
    _TARGETS[(id(ladder), level_id)] = (ladder, result)
    return result


# Targets depend only on the ladder and the level; a run over 10,000 people asks for a dozen levels.
_TARGETS: dict[tuple[int, str], tuple[Ladder, tuple[tuple[str, Level], ...]]] = {}


def _assess(ladder: Ladder, level: Level, steps: dict[str, dict[str, int]], policy: Policy,
            kind: str) -> Readiness:
    rank = ladder.step_rank
    scale = ladder.scale
    must = set(level.must_have)
    rows: list[CompetencyReadiness] = []
    total_weight = rated_weight = earned = 0.0
    for comp in ladder.competencies:
        expectation = level.expectations.get(comp.id)
        if expectation is None:
            continue
        expected = rank[expectation.step]
        weight = level.weights.get(comp.id, 1.0)
        total_weight += weight
        got = steps.get(comp.id, {})
        counted = got.get("counted")
        if counted is None:
            status, credit = UNRATED, None
        else:
            gap = expected - counted
            status, credit = (MET, 1.0) if gap <= 0 else (ONE_BELOW, 0.5) if gap == 1 else (FURTHER_BELOW, 0.0)
            rated_weight += weight
            earned += weight * credit
        rows.append(CompetencyReadiness(
            comp.id, expectation.step, None if counted is None else scale[counted].id, status, credit, weight,
            comp.id in must, _step_id(scale, got.get(SELF)), _step_id(scale, got.get(PEER)),
            bool(got.get("calibrated"))))
    score = earned / rated_weight if rated_weight else 0.0
    coverage = rated_weight / total_weight if total_weight else 0.0
    tier, reasons = _tier(rows, score, coverage, policy)
    names = {c.id: c.name for c in ladder.competencies}
    below = tuple(r.competency for r in rows if r.status in (ONE_BELOW, FURTHER_BELOW))
    missing = tuple(r.competency for r in rows if r.must_have and r.status in (ONE_BELOW, FURTHER_BELOW))
    return Readiness(level.id, kind, tier, score, coverage, tuple(rows), tuple(reasons),
                     summary(level.title, tier, rows, names), missing, below)


def _step_id(scale: list[ScaleStep], position: int | None) -> str | None:
    return None if position is None else scale[position].id


def _tier(rows: list[CompetencyReadiness], score: float, coverage: float, policy: Policy) -> tuple[str, list[str]]:
    """The tier and the reasons for it, in words, first match wins."""
    must_one = [r.competency for r in rows if r.must_have and r.status == ONE_BELOW]
    must_further = [r.competency for r in rows if r.must_have and r.status == FURTHER_BELOW]
    further = [r.competency for r in rows if r.status == FURTHER_BELOW]
    unrated_must = [r.competency for r in rows if r.must_have and r.status == UNRATED]
    figures = f"score {score:.2f}, coverage {coverage:.0%}"
    if coverage < policy.readiness_min_coverage:
        return INSUFFICIENT, [f"only {coverage:.0%} of the level's competency weight is rated; readiness needs "
                              f"at least {policy.readiness_min_coverage:.0%}"]
    reasons: list[str] = []
    if unrated_must:
        reasons.append(f"must-have not yet rated: {', '.join(unrated_must)}")
    if not must_one and not must_further and not further and score >= policy.readiness_ready_now_score:
        return READY_NOW, [f"every must-have met, nothing more than one step below, {figures} "
                           f"(ready-now needs {policy.readiness_ready_now_score:.2f})", *reasons]
    if must_further:
        reasons.insert(0, f"must-have more than one step below: {', '.join(must_further)}")
    if must_one:
        reasons.insert(0, f"must-have one step below: {', '.join(must_one)}")
    further_other = [c for c in further if c not in must_further]
    if further_other:
        reasons.insert(0, f"more than one step below: {', '.join(further_other)}")
    if score < policy.readiness_ready_now_score:
        reasons.insert(0, f"{figures}: under the {policy.readiness_ready_now_score:.2f} ready-now needs")
    close_ok = (score >= policy.readiness_close_score and not must_further
                and len(must_one) <= policy.readiness_close_must_haves_one_below)
    if close_ok:
        return CLOSE, reasons
    if score >= policy.readiness_stretch_score:
        if score >= policy.readiness_close_score:
            reasons.append(f"close allows at most {policy.readiness_close_must_haves_one_below} must-have one "
                           "step below and none further")
        return STRETCH, reasons
    reasons.append(f"under the {policy.readiness_stretch_score:.2f} that stretch needs")
    return NOT_YET, reasons


_STEP_WORDS = {ONE_BELOW: "one step below", FURTHER_BELOW: "more than one step below"}
_TIER_WORDS = {READY_NOW: "ready for", CLOSE: "close to", STRETCH: "a stretch to", NOT_YET: "not yet ready for"}


def summary(title: str, tier: str, rows: Iterable[CompetencyReadiness], names: dict[str, str]) -> str:
    """One sentence: "Ready for Lead Engineer except Empower Others, one step below"."""
    if tier == INSUFFICIENT:
        return f"Not enough ratings yet to judge readiness for {title}"
    gaps = [f"{names.get(r.competency, r.competency)}, {_STEP_WORDS[r.status]}" for r in rows
            if r.status in _STEP_WORDS]
    head = _TIER_WORDS[tier]
    sentence = f"{head[0].upper()}{head[1:]} {title}"
    if not gaps:
        return sentence + ": every rated competency meets the expectation"
    return f"{sentence} except {'; '.join(gaps)}"
