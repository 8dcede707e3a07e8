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
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from trellis.health.policy import Policy
from trellis.ladder.model import Ladder, Level
from trellis.lib.gcpause import gc_paused

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


class Readiness:
    """Readiness for one target level. The verdict is computed at once; the per-competency rows, the
    reasons and the summary in words only when asked for (a whole organisation needs only verdicts)."""

    __slots__ = ("level", "kind", "tier", "score", "coverage", "missing_must_haves", "below", "_plan", "_steps",
                 "_policy", "_rows", "_judged_now")

    def __init__(self, plan: _Plan, kind: str, tier: str, score: float, coverage: float,
                 missing_must_haves: tuple[str, ...], below: tuple[str, ...], steps: Steps, policy: Policy):
        self.level = plan.level.id
        self.kind = kind  # CURRENT, NEXT, OTHER_TRACK, or "" when asked for one level directly
        self.tier = tier
        self.score = score
        self.coverage = coverage
        self.missing_must_haves = missing_must_haves  # must-haves rated below expectation
        self.below = below  # competencies rated below expectation, ladder order
        self._plan, self._steps, self._policy = plan, steps, policy
        self._rows: tuple[CompetencyReadiness, ...] | None = None
        self._judged_now: str | None = None  # the tier the rules give now, when a frozen verdict differs

    @property
    def competencies(self) -> tuple[CompetencyReadiness, ...]:
        if self._rows is None:
            self._rows = tuple(_rows(self._plan, self._steps))
        return self._rows

    @property
    def reasons(self) -> tuple[str, ...]:
        if self._judged_now is not None:
            return (f"{self.tier} is the verdict frozen when the cycle closed; the same ratings judged by "
                    f"today's rules would give {self._judged_now}",)
        return tuple(_tier(list(self.competencies), self.score, self.coverage, self._policy)[1])

    @property
    def summary(self) -> str:
        return summary(self._plan.level.title, self.tier, self.competencies, self._plan.names)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of ``trellis readiness`` and the API."""
        return {"kind": self.kind, "level": self.level, "tier": self.tier, "score": round(self.score, 3),
                "coverage": round(self.coverage, 3), "missing_must_haves": list(self.missing_must_haves),
                "below": list(self.below)}


@dataclass(frozen=True, slots=True)
class Steps:
    """A person's step positions per competency: the one that counts, the self-rating, the peers' mean."""

    counted: dict[str, int]
    own: dict[str, int]
    peer: dict[str, int]
    calibrated: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Plan:
    """What judging a level needs, looked up once per ladder and level."""

    level: Level
    comps: tuple[tuple[str, int, float, bool], ...]  # competency, expected position, weight, must-have
    total_weight: float
    names: dict[str, str]
    scale: tuple[str, ...]


def counted_steps(ladder: Ladder, ratings: Iterable[Rating]) -> Steps:
    """Per competency, the step positions that matter: the one that counts (pair or calibrated), self, peers.

    Several ratings from one kind of rater (two tech leads, many peers) are averaged first;
    the pair's two means are then averaged and rounded down: a disagreement never rounds up.
    """
    rank = ladder.step_rank
    sums: dict[tuple[str, str], list[float]] = {}
    for r in ratings:
        position = rank.get(r.step)
        if position is None:
            continue
        acc = sums.get((r.competency, r.rater))
        if acc is None:
            sums[(r.competency, r.rater)] = [position, 1]
        else:
            acc[0] += position
            acc[1] += 1
    pair: dict[str, list[float]] = {}
    counted: dict[str, int] = {}
    own: dict[str, int] = {}
    peer: dict[str, int] = {}
    calibrated: set[str] = set()
    for (comp, rater), (total, n) in sums.items():
        mean = total / n
        if rater == CALIBRATED:
            calibrated.add(comp)
            counted[comp] = math.floor(mean)
        elif rater == SELF:
            own[comp] = math.floor(mean)
        elif rater == PEER:
            peer[comp] = math.floor(mean)
        elif rater in PAIR:
            pair.setdefault(comp, []).append(mean)
    for comp, means in pair.items():
        if comp not in calibrated:
            counted[comp] = math.floor(sum(means) / len(means))
    return Steps(counted, own, peer, frozenset(calibrated))


def readiness_for(ladder: Ladder, level_id: str, ratings: Iterable[Rating], policy: Policy | None = None,
                  *, kind: str = "") -> Readiness:
    """A person's readiness for the level ``level_id`` from their ratings (see the module's rules)."""
    return _assess(_plan(ladder, ladder.levels_by_id[level_id]), counted_steps(ladder, ratings), policy or Policy(),
                   kind)


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
    return [_assess(_plan(ladder, level), steps, chosen, kind) for kind, level in _targets(ladder, level_id)]


def frozen_verdicts(found: list[Readiness], frozen: Iterable[dict[str, Any]] | None) -> list[Readiness]:
    """``found`` with each target's verdict (tier, score, coverage, what fell short) replaced by the one
    frozen for the same kind and level (``Readiness.as_dict``), when there is one: the verdict of record
    of a closed cycle. The per-competency rows stay those worked out, to explain it."""
    kept = {(str(v.get("kind", "")), str(v.get("level", ""))): v for v in frozen or ()}
    for r in found:
        verdict = kept.get((r.kind, r.level))
        if verdict is not None:
            if r.tier != verdict["tier"]:
                r._judged_now = r.tier
            r.tier = str(verdict["tier"])
            r.score = float(verdict["score"])
            r.coverage = float(verdict["coverage"])
            r.missing_must_haves = tuple(verdict.get("missing_must_haves", ()))
            r.below = tuple(verdict.get("below", ()))
    return found


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


def _plan(ladder: Ladder, level: Level) -> _Plan:
    key = (id(ladder), level.id)
    cached = _PLANS.get(key)
    if cached is not None and cached[0] is ladder:
        return cached[1]
    rank = ladder.step_rank
    must = set(level.must_have)
    comps = tuple((c.id, rank[level.expectations[c.id].step], float(level.weights.get(c.id, 1.0)), c.id in must)
                  for c in ladder.competencies if c.id in level.expectations)
    plan = _Plan(level, comps, sum(w for _, _, w, _ in comps), {c.id: c.name for c in ladder.competencies},
                 tuple(s.id for s in ladder.scale))
    _PLANS[key] = (ladder, plan)
    return plan


_PLANS: dict[tuple[int, str], tuple[Ladder, _Plan]] = {}


def _assess(plan: _Plan, steps: Steps, policy: Policy, kind: str) -> Readiness:
    """The verdict in numbers only; the rows and words are built later if someone reads them."""
    counted = steps.counted
    rated = earned = 0.0
    below: list[str] = []
    missing: list[str] = []
    must_one = must_further = further = 0
    for comp, expected, weight, must in plan.comps:
        got = counted.get(comp)
        if got is None:
            continue
        rated += weight
        gap = expected - got
        if gap <= 0:
            earned += weight
            continue
        below.append(comp)
        if gap == 1:
            earned += 0.5 * weight
            if must:
                must_one += 1
                missing.append(comp)
        else:
            further += 1
            if must:
                must_further += 1
                missing.append(comp)
    score = earned / rated if rated else 0.0
    coverage = rated / plan.total_weight if plan.total_weight else 0.0
    if coverage < policy.readiness_min_coverage:
        tier = INSUFFICIENT
    elif not must_one and not must_further and not further and score >= policy.readiness_ready_now_score:
        tier = READY_NOW
    elif (score >= policy.readiness_close_score and not must_further
          and must_one <= policy.readiness_close_must_haves_one_below):
        tier = CLOSE
    elif score >= policy.readiness_stretch_score:
        tier = STRETCH
    else:
        tier = NOT_YET
    return Readiness(plan, kind, tier, score, coverage, tuple(missing), tuple(below), steps, policy)


def _rows(plan: _Plan, steps: Steps) -> list[CompetencyReadiness]:
    scale = plan.scale
    rows = []
    for comp, expected, weight, must in plan.comps:
        got = steps.counted.get(comp)
        if got is None:
            status, credit = UNRATED, None
        else:
            gap = expected - got
            status, credit = (MET, 1.0) if gap <= 0 else (ONE_BELOW, 0.5) if gap == 1 else (FURTHER_BELOW, 0.0)
        own, peer = steps.own.get(comp), steps.peer.get(comp)
        rows.append(CompetencyReadiness(comp, scale[expected], None if got is None else scale[got], status, credit,
                                        weight, must, None if own is None else scale[own],
                                        None if peer is None else scale[peer], comp in steps.calibrated))
    return rows


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


Key = TypeVar("Key", bound=Hashable)


def everyone(ladder: Ladder, people: Iterable[tuple[Key, str, Iterable[Rating]]],
             policy: Policy | None = None) -> dict[Key, list[Readiness]]:
    """Readiness of many people at once: (person id, level id, ratings) in, person id -> targets out
    (any key that tells people apart: an id, a database key).

    The garbage collector is paused meanwhile: a whole organisation creates many small objects
    and none of them form cycles."""
    chosen = policy or Policy()
    with gc_paused():
        return {pid: person_readiness(ladder, level, ratings, chosen) for pid, level, ratings in people}
