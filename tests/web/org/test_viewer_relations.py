"""The database's answer to "how does this account stand to these people" matches the pure rule."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.conftest import PASSWORD
from tests.web.org import org_factory as f
from trellis.access import PERSONAL_ACTS, Relation, Right, relations_to
from trellis.web.org.access import Viewer
from trellis.web.org.models import DottedLine, Person, RoleAssignment

pytestmark = pytest.mark.django_db
NAMES = ("dana", "ada", "mia", "tess", "ben", "cy")


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    users = {name: User.objects.create_user(name, f"{name}@example.org", PASSWORD) for name in NAMES}
    return f.payments(**users)


def reference(viewer: str, person: str) -> frozenset[Relation]:
    people = {p.external_id: p for p in Person.objects.select_related("manager", "team")}
    dotted: dict[str, list[str]] = {}
    for d in DottedLine.objects.select_related("person", "manager"):
        dotted.setdefault(d.person.external_id, []).append(d.manager.external_id)
    leads: dict[int, list[str]] = {}
    for r in RoleAssignment.objects.filter(role="tech_lead", end__isnull=True).select_related("person"):
        leads.setdefault(r.team_id, []).append(r.person.external_id)
    return relations_to(viewer, person, manager_of=lambda p: people[p].manager.external_id
                        if people[p].manager else None, dotted_of=lambda p: dotted.get(p, ()),
                        tech_leads_of=lambda p: leads.get(people[p].team_id or -1, ()))


def test_every_account_stands_to_every_person_as_the_pure_rule_says(org):
    ids = [p.external_id for p in Person.objects.all()]
    for name in NAMES:
        viewer = Viewer.of(User.objects.get(username=name))
        found = viewer.relations(ids)
        assert found == {pid: reference(org[name].external_id, pid) for pid in ids}, name


def test_it_costs_the_same_queries_for_one_person_or_all(org, django_assert_num_queries):
    ids = [p.external_id for p in Person.objects.all()]
    viewer = Viewer.of(User.objects.get(username="dana"))
    with django_assert_num_queries(7):  # five for the organisation, one each for reviewers and nominated peers
        viewer.relations(ids[:1])
    with django_assert_num_queries(6):  # the viewer's own person is looked up once
        viewer.relations(ids)


def test_hr_and_admin_rights_cost_no_query(org, hannah, django_assert_num_queries):
    viewer = Viewer.of(hannah)
    with django_assert_num_queries(0):
        assert viewer.permitted(Right.EDIT_PERSON, ["e1", "e5"]) == {"e1", "e5"}


def test_a_manager_up_the_line_may_acknowledge_but_not_see_the_preference(org):
    dana = Viewer.of(User.objects.get(username="dana"))
    assert dana.may(Right.ACKNOWLEDGE, "e5") and not dana.may(Right.SEE_PREFERRED_TRACK, "e5")


def test_the_command_line_operator_holds_every_right_but_the_personal_acts():
    operator = Viewer.operator()
    assert all(operator.may(right, "anyone") for right in Right if right not in PERSONAL_ACTS)
    assert not any(operator.may(right, "anyone") for right in PERSONAL_ACTS)
