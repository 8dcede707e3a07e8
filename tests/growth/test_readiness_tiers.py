"""Readiness tiers at every boundary, from ratings alone (no database)."""

from __future__ import annotations

import pytest

from tests.growth.builders import ladder, pair, rated
from trellis.growth.readiness import Rating, person_readiness, readiness_for
from trellis.health.policy import Policy


def tier(steps: dict[str, str], **kwargs: object) -> str:
    return readiness_for(ladder(**kwargs), "l2", pair(**steps)).tier  # type: ignore[arg-type]


def test_a_score_of_exactly_the_ready_now_threshold_is_ready_now():
    steps = rated(met=7, one_below=3, start=0)  # 8.5 of 10; c0, the must-have, is met
    assert readiness_for(ladder(), "l2", pair(**steps)).score == pytest.approx(0.85)
    assert tier(steps) == "ready-now"


def test_just_under_the_ready_now_score_is_close():
    assert tier(rated(met=6, one_below=4)) == "close"  # 0.80


def test_a_must_have_one_step_below_stops_ready_now_whatever_the_score():
    steps = {**rated(met=10), "c0": "mid"}  # 9.5 of 10
    result = readiness_for(ladder(), "l2", pair(**steps))
    assert (result.tier, result.missing_must_haves, result.below) == ("close", ("c0",), ("c0",))


def test_a_competency_more_than_one_step_below_stops_ready_now():
    assert tier(rated(met=9, further=1)) == "close"  # 0.90, c9 two steps below


def test_a_score_of_exactly_the_close_threshold_is_close_with_one_must_have_one_below():
    steps = {**rated(met=4, one_below=6), "c0": "mid", "c4": "high"}  # 4 met + 6 one below (c0 among them) = 0.70
    result = readiness_for(ladder(), "l2", pair(**steps))
    assert result.score == pytest.approx(0.70)
    assert result.tier == "close"


def test_just_under_the_close_score_is_stretch():
    assert tier(rated(met=3, one_below=7)) == "stretch"  # 0.65


def test_two_must_haves_one_step_below_are_a_stretch_not_close():
    steps = {**rated(met=10), "c0": "mid", "c1": "mid"}  # 0.90
    assert tier(steps, must_have=("c0", "c1")) == "stretch"
    assert tier(steps, must_have=("c0",)) == "close"


def test_someone_who_exceeds_everywhere_but_misses_a_must_have_by_two_steps_is_a_stretch():
    steps = {**{f"c{i}": "top" for i in range(10)}, "c0": "low"}  # exceeds in nine, must-have two below
    result = readiness_for(ladder(), "l2", pair(**steps))
    assert result.score == pytest.approx(0.9)  # exceeding counts 1, never more
    assert (result.tier, result.missing_must_haves) == ("stretch", ("c0",))
    assert "must-have more than one step below: c0" in result.reasons


def test_exceeding_in_one_area_cannot_carry_a_level():
    steps = {**rated(one_below=10), "c3": "top"}  # one area two steps above, the rest one below
    result = readiness_for(ladder(), "l2", pair(**steps))
    assert result.score == pytest.approx(0.55)
    assert result.tier == "stretch"


def test_a_score_of_exactly_the_stretch_threshold_is_stretch_and_under_it_not_yet():
    assert tier({**rated(met=1, one_below=9)}) == "stretch"  # 0.55
    assert tier(rated(one_below=10)) == "not-yet"  # 0.50
    assert tier(rated(further=10)) == "not-yet"


def test_coverage_of_exactly_the_minimum_is_judged_and_under_it_is_insufficient_evidence():
    six = readiness_for(ladder(), "l2", pair(**rated(met=6)))
    assert (six.coverage, six.tier) == (pytest.approx(0.6), "ready-now")
    five = readiness_for(ladder(), "l2", pair(**rated(met=5)))
    assert (five.coverage, five.tier) == (0.5, "insufficient-evidence")
    assert five.reasons == ("only 50% of the level's competency weight is rated; readiness needs at least 60%",)


