"""Teams under the policy's size are not judged for a missing tech lead or people manager; a metric counts them."""

from __future__ import annotations

from tests.health.builders import LADDER, healthy
from trellis.health.engine import evaluate
from trellis.health.policy import Policy


def codes(builder, policy=None):  # type: ignore[no-untyped-def]
    report = evaluate(builder.build(), LADDER, policy)
    return [(f.code, f.team) for f in report.findings], report.metrics


def test_a_team_of_two_with_no_leaders_gets_no_finding_and_is_counted_as_small():
    b = healthy().team("Tools").engineers("tools", 2, manager="erin", team="Tools")
    found, metrics = codes(b)
    assert found == [] and metrics.small_teams == 1 and metrics.teams == 3


def test_a_team_of_three_with_no_leaders_is_judged():
    b = healthy().team("Tools").engineers("tools", 3, manager="erin", team="Tools")
    found, metrics = codes(b)
    assert found == [("no-people-manager", "Tools"), ("no-tech-lead", "Tools")] and metrics.small_teams == 0


def test_the_size_is_a_policy_setting():
    b = healthy().team("Tools").engineers("tools", 2, manager="erin", team="Tools")
    found, _ = codes(b, Policy(small_team_size=0))
    assert ("no-tech-lead", "Tools") in found
    found, metrics = codes(healthy(), Policy(small_team_size=7))  # Search has 6 people, Payments 7
    assert found == [] and metrics.small_teams == 1
