"""The viewer's relations to a person, and which relations grant which right (no database)."""

from __future__ import annotations

import pytest

from trellis.access import Relation, Right, allows, explain, relations_to

# Dana directs; Mia reports to Dana and manages Ben; Tess leads Ben's team and has Mia on a dotted line.
MANAGER = {"dana": None, "mia": "dana", "ben": "mia", "tess": "dana", "loop-a": "loop-b", "loop-b": "loop-a"}
DOTTED = {"tess": ("mia",)}
TEAM_LEADS = {"ben": ("tess",), "tess": ("tess",)}


def rel(viewer: str | None, person: str, *staff: Relation) -> frozenset[Relation]:
    return relations_to(viewer, person, staff=staff, manager_of=MANAGER.get,
                        dotted_of=lambda p: DOTTED.get(p, ()), tech_leads_of=lambda p: TEAM_LEADS.get(p, ()))


def test_it_finds_each_relation_once_and_only_where_it_holds():
    assert rel("ben", "ben") == {Relation.SELF}
    assert rel("mia", "ben") == {Relation.MANAGER}
    assert rel("dana", "ben") == {Relation.MANAGER_ABOVE}
    assert rel("tess", "ben") == {Relation.TECH_LEAD}
    assert rel("mia", "tess") == {Relation.DOTTED_MANAGER}
    assert rel("dana", "tess") == {Relation.MANAGER}
    assert rel("ben", "dana") == frozenset()


def test_a_tech_lead_is_not_their_own_tech_lead():
    assert rel("tess", "tess") == {Relation.SELF}


def test_an_account_linked_to_no_one_has_only_its_staff_relations():
    assert rel(None, "ben", Relation.HR) == {Relation.HR}
    assert rel(None, "ben") == frozenset()


def test_a_reporting_cycle_in_bad_data_ends():
    assert rel("nobody", "loop-a") == frozenset()


@pytest.mark.parametrize(("relation", "sees"), [
    (Relation.SELF, True), (Relation.MANAGER, True), (Relation.DOTTED_MANAGER, True), (Relation.HR, True),
    (Relation.ADMIN, True), (Relation.MANAGER_ABOVE, False), (Relation.TECH_LEAD, False)])
def test_a_preferred_track_is_seen_by_the_person_their_direct_managers_hr_and_admin(relation, sees):
    assert allows(Right.SEE_PREFERRED_TRACK, {relation}) is sees


@pytest.mark.parametrize(("relation", "edits"), [
    (Relation.SELF, True), (Relation.HR, True), (Relation.ADMIN, True), (Relation.MANAGER, False),
    (Relation.DOTTED_MANAGER, False), (Relation.MANAGER_ABOVE, False), (Relation.TECH_LEAD, False)])
def test_only_the_person_hr_and_admin_change_a_preferred_track(relation, edits):
    assert allows(Right.EDIT_PREFERRED_TRACK, {relation}) is edits


def test_only_hr_and_admin_edit_the_rest_of_a_person():
    assert [r for r in Relation if allows(Right.EDIT_PERSON, {r})] == [Relation.HR, Relation.ADMIN]


def test_no_relation_grants_nothing():
    assert not any(allows(right, set()) for right in Right)


def test_a_right_is_explained_in_words():
    assert explain(Right.SEE_PREFERRED_TRACK) == (
        "the person, their manager, their dotted-line managers, HR and admin")
