"""Evidence logged all year: who records it, who sees it (web and API), and what is refused."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web.growth.conftest import login
from trellis.lib import clock
from trellis.web.growth.models import Evidence

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.frozen(TODAY):
        yield


def record(client, person="e5", **fields):  # type: ignore[no-untyped-def]
    data = {"kind": "mentoring", "date": "2026-02-20", "title": "Mentored Cy on the payment retries",
            "link": "https://wiki.example.org/retries", "notes": "weekly", "competencies": ["empower-others"],
            "signals": ["team-keeps-learning"], **fields}
    return client.post(f"/growth/people/{person}/evidence/", data)


@pytest.mark.parametrize("recorder", ["ben", "mia", "tess"])
def test_the_person_their_manager_and_their_tech_lead_record_evidence(client, org, recorder):
    response = record(login(client, recorder))
    assert response.status_code == 302
    stored = Evidence.objects.get()
    assert (stored.person.external_id, stored.kind, stored.competencies, stored.signals) == (
        "e5", "mentoring", ["empower-others"], ["team-keeps-learning"])
    assert stored.recorded_by.username == recorder
    page = client.get("/growth/people/e5/evidence/").content.decode()
    assert "Mentored Cy on the payment retries" in page and "Empower Others" in page


@pytest.mark.parametrize("viewer", ["ben", "mia", "tess", "alice", "hannah"])
def test_the_person_managers_tech_lead_hr_and_admin_see_it(client, org, alice, hannah, viewer):
    record(login(client, "ben"))
    login(client, viewer)
    assert "Mentored Cy" in client.get("/growth/people/e5/evidence/").content.decode()
    assert client.get("/api/growth/people/e5/evidence").json()[0]["title"] == "Mentored Cy on the payment retries"


@pytest.mark.parametrize("viewer", ["charlie", "cy", "dana", "ada"])
def test_anyone_else_gets_not_found_on_the_page_and_the_api(client, org, charlie, viewer):
    record(login(client, "ben"))
    login(client, viewer)
    assert client.get("/growth/people/e5/evidence/").status_code == 404
    assert client.get("/api/growth/people/e5/evidence").status_code == 404
    assert client.get("/growth/people/e5/").status_code == 404
    assert record(client).status_code == 404
    assert client.post("/api/growth/people/e5/evidence", {"kind": "other", "date": "2026-01-01", "title": "x"},
                       content_type="application/json").status_code == 404
    assert Evidence.objects.count() == 1


def test_a_dotted_line_manager_sees_evidence_but_does_not_record_it(client, org):
    login(client, "mia")  # Tess's dotted-line manager
    assert record(client, person="e4").status_code == 403
    page = client.get("/growth/people/e4/evidence/").content.decode()
    assert "No evidence yet." in page and "Record evidence" not in page
    assert Evidence.objects.count() == 0


def test_evidence_dated_after_today_and_unknown_competencies_are_refused_with_the_reason(client, org):
    login(client, "ben")
    response = record(client, date="2026-03-03", link="ftp:nope")
    assert response.status_code == 400
    page = response.content.decode()
    assert "2026-03-03 is after today (2026-03-02)" in page and "is not a web address" in page
    api = client.post("/api/growth/people/e5/evidence", {"kind": "teaching", "date": "2026-01-01", "title": "x",
                                                         "competencies": ["empathy"]},
                      content_type="application/json")
    assert api.status_code == 400
    assert [p["column"] for p in api.json()["problems"]] == ["kind", "competencies"]
    assert Evidence.objects.count() == 0


def test_the_api_records_evidence(client, org):
    login(client, "tess")
    response = client.post("/api/growth/people/e5/evidence", {
        "kind": "code-review", "date": "2026-02-01", "title": "Reviewed the ledger rewrite",
        "competencies": ["craft"]}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["recorded_by"] == "tess" and response.json()["person_id"] == "e5"


def test_whoever_may_record_may_remove_and_others_cannot(client, org, charlie):
    record(login(client, "ben"))
    stored = Evidence.objects.get()
    login(client, "charlie")
    assert client.post(f"/growth/people/e5/evidence/{stored.pk}/delete/").status_code == 404
    login(client, "mia")
    assert client.post(f"/growth/people/e5/evidence/{stored.pk}/delete/").status_code == 302
    assert Evidence.objects.count() == 0
