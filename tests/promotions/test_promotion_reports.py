"""Reports from plain records: rates per level, time in level, track moves, the guard, groups."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from tests.health.builders import LADDER
from trellis.promotions import reports
from trellis.promotions.reports import Move


def test_the_promotion_rate_is_promotions_from_a_level_over_the_people_there_when_the_year_began():
    moves = [Move("a", "software-engineer", "senior-software-engineer", date(2025, 3, 1), "promotion"),
             Move("b", "lead-engineer", "engineering-manager", date(2025, 4, 1), "track-change")]
    rows = reports.promotion_rates(moves, {2025: {"software-engineer": 4, "lead-engineer": 2}}, LADDER, "promotion")
    by_level = {r.level: r for r in rows}
    assert by_level["software-engineer"].rate == 0.25 and by_level["software-engineer"].promoted == 1
    assert by_level["lead-engineer"].promoted == 0  # a track change is not a promotion


def test_time_in_level_is_the_median_of_the_days_known():
    rows = reports.time_in_level([("lead-engineer", date(2025, 1, 1)), ("lead-engineer", date(2025, 12, 1)),
                                  ("lead-engineer", None)], date(2026, 1, 1), LADDER)
    assert rows[0].people == 3 and rows[0].known == 2 and rows[0].median_days == (365 + 31) / 2


def test_track_moves_count_each_direction_apart():
    rows = reports.track_moves([(date(2025, 1, 1), "technical", "management"),
                                (date(2025, 6, 1), "management", "technical"),
                                (date(2025, 7, 1), "technical", "management")])
    assert [(r.from_track, r.to_track, r.moves) for r in rows] == [("management", "technical", 1),
                                                                   ("technical", "management", 2)]


def test_the_guard_summary_counts_only_the_proposals_it_stopped():
    summary = reports.guard_summary([(True, False, "withdrawn"), (True, True, "approved"), (False, False, "approved")])
    assert (summary.held, summary.consented, summary.outcomes) == (2, 1, {"approved": 1, "withdrawn": 1})


def _people(**sizes: int) -> dict[str, str]:
    return {f"{group}{i}": group for group, n in sizes.items() for i in range(n)}


def test_a_group_under_four_fifths_of_the_highest_rate_is_flagged():
    groups = _people(a=10, b=10)
    promoted = ["a0", "a1", "a2", "a3", "b0", "b1"]
    report = reports.group_rates(2025, groups, promoted, groups)
    rows = {r.group: r for r in report.rows}
    assert rows["a"].rate == 0.4 and not rows["a"].flagged
    assert rows["b"].ratio == 0.5 and rows["b"].flagged
    assert not report.withheld


def test_a_group_of_fewer_than_five_is_never_shown():
    groups = _people(a=10, b=10, c=4)
    report = reports.group_rates(2025, list(groups) + ["x1", "x2", "x3", "x4", "x5"], [], groups)
    assert [r.group for r in report.rows] == ["a", "b"] and report.withheld


def test_a_small_group_cannot_be_worked_out_by_subtracting_the_groups_shown_from_the_total():
    # Everyone recorded a group: total minus a and b would be c exactly, so b is withheld too.
    groups = _people(a=10, b=6, c=3)
    report = reports.group_rates(2025, groups, ["c0"], groups)
    assert [r.group for r in report.rows] == ["a"] and report.withheld


@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 12), min_size=1), st.integers(0, 8),
       st.data())
def test_whatever_the_sizes_what_is_not_shown_is_none_or_at_least_five_people(sizes, unrecorded, data):
    groups = _people(**sizes)
    population = list(groups) + [f"x{i}" for i in range(unrecorded)]
    promoted = data.draw(st.lists(st.sampled_from(population), unique=True)) if population else []
    report = reports.group_rates(2025, population, promoted, groups)
    shown = sum(r.people for r in report.rows)
    remainder = len(population) - shown
    assert all(r.people >= 5 for r in report.rows)
    hidden_recorded = sum(n for g, n in sizes.items() if g not in {r.group for r in report.rows})
    assert hidden_recorded == 0 or remainder >= 5 or not report.rows
