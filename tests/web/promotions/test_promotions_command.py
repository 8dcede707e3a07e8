"""``trellis promotions`` as an operator runs it: propose, consent, submit, decide, show, list."""

from __future__ import annotations

import json

import pytest

from trellis.cli import app
from trellis.web.promotions.models import Proposal

pytestmark = pytest.mark.django_db


def run(runner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["promotions", *args])


def propose_tess_as_manager(runner) -> int:  # type: ignore[no-untyped-def]
    result = run(runner, "propose", "e4", "engineering-manager", "--by", "e3", "--rationale", "Runs the team already",
                 "--handover", "people_manager@Payments=e4", "--handover", "tech_lead@Payments=e5")
    assert result.exit_code == 0, result.output
    return int(result.output.strip())


def test_propose_prints_the_new_proposals_id(runner, org):
    proposal_id = propose_tess_as_manager(runner)
    proposal = Proposal.objects.get(pk=proposal_id)
    assert proposal.state == "draft" and proposal.proposer == org["mia"] and proposal.kind == "track-change"


def test_a_tech_lead_who_prefers_the_technical_track_cannot_be_submitted_as_a_manager_without_her_consent(runner, org):
    proposal_id = propose_tess_as_manager(runner)
    result = run(runner, "submit", str(proposal_id))
    assert result.exit_code == 1
    assert "Tess Lead has not confirmed wanting to move into people management" in result.output
    assert "Lead Engineer is the peer of this level on the technical track, the level held now" in result.output
    assert Proposal.objects.get(pk=proposal_id).state == "draft"
    assert run(runner, "consent", str(proposal_id)).exit_code == 0
    result = run(runner, "submit", str(proposal_id))
    assert result.exit_code == 0, result.output
    assert Proposal.objects.get(pk=proposal_id).state == "submitted"


def test_show_as_json_says_whether_the_guard_holds_and_what_would_appear_and_disappear(runner, org):
    proposal_id = propose_tess_as_manager(runner)
    data = json.loads(run(runner, "show", str(proposal_id), "--format", "json").output)
    assert data["state"] == "draft" and data["guard_holds"] is True
    assert data["guard"]["alternative"].startswith("Lead Engineer is the peer")
    assert {"appeared", "disappeared", "metrics"} <= set(data["impact"])


def test_a_move_that_leaves_the_team_without_a_tech_lead_shows_the_void(runner, org):
    result = run(runner, "propose", "e4", "engineering-manager", "--by", "e3", "--rationale", "Wants to manage",
                 "--handover", "people_manager@Search=e4", "--handover", "tech_lead@Payments=none")
    proposal_id = int(result.output)
    data = json.loads(run(runner, "show", str(proposal_id), "--format", "json").output)
    appeared = {(f["code"], f["team"]) for f in data["impact"]["appeared"]}
    assert ("no-tech-lead", "Payments") in appeared
    assert data["two_jobs"] is None


def test_someone_who_is_not_the_person_their_manager_or_tech_lead_may_not_propose(runner, org):
    result = run(runner, "propose", "e5", "lead-engineer", "--by", "e6", "--rationale", "x")
    assert result.exit_code == 1 and "you may not propose a move for Ben Builder" in result.output
    assert not Proposal.objects.exists()


def test_skipping_a_level_exits_1_naming_the_next_level(runner, org):
    result = run(runner, "propose", "e6", "software-architect", "--by", "e3", "--rationale", "x")
    assert result.exit_code == 1
    assert "the next level on the Technical leadership track is Lead Engineer" in result.output


def test_list_filters_by_state_in_a_table_or_as_json(runner, org):
    first = propose_tess_as_manager(runner)
    run(runner, "propose", "e6", "lead-engineer", "--by", "e6", "--rationale", "Ready")
    run(runner, "withdraw", str(first), "--reason", "Not now")
    rows = json.loads(run(runner, "list", "--state", "draft", "--format", "json").output)
    assert [r["person"]["id"] for r in rows] == ["e6"]
    states = {r["person"]["id"]: r["state"] for r in json.loads(run(runner, "list", "--format", "json").output)}
    assert states == {"e4": "withdrawn", "e6": "draft"}
    assert "guard" in run(runner, "list").output
    assert run(runner, "list", "--state", "pending").exit_code == 1


def test_a_decision_needs_a_reason_and_an_approval_needs_a_date(runner, org):
    result = run(runner, "propose", "e6", "lead-engineer", "--by", "e3", "--rationale", "Ready")
    proposal_id = result.output.strip()
    assert run(runner, "submit", proposal_id).exit_code == 0
    result = run(runner, "decide", proposal_id, "approve", "--reason", "Clear case")
    assert result.exit_code == 1 and "--effective" in result.output
    result = run(runner, "decide", proposal_id, "decline", "--reason", "Not yet: more design work first")
    assert result.exit_code == 0 and "declined" in result.output
    result = run(runner, "decide", proposal_id, "approve", "--reason", "Changed my mind", "--effective", "2999-01-01")
    assert result.exit_code == 1 and "never edited" in result.output


def test_an_unknown_proposal_exits_1(runner, org):
    result = run(runner, "show", "999")
    assert result.exit_code == 1 and "no proposal 999" in result.output
