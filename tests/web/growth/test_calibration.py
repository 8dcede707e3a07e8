"""Calibration of a cycle, through the pages and the API: HR and admin only (404 for everyone else), views
recorded first, raters compared, adjustments with who, when and why that readiness uses, the lock, and
peers never attributed."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.web.growth.conftest import login
from tests.web.growth.cycle_factory import (
    TODAY,
    as_user,
    hr,
    ladder_steps,
    participant,
    payments_cycle,
    peers_answer,
)
from trellis.lib import clock
from trellis.web.growth import queries, services
from trellis.web.growth.models import Adjustment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.frozen(TODAY):
        yield


def review(cycle, person: str, role: str, reviewer: str, step: str) -> None:  # type: ignore[no-untyped-def]
    services.save_review(as_user(reviewer), participant(cycle, person), role, ratings=ladder_steps(role, step),
                         summary=f"{reviewer} on {person}", submit=True)


@pytest.fixture
def cycle(org):  # type: ignore[no-untyped-def]
    """Tess rates everyone she leads at the top of the scale; the managers rate what each level expects."""
    cycle = payments_cycle()
    for person in ("e3", "e5", "e6"):
        review(cycle, person, "tech_lead", "tess", "exemplary")
    review(cycle, "e5", "people_manager", "mia", "proficient")
    review(cycle, "e6", "people_manager", "mia", "proficient")
    review(cycle, "e3", "people_manager", "dana", "advanced")
    review(cycle, "e4", "people_manager", "ada", "advanced")
    peers_answer(cycle, ["cy", "dana", "ada"], craft="advanced")
    return cycle


def test_hr_sees_the_raters_with_tess_flagged_and_the_reason_in_numbers(client, cycle, hannah):
    login(client, "hannah")
    data = client.get(f"/api/growth/cycles/{cycle.pk}/calibration").json()
    leads = {r["rater"]: r for r in data["tech_leads"]}
    assert list(leads) == ["e4"] and leads["e4"]["flagged"] and leads["e4"]["people"] == 3
    assert leads["e4"]["reason"].startswith("Tess Lead rates ") and "steps above the cycle" in leads["e4"]["reason"]
    managers = {r["rater"]: r for r in data["people_managers"]}
    assert set(managers) == {"e1", "e2", "e3"}
    assert "too few people to judge" in managers["e3"]["reason"] and not managers["e3"]["flagged"]
    assert sum(leads["e4"]["counts"]) == leads["e4"]["ratings"] and leads["e4"]["counts"][-1] == leads["e4"]["ratings"]
    html = client.get(f"/growth/cycles/{cycle.pk}/calibration/").content.decode()
    assert '<tr data-rater="e4" class="flagged">' in html and '<li data-rater="e4">Tess Lead rates' in html
    assert "<svg" in html and "People managers" in html and "Tech leads" in html
    assert data["tiers"] and {row["level"] for row in data["tiers"]} >= {"senior-software-engineer"}


def test_peers_are_never_raters_and_their_comments_never_appear(client, cycle, alice):
    login(client, "alice")
    data = client.get(f"/api/growth/cycles/{cycle.pk}/calibration").json()
    raters = {r["rater"] for r in data["people_managers"] + data["tech_leads"]}
    assert "e6" not in raters, "Cy gave peer feedback only: he is no rater"
    text = str(data) + client.get(f"/growth/cycles/{cycle.pk}/calibration/").content.decode()
    assert "Comment by someone" not in text
    person = client.get(f"/api/growth/cycles/{cycle.pk}/calibration/people/e5?reveal=true").json()
    craft = next(r for r in person["competencies"] if r["competency"] == "craft")
    assert craft["peers"] == "advanced"  # three responses: shown, aggregated
    assert "author" not in str(person) and "Comment by someone" not in str(person)


def test_a_calibrator_records_their_view_before_seeing_the_pairs_ratings(client, cycle, hannah):
    login(client, "hannah")
    url = f"/growth/cycles/{cycle.pk}/calibration/people/e5/"
    before = client.get(url).content.decode()
    assert "Record where you think Ben Builder stands first" in before and "exemplary" not in before.split(
        "<tbody>")[1].split("</tbody>")[0].replace('value="exemplary"', "").replace(">Exemplary<", "")
    assert client.get(f"/api/growth/cycles/{cycle.pk}/calibration/people/e5").json()["competencies"][0][
        "tech_lead"] is None
    assert client.post(url, {"action": "views", "view-craft": "exemplary"}).status_code == 302
    after = client.get(url).content.decode()
    assert "Record where you think" not in after and "<td>exemplary</td>" in after
    data = client.get(f"/api/growth/cycles/{cycle.pk}/calibration").json()
    assert [a for a in data["agenda"] if a["person"] == "e5"] == [], "the view agrees with what counts"
    assert next(p for p in data["people"] if p["person"] == "e5")["viewed"]
    answer = client.put(f"/api/growth/cycles/{cycle.pk}/calibration/views/e5", {"views": {"craft": "expert"}},
                        content_type="application/json")
    assert answer.status_code == 200 and answer.json()["revealed"]
    agenda = client.get(f"/api/growth/cycles/{cycle.pk}/calibration").json()["agenda"]
    assert {"person": "e5", "competency": "craft", "counted": "exemplary",
            "views": [{"calibrator": "hannah", "step": "expert"}]} in agenda
    bad = client.put(f"/api/growth/cycles/{cycle.pk}/calibration/views/e5", {"views": {"craft": "great"}},
                     content_type="application/json")
    assert bad.status_code == 400 and "not a step of the scale" in bad.json()["problems"][0]["message"]


def test_an_adjustment_is_kept_with_who_when_and_why_and_readiness_uses_it(client, cycle, hannah):
    login(client, "hannah")
    url = f"/growth/cycles/{cycle.pk}/calibration/people/e5/"
    refused = client.post(url, {"action": "adjust", "competency": "craft", "step": "below", "why": "x"})
    assert refused.status_code == 400 and "adjusted only in calibration" in refused.content.decode()
    services.move_to_calibration(hr(), cycle)
    before = dict(queries.cycle_readiness(cycle))["e5"][0]
    assert before["tier"] == "ready-now"
    no_reason = client.post(url, {"action": "adjust", "competency": "craft", "step": "below", "why": " "})
    assert no_reason.status_code == 400 and "say why" in no_reason.content.decode()
    assert client.post(url, {"action": "adjust", "competency": "craft", "step": "below",
                             "why": "The incident review showed the tests were not theirs."}).status_code == 302
    made = Adjustment.objects.get()
    assert (made.competency, made.old_step, made.new_step, made.by.username) == ("craft", "exemplary", "below",
                                                                                  "hannah")
    after = dict(queries.cycle_readiness(cycle))["e5"][0]
    assert after["tier"] != "ready-now" and "craft" in after["below"] and "craft" in after["missing_must_haves"]
    data = client.get(f"/api/growth/cycles/{cycle.pk}/calibration").json()
    assert data["adjustments"][0] | {"at": None} == {
        "person": "e5", "competency": "craft", "old": "exemplary", "new": "below",
        "why": "The incident review showed the tests were not theirs.", "by": "hannah", "at": None}
    assert "The incident review showed" in client.get(f"/growth/cycles/{cycle.pk}/calibration/").content.decode()
    page = client.get(f"/growth/cycles/{cycle.pk}/people/e5/").content.decode()
    assert "(calibrated)" in page


def test_a_locked_calibration_takes_no_more_adjustments_and_closing_freezes_the_calibrated_rating(client, cycle,
                                                                                                  hannah):
    login(client, "hannah")
    services.move_to_calibration(hr(), cycle)
    answer = client.post(f"/api/growth/cycles/{cycle.pk}/calibration/adjustments/e6",
                         {"competency": "craft", "step": "developing", "why": "Agreed in the meeting."},
                         content_type="application/json")
    assert answer.status_code == 200 and answer.json()["adjustments"][0]["new"] == "developing"
    assert client.post(f"/growth/cycles/{cycle.pk}/calibration/", {"action": "lock"}).status_code == 302
    refused = client.post(f"/api/growth/cycles/{cycle.pk}/calibration/adjustments/e6",
                          {"competency": "craft", "step": "expert", "why": "Second thoughts."},
                          content_type="application/json")
    assert refused.status_code == 400 and "locked" in refused.json()["problems"][0]["message"]
    again = client.post(f"/api/growth/cycles/{cycle.pk}/calibration/lock")
    assert again.status_code == 400
    services.close_cycle(hr(), cycle)
    frozen = participant(cycle, "e6").frozen
    assert ["craft", "developing", "calibrated"] in frozen["ratings"]


@pytest.mark.parametrize("viewer", ["charlie", "ben", "mia", "tess", "dana"])
def test_everyone_but_hr_and_admin_gets_404_from_every_page_and_api_operation(client, cycle, charlie, viewer):
    login(client, viewer)
    base = f"/growth/cycles/{cycle.pk}/calibration/"
    api = f"/api/growth/cycles/{cycle.pk}/calibration"
    assert client.get(base).status_code == 404
    assert client.post(base, {"action": "lock"}).status_code == 404
    assert client.get(f"{base}people/e5/").status_code == 404
    assert client.post(f"{base}people/e5/", {"action": "views", "view-craft": "below"}).status_code == 404
    assert client.get(api).status_code == 404
    assert client.get(f"{api}/people/e5").status_code == 404
    assert client.put(f"{api}/views/e5", {"views": {}}, content_type="application/json").status_code == 404
    assert client.post(f"{api}/adjustments/e5", {"competency": "craft", "step": "below", "why": "x"},
                       content_type="application/json").status_code == 404
    assert client.post(f"{api}/lock").status_code == 404
    assert f'href="{base}"' not in client.get(f"/growth/cycles/{cycle.pk}/").content.decode()


@pytest.mark.parametrize("viewer", ["alice", "hannah"])
def test_hr_and_admin_reach_it_from_the_cycle(client, cycle, alice, hannah, viewer):
    login(client, viewer)
    cycle_page = client.get(f"/growth/cycles/{cycle.pk}/").content.decode()
    assert f'href="/growth/cycles/{cycle.pk}/calibration/"' in cycle_page
    assert client.get(f"/growth/cycles/{cycle.pk}/calibration/").status_code == 200
    assert client.get(f"/growth/cycles/{cycle.pk}/calibration/people/e5/").status_code == 200


def test_the_page_costs_the_same_queries_with_more_views_and_adjustments(client, cycle, hannah,
                                                                         django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, "hannah")
    url = f"/growth/cycles/{cycle.pk}/calibration/"
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    services.move_to_calibration(hr(), cycle)
    user = User.objects.get(username="hannah")
    for person in ("e3", "e5", "e6"):
        services.record_views(hr(), participant(cycle, person), {"craft": "expert", "delivery": "below"}, user=user)
        services.adjust(hr(), participant(cycle, person), "craft", "below", "Agreed.", user=user)
    with django_assert_num_queries(len(first)):
        client.get(url)


def test_the_page_lists_people_a_page_at_a_time_and_its_pager_keeps_the_other_lists_pages(client, cycle, hannah,
                                                                                           monkeypatch):
    from trellis.web.growth import views

    monkeypatch.setattr(views, "CALIBRATION_PER_PAGE", 1)
    login(client, "hannah")
    base = f"/growth/cycles/{cycle.pk}/calibration/"
    people = cycle.participants.count()
    assert people > 1

    def people_list(query: dict[str, str]) -> str:
        html = client.get(base, query).content.decode()
        return html.split('id="preview-h"', 1)[1].split('id="agenda-h"', 1)[0]

    first = people_list({"agenda_page": "1"})
    assert first.count(f'href="{base}people/') == 1
    assert f"page 1 of {people} (1–1 of {people})" in first
    assert 'href="?agenda_page=1&amp;people_page=2#preview-h">next</a>' in first
    last = people_list({"people_page": str(people)})
    assert f"page {people} of {people}" in last and ">next</a>" not in last
    assert f'href="?people_page={people - 1}#preview-h">previous</a>' in last
