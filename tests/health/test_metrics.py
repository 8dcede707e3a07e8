"""The figures beside the findings, on the healthy organisation and after small changes."""

from __future__ import annotations

import json
from datetime import date

from tests.health.builders import AS_OF, LADDER, healthy
from trellis.health.engine import evaluate
from trellis.health.policy import Policy


def metrics(builder, policy=None):  # type: ignore[no-untyped-def]
    return evaluate(builder.build(), LADDER, policy).metrics


def test_headcount_per_track_and_level_counts_active_people_only():
    m = metrics(healthy().person("gone", "software-engineer", manager="bob", team="Payments", active=False))
    assert m.headcount == 19
    assert m.headcount_by_track == {"management": 4, "technical": 15}
    assert m.headcount_by_level["software-engineer"] == 4
    assert m.headcount_by_level["senior-engineering-manager"] == 0
    assert list(m.headcount_by_level)[:3] == ["software-engineer", "senior-software-engineer", "lead-engineer"]


def test_shares_of_teams_with_a_tech_lead_and_with_a_complete_pair():
    m = metrics(healthy().drop_roles("alice").team("Ops").person("ops1", manager="erin", team="Ops").lead("sam", "Ops"))
    assert (m.teams, m.teams_with_tech_lead, m.teams_with_pair) == (3, 2, 1)
    assert (m.tech_lead_share, m.pair_share) == (0.6667, 0.3333)


def test_manager_to_engineer_ratio():
    m = metrics(healthy())
    assert (m.managers, m.engineers, m.engineers_per_manager) == (2, 15, 7.5)
    m = metrics(healthy().drop_roles("bob").manage("alice", "Payments"))
    assert (m.managers, m.engineers) == (2, 14)  # Alice manages now, so she is no longer counted as an engineer


def test_mean_and_max_span_count_solid_lines_of_everyone_with_reports():
    m = metrics(healthy())
    # cora 2, victor 1, dora 2, diana 4, bob 5, erin 4
    assert m.span_distribution == {1: 1, 2: 2, 4: 2, 5: 1}
    assert (m.span_mean, m.span_max) == (3.0, 5)


def test_staff_and_above_share_of_the_technical_track():
    m = metrics(healthy())
    assert (m.staff_and_above, m.staff_and_above_share) == (4, 0.2667)  # arthur, paula, diana, cora of 15
    assert metrics(healthy(), Policy(staff_level="cto")).staff_and_above == 1


def test_people_in_two_roles_and_for_how_long():
    m = metrics(healthy().drop_roles("alice").lead("bob", "Payments", start=date(2026, 4, 1)))
    [dual] = m.dual_roles
    assert (dual.person, dual.name, dual.since, dual.days) == ("bob", "Bob Brown", date(2026, 4, 1), 90)
    assert m.summary()["people_in_two_roles"] == 1


def test_teams_per_tech_lead():
    m = metrics(healthy().lead("arthur", "Payments").lead("arthur", "Search"))
    assert m.tech_leads == 3
    assert m.teams_per_tech_lead_distribution == {1: 2, 2: 1}
    assert (m.teams_per_tech_lead_mean, m.teams_per_tech_lead_max) == (1.3333, 2)


def test_share_of_tech_leads_under_the_architecture_line():
    assert metrics(healthy()).architecture_line_share == 1.0
    m = metrics(healthy().change("sam", manager_id="erin"))
    assert m.architecture_line_share == 0.5


def test_an_empty_organisation_has_no_shares_rather_than_a_division_by_zero():
    from trellis.org.model import OrgSnapshot

    m = evaluate(OrgSnapshot(AS_OF), LADDER).metrics
    assert (m.headcount, m.pair_share, m.span_mean, m.engineers_per_manager) == (0, None, None, None)


def test_the_report_is_json_serialisable():
    report = evaluate(healthy().drop_roles("alice").build(), LADDER)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["as_of"] == "2026-06-30"
    assert data["counts"]["no-tech-lead"] == 1 and data["counts"]["dual-role"] == 0
    assert data["findings"][0]["code"] == "no-tech-lead" and data["findings"][0]["since"] == "2024-01-01"
    assert data["metrics"]["span_distribution"] == {"1": 1, "2": 2, "4": 2, "5": 1}
