"""Who sees and does what with a proposal, through the pages and the API alike.

Mia manages Payments and proposes Tess (its tech lead, who prefers the technical track) as an
engineering manager; Ada is named reviewer. Dana manages Mia but takes no part; Charlie is linked
to nobody; Hannah is HR; Alice is admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from trellis.promotions.rules import Handover
from trellis.web.org.access import Viewer
from trellis.web.promotions import services
from trellis.web.promotions.models import Proposal

pytestmark = pytest.mark.django_db


def as_user(client, name: str):  # type: ignore[no-untyped-def]
    client.force_login(User.objects.get(username=name))
    return client


def viewer(name: str) -> Viewer:
    return Viewer.of(User.objects.get(username=name))


@pytest.fixture
def draft(org) -> Proposal:  # type: ignore[no-untyped-def]
    """Ben (e5, prefers management) proposed by Mia for Lead Engineer: a draft the guard does not hold."""
    return services.propose("e5", "lead-engineer", viewer=viewer("mia"), rationale="Leads the design work",
                            reviewers=["e2"])


@pytest.fixture
def guarded(org) -> Proposal:  # type: ignore[no-untyped-def]
    return services.propose("e4", "engineering-manager", viewer=viewer("mia"), rationale="Runs the team already",
                            handovers=[Handover("people_manager", "Payments", "e4"),
                                       Handover("tech_lead", "Payments", "e5")])


def status(client, name: str, url: str) -> int:  # type: ignore[no-untyped-def]
    return as_user(client, name).get(url).status_code


PAGES = ["/promotions/{id}/", "/promotions/{id}/packet/", "/api/promotions/{id}"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("name", ["mia", "ada", "alice", "hannah"])
def test_the_proposer_the_reviewers_hr_and_admin_see_a_draft(client, draft, alice, hannah, name, page):
    assert status(client, name, page.format(id=draft.pk)) == 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("name", ["ben", "dana", "tess", "cy", "charlie"])
def test_anyone_else_gets_404_for_a_draft_even_the_person_and_the_managers_manager(client, draft, charlie, name,
                                                                                   page):
    assert status(client, name, page.format(id=draft.pk)) == 404


def test_a_proposal_that_does_not_exist_answers_the_same_404(client, org):
    assert status(client, "mia", "/promotions/999/") == 404
    assert status(client, "mia", "/api/promotions/999") == 404


@pytest.mark.parametrize("page", PAGES)
def test_the_person_sees_their_proposal_once_submitted(client, draft, page):
    services.submit(draft.pk, viewer=viewer("mia"))
    assert status(client, "ben", page.format(id=draft.pk)) == 200
    assert status(client, "dana", page.format(id=draft.pk)) == 404


def test_the_person_sees_a_draft_that_waits_for_their_consent(client, guarded):
    html = as_user(client, "tess").get(f"/promotions/{guarded.pk}/").content.decode()
    assert "Yes, I want this move" in html


def test_the_list_shows_each_viewer_only_the_proposals_they_take_part_in(client, draft, guarded, alice, charlie):
    def ids(name: str) -> set[int]:
        return {row["id"] for row in as_user(client, name).get("/api/promotions/").json()}

    assert ids("mia") == {draft.pk, guarded.pk} == ids("alice")
    assert ids("ada") == {draft.pk}
    assert ids("tess") == {guarded.pk}
    assert ids("ben") == set() == ids("charlie") == ids("dana")
    assert "Ben Builder" not in as_user(client, "dana").get("/promotions/").content.decode()


def test_the_person_sees_the_decision_but_not_the_committees_comments(client, draft, hannah):
    services.submit(draft.pk, viewer=viewer("mia"))
    services.comment(draft.pk, viewer=viewer("ada"), text="Strong design record", vote="approve")
    assert as_user(client, "ben").get(f"/api/promotions/{draft.pk}").json()["comments"] is None
    assert as_user(client, "mia").get(f"/api/promotions/{draft.pk}").json()["votes"] == {"approve": 1, "decline": 0}
    assert "Strong design record" in as_user(client, "hannah").get(f"/promotions/{draft.pk}/").content.decode()
    assert "Strong design record" not in as_user(client, "ben").get(f"/promotions/{draft.pk}/").content.decode()


@pytest.mark.parametrize("name", ["mia", "hannah", "alice"])
def test_nobody_but_the_person_may_consent_for_them(client, guarded, hannah, alice, name):
    assert as_user(client, name).post(f"/promotions/{guarded.pk}/consent/").status_code == 403
    assert as_user(client, name).post(f"/api/promotions/{guarded.pk}/consent").status_code == 403
    assert Proposal.objects.get(pk=guarded.pk).consented_at is None


def test_someone_who_may_not_see_a_proposal_gets_404_for_every_step(client, guarded, charlie):
    for step in ("consent", "submit", "withdraw", "decide", "comment"):
        assert as_user(client, "dana").post(f"/promotions/{guarded.pk}/{step}/").status_code == 404
    assert as_user(client, "charlie").post(f"/api/promotions/{guarded.pk}/submit").status_code == 404


def test_a_reviewer_comments_and_votes_but_only_hr_and_admin_decide(client, draft, hannah):
    services.submit(draft.pk, viewer=viewer("mia"))
    ada = as_user(client, "ada")
    assert ada.post(f"/api/promotions/{draft.pk}/comments", {"text": "Yes", "vote": "approve"},
                    content_type="application/json").status_code == 200
    assert Proposal.objects.get(pk=draft.pk).state == "in-review"
    decision = {"decision": "decline", "reason": "Not yet"}
    assert ada.post(f"/api/promotions/{draft.pk}/decision", decision, content_type="application/json")\
        .status_code == 403
    assert as_user(client, "mia").post(f"/promotions/{draft.pk}/decide/", decision).status_code == 403
    assert as_user(client, "hannah").post(f"/promotions/{draft.pk}/decide/", decision).status_code == 302
    assert Proposal.objects.get(pk=draft.pk).state == "declined"


def test_only_the_proposer_hr_and_admin_submit_or_withdraw(client, draft, hannah):
    assert as_user(client, "ada").post(f"/api/promotions/{draft.pk}/submit").status_code == 403
    assert as_user(client, "ada").post(f"/promotions/{draft.pk}/withdraw/").status_code == 403
    assert as_user(client, "mia").post(f"/promotions/{draft.pk}/submit/").status_code == 302
    assert as_user(client, "hannah").post(f"/api/promotions/{draft.pk}/withdraw", {"reason": "Restructure"},
                                          content_type="application/json").json()["state"] == "withdrawn"


def new_proposal(client, name: str, person: str, level: str) -> Any:  # type: ignore[no-untyped-def]
    return as_user(client, name).post("/api/promotions/", {"person": person, "level": level, "rationale": "Ready"},
                                      content_type="application/json")


@pytest.mark.parametrize(("name", "person"), [("ben", "e5"), ("mia", "e5"), ("tess", "e5"), ("ada", "e4"),
                                              ("mia", "e4")])
def test_the_person_a_manager_who_works_with_them_or_their_tech_lead_may_propose(client, org, name, person):
    level = "lead-engineer" if person == "e5" else "software-architect"
    response = new_proposal(client, name, person, level)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "draft"


@pytest.mark.parametrize("name", ["cy", "dana", "hannah", "alice", "charlie"])
def test_a_colleague_the_managers_manager_and_staff_not_linked_to_the_person_may_not(client, org, hannah, alice,
                                                                                     charlie, name):
    assert new_proposal(client, name, "e5", "lead-engineer").status_code == 403
    assert as_user(client, name).post("/promotions/new/", {"person": "e5", "level": "lead-engineer",
                                                           "rationale": "Ready"}).status_code == 400
    assert not Proposal.objects.exists()


def test_the_reports_are_for_hr_and_admin_only(client, org, hannah, charlie):
    assert status(client, "hannah", "/promotions/reports/") == 200
    assert as_user(client, "hannah").get("/api/promotions/reports").status_code == 200
    assert status(client, "charlie", "/promotions/reports/") == 403
    assert status(client, "mia", "/api/promotions/reports") == 403


def test_a_person_records_their_own_group_and_nobody_else_can(client, org, hannah):
    response = as_user(client, "ben").put("/api/promotions/my-group", {"group": "Group A"},
                                          content_type="application/json")
    assert response.json() == {"group": "Group A"}
    assert as_user(client, "hannah").put("/api/promotions/my-group", {"group": "X"},
                                         content_type="application/json").status_code == 403
    assert as_user(client, "tess").post("/promotions/my-group/", {"group": "Group B"}).status_code == 302
    from trellis.web.promotions.models import GroupRecord

    assert dict(GroupRecord.objects.values_list("person__external_id", "group")) == {"e5": "Group A", "e4": "Group B"}


def test_the_person_page_shows_an_approved_move_as_planned_to_those_who_may_see_it(client, draft, hannah):
    from datetime import timedelta

    from trellis.lib import clock

    services.submit(draft.pk, viewer=viewer("mia"))
    services.decide(draft.pk, True, viewer=Viewer.operator(), reason="Ready",
                    effective=clock.today() + timedelta(days=10))
    assert "Lead Engineer</strong> from" in as_user(client, "ben").get("/promotions/planned/e5/").content.decode()
    assert "proposal" not in as_user(client, "dana").get("/promotions/planned/e5/").content.decode()
    assert 'hx-get="/promotions/planned/e5/"' in as_user(client, "dana").get("/org/people/e5/").content.decode()


def test_the_planned_moves_of_a_person_whose_id_has_slashes_answer(client, org):
    from django.urls import reverse

    path = reverse("promotions-planned", args=["HR/2019/104"])
    assert path == "/promotions/planned/HR/2019/104/"
    assert as_user(client, "mia").get(path).status_code == 200
