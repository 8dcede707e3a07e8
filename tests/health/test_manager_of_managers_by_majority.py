"""A manager is a manager of managers when most of their reports manage people, not when one does."""

from __future__ import annotations

from tests.health.builders import LADDER, healthy
from trellis.health.engine import evaluate
from trellis.health.policy import Policy


def spans(builder, policy=None):  # type: ignore[no-untyped-def]
    return {f.person: f for f in evaluate(builder.build(), LADDER, policy).findings if f.code == "span-of-control"}


def test_one_report_with_a_report_of_his_own_leaves_a_first_line_manager_of_seven_first_line():
    b = healthy().engineers("more", 2, manager="bob", team="Payments")  # Bob: 7 reports
    b.person("intern", manager="pay1", team="Payments")  # one of them now has a report
    found = spans(b)
    assert "bob" not in found  # 7 is within a first-line manager's 8, and not above a manager of managers' 6


def test_a_manager_most_of_whose_reports_manage_people_is_held_to_the_manager_of_managers_maximum():
    b = healthy()
    for i in range(7):
        b.person(f"em{i}", "engineering-manager", manager="dora").engineers(f"em{i}r", 4, manager=f"em{i}",
                                                                             team=f"T{i}")
    assert "a manager of managers should have at most 6" in spans(b)["dora"].message  # 9 reports, 9 manage


def test_exactly_half_managing_is_not_a_majority():
    b = healthy().engineers("x", 2, manager="dora", team="Payments")  # Dora: Bob, Erin and two engineers
    b.engineers("more", 5, manager="dora", team="Payments")  # 9 reports, 2 of whom manage
    assert "above 8 a first-line manager" in spans(b)["dora"].message


def test_the_share_is_a_policy_setting():
    b = healthy().engineers("x", 5, manager="dora", team="Payments")  # 7 reports, 2 manage people
    assert spans(b) == {}
    found = spans(b, Policy(manager_of_managers_share=0.2))
    assert "a manager of managers should have at most 6" in found["dora"].message
