"""Findings about one person: two jobs at once, the Peter Principle, spread thin, the work without the title."""

from __future__ import annotations

from datetime import date

from tests.health.builders import LADDER, healthy
from trellis.health.engine import evaluate
from trellis.health.policy import Policy


def findings(builder, code, policy=None):  # type: ignore[no-untyped-def]
    return [f for f in evaluate(builder.build(), LADDER, policy).findings if f.code == code]


def test_a_manager_who_also_leads_the_same_team_holds_two_jobs():
    b = healthy().drop_roles("alice").lead("bob", "Payments", start=date(2026, 3, 1))
    [finding] = findings(b, "dual-role")
    assert (finding.person, finding.team, finding.since) == ("bob", "Payments", date(2026, 3, 1))
    assert finding.severity == "warning"
    assert "Bob Brown (bob) is both people manager and tech lead of Payments since 1 Mar 2026 (121 days)" \
        in finding.message


def test_two_jobs_on_different_teams_are_still_two_jobs():
    b = healthy().drop_roles("sam").lead("bob", "Search", start=date(2026, 3, 1))
    [finding] = findings(b, "dual-role")
    assert "people manager of Payments, and tech lead of Search" in finding.message
    assert finding.action.startswith("Split the jobs: Bob Brown prefers management, so keep the people-manager role")


def test_two_jobs_count_from_the_later_of_the_two_roles_and_turn_critical_past_the_limit():
    b = healthy().drop_roles("alice").lead("bob", "Payments", start=date(2025, 6, 1))
    [finding] = findings(b, "dual-role")
    assert finding.since == date(2025, 6, 1)  # the manager role started 2025-01-01, earlier
    assert finding.severity == "critical"
    assert "more than the 182 days the policy allows" in finding.message
    [relaxed] = findings(b, "dual-role", Policy(dual_role_limit_days=400))
    assert relaxed.severity == "warning"


def test_two_jobs_held_since_before_the_records_begin_are_a_warning_with_no_date():
    b = healthy().drop_roles("bob").drop_roles("alice").manage("bob", "Payments").lead("bob", "Payments")
    [finding] = findings(b, "dual-role")
    assert finding.since is None and finding.severity == "warning"
    assert "since before the records begin" in finding.message


def test_a_manager_who_prefers_the_technical_track_is_a_peter_principle_risk():
    b = healthy().change("bob", preferred_track="technical", level_since=date(2025, 1, 1))
    [finding] = findings(b, "peter-principle-risk")
    assert (finding.person, finding.team, finding.since) == ("bob", "Payments", date(2025, 1, 1))
    assert "holds the management level Engineering Manager and manages Payments" in finding.message
    assert "Lead Engineer" in finding.action  # the technical peer at the same grade


def test_an_engineer_holding_a_people_manager_role_who_prefers_the_technical_track_is_at_risk_too():
    b = healthy().drop_roles("bob").manage("alice", "Payments")
    [finding] = findings(b, "peter-principle-risk")
    assert finding.person == "alice" and "manages Payments" in finding.message


def test_a_manager_who_prefers_management_or_is_undecided_is_not_at_risk():
    b = healthy().change("bob", preferred_track="undecided")
    assert findings(b, "peter-principle-risk") == []


def test_a_tech_lead_of_more_teams_than_the_policy_allows_is_spread_thin():
    b = healthy().team("Ops").person("ops1", manager="erin", team="Ops")
    b.lead("arthur", "Payments").lead("arthur", "Search").lead("arthur", "Ops")
    [finding] = findings(b, "tech-lead-spread")
    assert finding.person == "arthur"
    assert "tech lead of 3 teams (Ops, Payments and Search)" in finding.message
    assert finding.since is None  # all three roles were held before the records begin
    assert findings(b, "tech-lead-spread", Policy(tech_lead_spread_max=3)) == []


def test_spread_counts_from_the_role_that_went_beyond_the_limit():
    b = healthy().team("Ops").person("ops1", manager="erin", team="Ops").team("Ads")
    b.person("ads1", manager="erin", team="Ads")
    b.lead("arthur", "Payments", start=date(2025, 1, 1)).lead("arthur", "Ops", start=date(2026, 2, 1))
    b.lead("arthur", "Search", start=date(2025, 6, 1)).lead("arthur", "Ads", start=date(2026, 4, 1))
    [finding] = findings(b, "tech-lead-spread")
    assert finding.since == date(2026, 2, 1)


def test_an_architect_leading_two_teams_is_not_spread_thin():
    b = healthy().lead("arthur", "Payments").lead("arthur", "Search")
    assert evaluate(b.build(), LADDER).findings == []


def test_a_tech_lead_below_the_tech_lead_level_is_unrecognised():
    b = healthy().change("alice", level="senior-software-engineer")
    [finding] = findings(b, "unrecognised-lead")
    assert (finding.person, finding.team, finding.severity) == ("alice", "Payments", "info")
    assert "as a Senior Software Engineer, below Lead Engineer" in finding.message
    assert "promoting Alice Adams" in finding.action


def test_the_tech_lead_level_comes_from_the_policy():
    b = healthy()
    assert findings(b, "unrecognised-lead", Policy(min_tech_lead_level="software-architect"))[0].person == "alice"


def test_a_manager_of_two_teams_who_leads_neither_has_no_finding():
    b = healthy().drop_roles("erin").manage("bob", "Search").change("erin", manager_id="bob")
    assert evaluate(b.build(), LADDER).findings == []
