"""Calibration's rules with no database: leniency against the level's expectation, flags with their numbers,
the largest self-versus-pair gaps, readiness tiers by level and track."""

from __future__ import annotations

from trellis.growth.calibration import PairRating, gaps, raters, stats, tiers_by_level


def rate(rater: str, person: str, steps: list[int], expected: int = 3, role: str = "tech_lead") -> list[PairRating]:
    return [PairRating(rater, role, person, f"c{i}", step, expected) for i, step in enumerate(steps)]


def test_a_rater_far_above_the_cycle_is_flagged_with_the_numbers():
    ratings = (rate("kind", "p1", [5, 5]) + rate("kind", "p2", [5, 5]) + rate("kind", "p3", [5, 5])
               + rate("fair", "p4", [3, 3]) + rate("fair", "p5", [3, 3]) + rate("fair", "p6", [3, 3]))
    cycle, found = raters(ratings, 7, flag_steps=0.5, min_people=3, names={"kind": "Kim Kind"})
    assert cycle.offset == 1.0 and cycle.ratings == 12 and cycle.people == 6
    kind = next(r for r in found if r.rater == "kind")
    assert kind.flagged and kind.difference == 2.0 and kind.counts == (0, 0, 0, 0, 0, 6, 0)
    assert kind.reason == ("Kim Kind rates 2.00 steps above the cycle: on average +2.00 steps against each person's "
                           "level expectation, where the cycle's other raters give +0.00 (6 ratings of 3 people; "
                           "flagged from 0.50 steps)")
    fair = next(r for r in found if r.rater == "fair")
    assert fair.flagged and "2.00 steps below the cycle" in fair.reason


def test_leniency_is_measured_against_the_level_so_rating_seniors_higher_is_not_lenient():
    seniors = rate("a", "s1", [5, 5], expected=5) + rate("a", "s2", [5, 5], expected=5) + rate("a", "s3", [5], 5)
    juniors = rate("b", "j1", [2, 2], expected=2) + rate("b", "j2", [2, 2], expected=2) + rate("b", "j3", [2], 2)
    _, found = raters(seniors + juniors, 7, flag_steps=0.5, min_people=3)
    assert [r.flagged for r in found] == [False, False] and all(r.reason == "" for r in found)
    assert {r.rater: r.stats.mean for r in found} == {"a": 5.0, "b": 2.0}


def test_a_rater_of_too_few_people_is_not_flagged_and_the_reason_says_why():
    ratings = rate("new", "p1", [6, 6]) + rate("fair", "p2", [3, 3]) + rate("fair", "p3", [3, 3])
    _, found = raters(ratings, 7, flag_steps=0.5, min_people=3)
    new = next(r for r in found if r.rater == "new")
    assert not new.flagged and new.reason.endswith("but too few people to judge: a rater is flagged from 3 people "
                                                   "rated")


def test_just_under_the_threshold_is_in_line():
    ratings = rate("a", "p1", [4, 3]) + rate("a", "p2", [4, 3]) + rate("a", "p3", [3, 3]) \
        + rate("b", "p4", [3, 3]) + rate("b", "p5", [3, 3]) + rate("b", "p6", [3, 3])
    _, found = raters(ratings, 7, flag_steps=0.5, min_people=3)
    assert {r.rater: (round(r.difference or 0, 2), r.flagged) for r in found} == {"a": (0.33, False),
                                                                                   "b": (-0.33, False)}
    _, found = raters(ratings, 7, flag_steps=0.33, min_people=3)
    assert all(r.flagged for r in found), "at the threshold: flagged"


def test_the_only_rater_of_a_cycle_has_no_one_to_be_compared_with():
    _, found = raters(rate("a", "p1", [6]) + rate("a", "p2", [6]) + rate("a", "p3", [6]), 7, flag_steps=0.5,
                      min_people=1)
    assert found[0].difference is None and not found[0].flagged


def test_managers_and_tech_leads_are_judged_apart_even_when_one_person_is_both():
    ratings = rate("x", "p1", [4], role="people_manager") + rate("x", "p1", [3], role="tech_lead")
    _, found = raters(ratings, 7, flag_steps=0.5, min_people=1)
    assert [(r.role, r.rater, r.stats.ratings) for r in found] == [("people_manager", "x", 1), ("tech_lead", "x", 1)]


def test_the_spread_is_the_standard_deviation_of_the_steps():
    assert stats(rate("a", "p", [1, 3, 5])).spread == (8 / 3) ** 0.5
    assert stats([]).ratings == 0 and stats([]).offset is None


def test_the_largest_gaps_come_first_either_way_and_equal_ratings_are_left_out():
    found = gaps([("over", "craft", 5, 2), ("over", "delivery", 4, 3), ("under", "craft", 1, 3),
                  ("same", "craft", 3, 3)], most=5)
    assert [(g.person, g.mean) for g in found] == [("over", 2.0), ("under", -2.0)]
    assert found[0].competencies == (("craft", 5, 2), ("delivery", 4, 3))


def test_tiers_are_counted_by_level_in_the_ladders_order():
    rows = tiers_by_level([
        ("technical", "senior", [("current", "ready-now"), ("next", "close"), ("other-track", "ready-now")]),
        ("technical", "senior", [("current", "ready-now"), ("next", "not-yet")]),
        ("technical", "engineer", [("current", "close"), ("next", "stretch")]),
    ], [("technical", "engineer"), ("technical", "senior")])
    assert [(r.level, r.people, r.tiers, r.other_track_ready) for r in rows] == [
        ("engineer", 1, {"stretch": 1}, 0), ("senior", 2, {"close": 1, "not-yet": 1}, 1)]
