"""Teams without a tech lead or a people manager: since when, and how severe."""

from __future__ import annotations

from datetime import date, timedelta

from tests.health.builders import AS_OF, LADDER, healthy
from trellis.health.engine import evaluate
from trellis.health.policy import Policy


def codes(snapshot, policy=None):  # type: ignore[no-untyped-def]
    return [(f.code, f.team, f.person) for f in evaluate(snapshot, LADDER, policy).findings]


def test_a_healthy_organisation_has_no_findings():
    assert evaluate(healthy().build(), LADDER).findings == []


def test_it_finds_a_team_without_a_tech_lead_since_the_last_one_left_the_role():
    b = healthy().drop_roles("alice").role("alice", "tech_lead", "Payments", start=date(2025, 1, 1),
                                            end=date(2026, 5, 1))
    [finding] = [f for f in evaluate(b.build(), LADDER).findings if f.code == "no-tech-lead"]
    assert finding.team == "Payments" and finding.person is None
    assert finding.since == date(2026, 5, 1)
    assert "since 1 May 2026 (60 days)" in finding.message
    assert "the last was Alice Adams (alice)" in finding.message
    assert "(7 people)" in finding.message
    assert finding.action.startswith("Name a tech lead for Payments")


def test_without_any_history_the_void_counts_from_the_teams_own_start():
    b = healthy().drop_roles("alice")
    [finding] = [f for f in evaluate(b.build(), LADDER).findings if f.code == "no-tech-lead"]
    assert finding.since == date(2024, 1, 1)
    assert finding.severity == "critical"


def test_the_severity_of_a_missing_tech_lead_rises_with_its_duration():
    def severity(days_ago: int) -> str:
        b = healthy().drop_roles("alice").role("alice", "tech_lead", "Payments", start=date(2025, 1, 1),
                                                end=AS_OF - timedelta(days=days_ago))
        [finding] = [f for f in evaluate(b.build(), LADDER).findings if f.code == "no-tech-lead"]
        return finding.severity

    assert [severity(d) for d in (0, 29, 30, 89, 90, 400)] == \
        ["info", "info", "warning", "warning", "critical", "critical"]


def test_policy_moves_the_severity_steps():
    b = healthy().drop_roles("alice").role("alice", "tech_lead", "Payments", start=date(2025, 1, 1),
                                            end=AS_OF - timedelta(days=10))
    policy = Policy(no_tech_lead_warning_days=5, no_tech_lead_critical_days=8)
    [finding] = [f for f in evaluate(b.build(), LADDER, policy).findings if f.code == "no-tech-lead"]
    assert finding.severity == "critical"


def test_an_unknown_start_is_a_warning_and_says_the_records_do_not_know():
    b = healthy().drop_roles("alice")
    b.teams["Payments"] = b.teams["Payments"].__class__("Payments")
    [finding] = [f for f in evaluate(b.build(), LADDER).findings if f.code == "no-tech-lead"]
    assert finding.since is None and finding.severity == "warning"
    assert "since before the records begin" in finding.message


def test_it_finds_a_team_without_a_people_manager():
    b = healthy().drop_roles("bob")
    assert codes(b.build()) == [("no-people-manager", "Payments", None)]


def test_co_leads_are_not_a_missing_tech_lead_nor_a_finding_of_their_own():
    b = healthy().person("zoe", "lead-engineer", manager="diana", team="Payments").lead("zoe")
    assert codes(b.build()) == []


def test_a_team_led_by_someone_from_another_team_has_its_tech_lead():
    b = healthy().drop_roles("alice").lead("arthur", "Payments")
    assert codes(b.build()) == []


def test_an_empty_team_needs_no_leaders():
    b = healthy().team("Archive")
    assert codes(b.build()) == []


def test_the_role_of_someone_who_has_left_does_not_count():
    b = healthy().change("alice", active=False)
    assert ("no-tech-lead", "Payments", None) in codes(b.build())
