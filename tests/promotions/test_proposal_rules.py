"""The rules of a proposal, with no database: what may be proposed, the guard, handovers, states."""

from __future__ import annotations

import pytest

from tests.health.builders import LADDER, OrgBuilder
from trellis.org.model import PEOPLE_MANAGER, TECH_LEAD
from trellis.promotions import rules
from trellis.promotions.rules import Action, Handover, Refused, State


def test_the_next_level_on_the_same_track_is_a_promotion():
    assert rules.classify(LADDER, "senior-software-engineer", "lead-engineer") == rules.PROMOTION


def test_any_level_on_the_other_track_is_a_track_change_in_both_directions():
    assert rules.classify(LADDER, "lead-engineer", "engineering-manager") == rules.TRACK_CHANGE
    assert rules.classify(LADDER, "engineering-manager", "lead-engineer") == rules.TRACK_CHANGE
    assert rules.classify(LADDER, "senior-engineering-manager", "software-architect") == rules.TRACK_CHANGE


def test_skipping_a_level_is_refused_naming_the_next_one():
    with pytest.raises(Refused) as caught:
        rules.classify(LADDER, "software-engineer", "lead-engineer")
    assert "the next level on the Technical leadership track is Senior Software Engineer" in caught.value.message


def test_an_unknown_or_unchanged_level_is_refused():
    with pytest.raises(Refused, match="unknown level 'wizard'"):
        rules.classify(LADDER, "software-engineer", "wizard")
    with pytest.raises(Refused, match="already"):
        rules.classify(LADDER, "lead-engineer", "lead-engineer")


@pytest.mark.parametrize(("preferred", "held"), [("technical", True), ("undecided", True), ("management", False)])
def test_the_guard_holds_a_move_into_management_unless_the_person_prefers_it(preferred, held):
    assert rules.guard_applies(LADDER, "engineering-manager", preferred) is held


def test_the_guard_never_holds_a_move_onto_the_technical_track():
    assert not rules.guard_applies(LADDER, "software-architect", "management")


def test_the_guard_names_the_technical_peer_of_the_level_as_the_alternative():
    assert rules.alternative_sentence(LADDER, "senior-engineering-manager") == \
        "Software Architect is the peer of this level on the technical track"
    assert "Software Architect is the peer" in rules.guard_message("Tess", LADDER, "senior-engineering-manager")


def _payments() -> OrgBuilder:
    return (OrgBuilder().team("Payments")
            .person("mia", "engineering-manager", team="Payments").person("tess", "lead-engineer", team="Payments")
            .person("ben", "senior-software-engineer", team="Payments")
            .manage("mia").lead("tess"))


def test_a_handover_ends_the_holders_role_and_gives_it_to_the_person_named():
    org = _payments().build()
    changes = rules.planned_changes(org, "tess", "engineering-manager",
                                    [Handover(PEOPLE_MANAGER, "Payments", "tess"),
                                     Handover(TECH_LEAD, "Payments", "ben")])
    assert [c.describe() for c in changes] == [
        "promote tess engineering-manager", "take people_manager@Payments mia", "give people_manager@Payments tess",
        "take tech_lead@Payments tess", "give tech_lead@Payments ben"]


def test_a_tech_lead_made_manager_without_a_handover_is_told_she_would_hold_two_jobs():
    org = _payments().build()
    message = rules.two_jobs(LADDER, org, "tess", "engineering-manager", [Handover(PEOPLE_MANAGER, "Payments", "tess")])
    assert message is not None and "two jobs" in message and "tech_lead@Payments=PERSON" in message
    assert rules.two_jobs(LADDER, org, "tess", "engineering-manager", []) is not None
    handed = [Handover(PEOPLE_MANAGER, "Payments", "tess"), Handover(TECH_LEAD, "Payments", "ben")]
    assert rules.two_jobs(LADDER, org, "tess", "engineering-manager", handed) is None


def test_a_promotion_on_the_technical_track_keeps_the_tech_lead_role_without_a_warning():
    assert rules.two_jobs(LADDER, _payments().build(), "tess", "software-architect", []) is None


def test_a_handover_is_written_role_at_team_equals_person():
    assert rules.parse_handover("tech_lead@Payments Core=e5") == Handover(TECH_LEAD, "Payments Core", "e5")
    with pytest.raises(Refused, match="ROLE@TEAM=PERSON"):
        rules.parse_handover("tech_lead=e5")
    with pytest.raises(Refused, match="unknown role 'boss'"):
        rules.parse_handover("boss@Payments=e5")


def test_states_move_only_along_their_transitions():
    assert rules.next_state(State.DRAFT, Action.SUBMIT) == State.SUBMITTED
    assert rules.next_state(State.SUBMITTED, Action.REVIEW) == State.IN_REVIEW
    assert rules.next_state(State.IN_REVIEW, Action.APPROVE) == State.APPROVED
    with pytest.raises(Refused, match="never edited"):
        rules.next_state(State.APPROVED, Action.WITHDRAW)
    with pytest.raises(Refused, match="cannot approve"):
        rules.next_state(State.DRAFT, Action.APPROVE)
