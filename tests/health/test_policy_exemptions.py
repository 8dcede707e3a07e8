"""The policy may exempt teams or departments from a code, with a reason; exempted findings are listed apart."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.health.builders import LADDER, healthy
from trellis.health.engine import evaluate
from trellis.health.policy import Policy, parse_policy
from trellis.lib.problems import InputError
from trellis.org.model import Team

SUPPORT = {"code": "no-tech-lead", "team": "support*", "reason": "Support teams work from runbooks."}


def support_desk():  # type: ignore[no-untyped-def]
    b = healthy().team("Support Desk").engineers("desk", 3, manager="erin", team="Support Desk")
    return b.manage("erin", "Support Desk")


def test_a_team_matching_a_pattern_is_listed_apart_with_the_reason():
    report = evaluate(support_desk().build(), LADDER, Policy(exemptions=[SUPPORT]))
    assert report.findings == []
    [exempted] = report.exempted
    assert (exempted.finding.code, exempted.finding.team, exempted.reason) == (
        "no-tech-lead", "Support Desk", "Support teams work from runbooks.")
    assert report.counts()["no-tech-lead"] == 0
    assert report.to_dict()["exempted"][0]["reason"] == "Support teams work from runbooks."


def test_an_exemption_covers_only_its_code():
    b = support_desk().drop_roles("erin", team="Support Desk")
    report = evaluate(b.build(), LADDER, Policy(exemptions=[SUPPORT]))
    assert [(f.code, f.team) for f in report.findings] == [("no-people-manager", "Support Desk")]


def test_a_department_exempts_its_teams():
    b = support_desk()
    b.teams["Support Desk"] = replace(b.teams["Support Desk"], department="Operations")
    b.teams["Payments"] = Team("Payments", department="Product")
    policy = Policy(exemptions=[{"code": "no-tech-lead", "department": "Operations", "reason": "Run by the book."}])
    report = evaluate(b.build(), LADDER, policy)
    assert [e.finding.team for e in report.exempted] == ["Support Desk"] and report.findings == []


def test_a_team_that_does_not_match_is_still_judged():
    b = healthy().team("Supply").engineers("sup", 3, manager="erin", team="Supply").manage("erin", "Supply")
    report = evaluate(b.build(), LADDER, Policy(exemptions=[SUPPORT]))
    assert [f.team for f in report.findings] == ["Supply"] and report.exempted == []


def test_a_policy_file_states_exemptions_and_every_problem_in_them_is_reported_by_line():
    policy = parse_policy("exemptions:\n  - code: no-tech-lead\n    team: Support*\n    reason: Runbooks.\n", "p.yaml")
    assert policy.exemptions[0].team == "Support*"
    text = ("exemptions:\n  - code: no-tech-leads\n    team: Support*\n    reason: x\n"
            "  - code: dual-role\n    reason: x\n")
    with pytest.raises(InputError) as caught:
        parse_policy(text, "p.yaml")
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith("p.yaml:2:") and "unknown finding code 'no-tech-leads'" in m for m in messages)
    assert any(m.startswith("p.yaml:5:") and "an exemption names a team or a department" in m for m in messages)


def test_a_what_if_neither_shows_nor_hides_an_exempted_finding_and_its_report_matches_a_full_evaluation():
    from trellis.health.whatif import Simulation, apply_changes, parse_what_if

    policy = Policy(exemptions=[SUPPORT])
    snapshot = support_desk().build()
    changes = [parse_what_if("give tech_lead@'Support Desk' sam")]
    result = Simulation(snapshot, LADDER, policy).run(changes)
    assert (result.appeared, result.disappeared) == ([], [])  # the exempted void closes unannounced
    full = evaluate(apply_changes(snapshot, LADDER, changes), LADDER, policy)
    assert result.after.to_dict() == full.to_dict() and full.exempted == []
