"""Spans of control: solid lines only; first-line managers and managers of managers; the top is exempt."""

from __future__ import annotations

from tests.health.builders import LADDER, healthy
from trellis.health.engine import evaluate
from trellis.health.policy import Policy


def spans(builder, policy=None):  # type: ignore[no-untyped-def]
    return [f for f in evaluate(builder.build(), LADDER, policy).findings if f.code == "span-of-control"]


def test_a_first_line_manager_with_exactly_the_maximum_is_fine():
    b = healthy().engineers("more", 3, manager="bob", team="Payments")  # 5 + 3 = 8
    assert spans(b) == []


def test_a_first_line_manager_above_the_maximum_becomes_a_coach():
    b = healthy().engineers("more", 4, manager="bob", team="Payments")
    [finding] = spans(b)
    assert (finding.person, finding.team, finding.severity) == ("bob", "Payments", "warning")
    assert "Bob Brown (bob) has 9 direct reports; above 8" in finding.message


def test_a_first_line_manager_under_the_minimum_is_in_effect_a_tech_lead_manager():
    b = healthy()
    for pid in ("search1", "search2"):
        b.change(pid, manager_id="bob")
    [finding] = spans(b)
    assert finding.person == "erin" and finding.severity == "info"
    assert "only 2 direct reports; under 4" in finding.message


def test_dotted_lines_do_not_count_toward_a_span():
    b = healthy()
    for pid in ("search1", "search2", "search3", "search4"):
        b.change(pid, dotted_manager_ids=("bob",))
    assert spans(b) == []


def test_a_manager_of_managers_has_a_lower_maximum():
    b = healthy()
    for i in range(6):
        b.person(f"em{i}", "engineering-manager", manager="dora").engineers(f"em{i}r", 4, manager=f"em{i}",
                                                                             team=f"T{i}")
    found = {f.person: f for f in spans(b)}
    assert "dora" in found
    assert "8 direct reports, some of whom manage people; a manager of managers should have at most 6" \
        in found["dora"].message


def test_a_manager_of_managers_is_not_held_to_a_minimum():
    assert healthy().build().direct_reports["victor"] == ["dora"]
    assert spans(healthy()) == []


def test_the_top_of_the_organisation_is_not_held_to_a_minimum():
    assert healthy().build().direct_reports["cora"] == ["diana", "victor"]  # the CTO has two reports
    assert spans(healthy()) == []


def test_policy_overrides_the_range():
    assert [f.person for f in spans(healthy(), Policy(first_line_span_max=4))] == ["bob"]
    # Diana, Director of Architecture, has four reports too, but technical leaders are held to no minimum.
    assert {f.person for f in spans(healthy(), Policy(first_line_span_min=5))} == {"erin"}


def test_someone_reporting_outside_the_organisation_is_not_its_top():
    b = healthy().person("zed", "engineering-manager", name="Zed Zane").engineers("z", 2, manager="zed", team="Labs")
    assert [f.person for f in spans(b)] == [], "at the top, a small span is fine"
    [finding] = spans(b.change("zed", reports_outside=True))
    assert finding.person == "zed" and "only 2 direct reports" in finding.message
