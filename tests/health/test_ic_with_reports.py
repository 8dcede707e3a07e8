"""An engineer below the architecture line with reports but no people-manager role: management without the role."""

from __future__ import annotations

from tests.health.builders import LADDER, healthy
from trellis.health.engine import evaluate
from trellis.health.whatif import Simulation, parse_what_if


def found(builder, code="ic-with-reports"):  # type: ignore[no-untyped-def]
    return [f for f in evaluate(builder.build(), LADDER).findings if f.code == code]


def test_a_senior_engineer_with_a_report_does_people_management_without_the_role():
    b = healthy().change("pay2", manager_id="pay1")
    [finding] = found(b)
    assert (finding.person, finding.team, finding.severity) == ("pay1", "Payments", "warning")
    assert finding.message == (
        "Pay1 (pay1) is a Senior Software Engineer on the technical track with no people-manager role, yet 1 "
        "person reports to them (Pay2 (pay2)): people management without the role, the two-jobs trap hidden "
        "from the records.")
    assert "record the people-manager role for Pay1" in finding.action
    assert "tech-lead-manager" not in finding.message and "first-line manager" not in finding.message
    assert [f for f in evaluate(b.build(), LADDER).findings if f.code == "span-of-control"] == []


def test_a_tech_lead_with_reports_of_ordinary_engineers_is_found_even_in_the_architecture_line():
    b = healthy().change("pay1", manager_id="alice").change("pay2", manager_id="alice")
    [finding] = found(b)
    assert finding.person == "alice" and "2 people report to them (Pay1 (pay1) and Pay2 (pay2))" in finding.message


def test_the_director_of_architecture_with_tech_leads_reporting_is_the_target_shape():
    assert found(healthy()) == []  # Alice, Sam, Arthur and Paula report to Diana


def test_an_architect_in_the_architecture_line_to_whom_tech_leads_report_is_the_line_at_work():
    b = healthy().change("alice", manager_id="paula").change("sam", manager_id="paula")
    assert found(b) == []


def test_an_architect_outside_the_architecture_line_with_tech_leads_reporting_is_found():
    b = healthy().change("paula", manager_id="victor").change("alice", manager_id="paula")
    assert [f.person for f in found(b)] == ["paula"]


def test_someone_who_holds_the_people_manager_role_is_judged_by_span_instead():
    b = healthy().change("pay2", manager_id="pay1").manage("pay1", "Payments")
    assert found(b) == []
    assert [f.person for f in found(b, "span-of-control")] == ["pay1"]  # one report: under the minimum


def test_recording_the_role_in_a_what_if_makes_the_finding_disappear():
    b = healthy().change("pay2", manager_id="pay1").change("pay3", manager_id="pay1")
    result = Simulation(b.build(), LADDER).run([parse_what_if("give people_manager@Payments pay1")])
    assert [(f.code, f.person) for f in result.disappeared] == [("ic-with-reports", "pay1")]