def test_weights_count_in_the_score_and_the_coverage():
    steps = {**rated(met=5, start=1), "c0": "mid"}  # c0 weighs 5: credit 0.5
    result = readiness_for(ladder(weights={"c0": 5}), "l2", pair(**steps))
    assert result.score == pytest.approx((5 * 0.5 + 5) / 10)
    assert result.coverage == pytest.approx(10 / 14)


def test_the_pair_disagreeing_rounds_down():
    ratings = [Rating("c0", "high", "tech_lead"), Rating("c0", "mid", "people_manager")]
    row = readiness_for(ladder(), "l2", ratings).competencies[0]
    assert (row.counted, row.status, row.credit) == ("mid", "one-below", 0.5)


def test_one_of_the_pair_alone_counts():
    row = readiness_for(ladder(), "l2", [Rating("c0", "high", "people_manager")]).competencies[0]
    assert (row.counted, row.status) == ("high", "met")


def test_a_calibrated_rating_overrides_the_pair():
    ratings = [*pair(c0="low"), Rating("c0", "high", "calibrated")]
    row = readiness_for(ladder(), "l2", ratings).competencies[0]
    assert (row.counted, row.status, row.calibrated) == ("high", "met", True)


def test_self_and_peer_ratings_are_shown_beside_but_never_counted():
    ratings = [Rating("c0", "top", "self"), Rating("c0", "top", "peer"), Rating("c0", "low", "peer")]
    row = readiness_for(ladder(), "l2", ratings).competencies[0]
    assert (row.counted, row.status, row.self_step, row.peer_step) == (None, "unrated", "top", "mid")


def test_the_thresholds_come_from_the_policy():
    steps = rated(met=6, one_below=4)  # 0.80
    strict = Policy(readiness_ready_now_score=0.95, readiness_close_score=0.9, readiness_stretch_score=0.85)
    assert readiness_for(ladder(), "l2", pair(**steps), strict).tier == "not-yet"
    lenient = Policy(readiness_ready_now_score=0.8)
    assert readiness_for(ladder(), "l2", pair(**steps), lenient).tier == "ready-now"
    assert readiness_for(ladder(), "l2", pair(**rated(met=3)), Policy(readiness_min_coverage=0.3)).tier == "ready-now"
    two = {**rated(met=10), "c0": "mid", "c1": "mid"}
    allow_two = Policy(readiness_close_must_haves_one_below=2)
    assert readiness_for(ladder(must_have=("c0", "c1")), "l2", pair(**two), allow_two).tier == "close"


def test_a_person_is_judged_for_their_level_the_next_and_the_other_tracks_peer():
    found = person_readiness(ladder(), "l1", pair(**{f"c{i}": "high" for i in range(10)}))
    assert [(r.kind, r.level, r.tier) for r in found] == [("current", "l1", "ready-now"), ("next", "l2", "ready-now")]
    top = person_readiness(ladder(), "l2", [])
    assert [(r.kind, r.level) for r in top] == [("current", "l2"), ("other-track", "m2")]


def test_the_summary_names_what_is_missing_in_words():
    from trellis.ladder.load import load_default

    default = load_default().ladder
    expected = default.levels_by_id["lead-engineer"].expectations
    ratings = [Rating(c, e.step, r) for c, e in expected.items() for r in ("tech_lead", "people_manager")
               if c != "challenge-assumptions"]
    ratings += pair(**{"challenge-assumptions": "developing"})
    result = readiness_for(default, "lead-engineer", ratings)
    assert result.tier == "ready-now"
    assert result.summary == "Ready for Lead Engineer except Challenge Assumptions, one step below"
    assert result.as_dict() == {"kind": "", "level": "lead-engineer", "tier": "ready-now", "score": 0.962,
                                "coverage": 1.0, "missing_must_haves": [], "below": ["challenge-assumptions"]}
