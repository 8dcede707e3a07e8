"""Who sees a review, through the pages and the API: each rule, and 404 for everyone else."""

from __future__ import annotations

import pytest

from tests.web.growth.conftest import login
from tests.web.growth.cycle_factory import TODAY, as_user, hr, ladder_steps, participant, payments_cycle, submit_pair
from trellis.lib import clock
from trellis.web.growth import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def cycle(org):  # type: ignore[no-untyped-def]
    cycle = payments_cycle()
    services.save_self_evaluation(as_user("ben"), participant(cycle, "e5"), ratings=ladder_steps("both", "advanced")
                                  | {c: "advanced" for c in ladder_steps("tech_lead")}
                                  | {c: "advanced" for c in ladder_steps("people_manager")},
                                  evidence_text={}, evidence_ids=[], signals=[], focus={}, success="Lead the ledger",
                                  preferred_track="", submit=True)
    submit_pair(cycle)
    return cycle


def page(client, cycle) -> str:  # type: ignore[no-untyped-def]
    return client.get(f"/growth/cycles/{cycle.pk}/people/e5/").content.decode()


def api(client, cycle):  # type: ignore[no-untyped-def]
    return client.get(f"/api/growth/cycles/{cycle.pk}/people/e5")


def test_the_person_sees_their_self_evaluation_and_the_reviews_only_once_results_are_released(client, cycle):
    login(client, "ben")
    html = page(client, cycle)
    assert "Lead the ledger" in html and "Strong on the craft." not in html
    assert "shown once results are released" in html
    data = api(client, cycle).json()
    assert data["self_evaluation"]["success"] == "Lead the ledger"
    assert data["reviews"] == [] and data["readiness"] == [] and data["peer_feedback"] is None
    services.release_results(hr(), cycle)
    assert "Strong on the craft." in page(client, cycle)
    assert {r["summary"] for r in api(client, cycle).json()["reviews"]} == {"Strong on the craft.",
                                                                             "Growing others well."}


@pytest.mark.parametrize("viewer", ["mia", "tess", "alice", "hannah"])
def test_managers_the_tech_lead_hr_and_admin_see_the_reviews(client, cycle, alice, hannah, viewer):
    login(client, viewer)
    html = page(client, cycle)
    assert "Strong on the craft." in html and "Growing others well." in html and "Lead the ledger" in html
    data = api(client, cycle).json()
    assert data["self_evaluation"]["success"] == "Lead the ledger"
    assert data["readiness"][0]["level"] == "senior-software-engineer"


@pytest.mark.parametrize("viewer", ["charlie", "cy", "dana", "ada"])
def test_nobody_else_sees_anything_page_or_api(client, cycle, charlie, viewer):
    login(client, viewer)
    base = f"/growth/cycles/{cycle.pk}"
    for url in (f"{base}/people/e5/", f"{base}/self/e5/", f"{base}/review/tech_lead/e5/", f"{base}/feedback/e5/"):
        assert client.get(url).status_code == 404, url
    assert api(client, cycle).status_code == 404
    assert client.put(f"/api/growth/cycles/{cycle.pk}/self/e5", {}, content_type="application/json"
                      ).status_code == 404


def test_each_half_of_the_pair_sees_the_other_only_after_submitting_their_own(client, org):
    cycle = payments_cycle()
    pt = participant(cycle, "e5")
    services.save_review(as_user("tess"), pt, "tech_lead", ratings=ladder_steps("tech_lead"), summary="TL words",
                         submit=True)
    services.save_review(as_user("mia"), participant(cycle, "e5"), "people_manager", ratings={},
                         summary="PM draft words", submit=False)
    login(client, "mia")
    assert "TL words" not in page(client, cycle) and "shown once you submit your own half" in page(client, cycle)
    mine = {r["role"]: r for r in api(client, cycle).json()["reviews"]}
    assert mine["tech_lead"]["ratings"] is None and mine["people_manager"]["summary"] == "PM draft words"
    login(client, "tess")
    assert "PM draft words" not in page(client, cycle)
    services.save_review(as_user("mia"), participant(cycle, "e5"), "people_manager",
                         ratings=ladder_steps("people_manager"), summary="PM words", submit=True)
    login(client, "mia")
    assert "TL words" in page(client, cycle)


def test_a_reviewer_rates_only_what_the_ladder_gives_their_role(client, org):
    cycle = payments_cycle()
    login(client, "mia")
    response = client.put(f"/api/growth/cycles/{cycle.pk}/reviews/people_manager/e5",
                          {"ratings": {"craft": "advanced"}, "submit": False}, content_type="application/json")
    assert response.status_code == 400
    assert "'craft' is not rated here; rate people-growth, organisation-design" in response.json()["problems"][0][
        "message"]
    assert client.put(f"/api/growth/cycles/{cycle.pk}/reviews/tech_lead/e5", {"ratings": {}},
                      content_type="application/json").status_code == 404, "Mia is not the tech lead"


def test_a_self_evaluation_draft_survives_a_reload_and_submitting_needs_every_rating(client, org):
    cycle = payments_cycle()
    login(client, "ben")
    url = f"/growth/cycles/{cycle.pk}/self/e5/"
    client.post(url, {"rating-craft": "advanced", "focus-empower-others": "Pair with Cy weekly",
                      "success": "Own the ledger", "action": "save"})
    html = client.get(url).content.decode()
    assert '<option value="advanced" selected>' in html and "Pair with Cy weekly" in html and "Own the ledger" in html
    response = client.post(url, {"rating-craft": "advanced", "action": "submit"})
    assert response.status_code == 400 and "rate every competency before submitting" in response.content.decode()
    login(client, "mia")
    assert client.get(url).status_code == 404, "only the person writes their self-evaluation"
