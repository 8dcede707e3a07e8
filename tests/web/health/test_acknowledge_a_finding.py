"""HR, admin and the managers above a team or person acknowledge a finding; the API shows it apart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from tests.conftest import PASSWORD
from tests.web.health.org import link
from trellis.access import Right
from trellis.lib import clock
from trellis.web.health.models import Acknowledgement
from trellis.web.org.access import Viewer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("org_dates")]
BOB = {"code": "dual-role", "person": "bob", "reason": "Bob covers Ledger until its lead starts in January."}


def post(client, payload):  # type: ignore[no-untyped-def]
    return client.post("/api/health/acknowledgements", payload, content_type="application/json")


def test_hr_acknowledges_a_finding_and_it_leaves_the_counts(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    response = post(client, {**BOB, "until": (clock.today() + timedelta(days=90)).isoformat()})
    assert response.status_code == 201, response.content
    assert response.json()["by"] == "Hannah (hannah)"
    report = client.get("/api/health/report").json()
    assert report["counts"]["dual-role"] == 0
    [dual] = [f for f in report["findings"] if f["code"] == "dual-role"]
    assert dual["acknowledged"]["reason"] == BOB["reason"]
    assert all(f["acknowledged"] is None for f in report["findings"] if f["code"] != "dual-role")
    listed = client.get("/api/health/acknowledgements").json()["acknowledgements"]
    assert [(a["person"], a["status"]) for a in listed] == [("bob", "in force")]


def test_bobs_manager_may_acknowledge_but_not_bob_himself_nor_an_ordinary_user(client, charlie):
    for name in ("victor", "bob"):
        User.objects.create_user(name, password=PASSWORD)
        link(name, name)
    client.login(username="bob", password=PASSWORD)
    assert post(client, BOB).status_code == 403
    client.login(username="charlie", password=PASSWORD)
    assert post(client, BOB).status_code == 403
    client.login(username="victor", password=PASSWORD)
    assert post(client, BOB).status_code == 201
    assert Acknowledgement.objects.get().by == "victor"


def test_a_finding_that_does_not_exist_is_refused_with_what_does(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    response = post(client, {**BOB, "person": "erin"})
    assert response.status_code == 400
    assert "no dual-role finding about person erin today; dual-role findings today are about: --person bob" in \
        response.json()["problems"][0]["message"]
    past = post(client, {**BOB, "until": "2000-01-01", "reason": " "}).json()["problems"]
    assert [p["message"] for p in past] == ["say why the finding is acknowledged (a reason is required)",
                                            "2000-01-01 has passed: an acknowledgement runs until today or a "
                                            "later date"]
    assert Acknowledgement.objects.count() == 0


def test_withdrawing_opens_the_finding_again(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    ack = post(client, BOB).json()
    assert client.delete(f"/api/health/acknowledgements/{ack['id']}").status_code == 200
    assert client.get("/api/health/report").json()["counts"]["dual-role"] == 1
    assert client.get("/api/health/acknowledgements").json()["acknowledgements"] == []


def test_a_team_finding_is_for_the_managers_above_the_teams_people_manager():
    for name in ("victor", "bob", "diana"):
        User.objects.create_user(name, password=PASSWORD)
        link(name, name)

    def teams(name: str) -> set[str]:
        return Viewer.of(User.objects.get(username=name)).permitted_teams(Right.ACKNOWLEDGE,
                                                                           ["payments", "search", "ledger"])

    assert teams("victor") == {"payments", "search", "ledger"}  # above Bob and Erin
    assert teams("bob") == set()  # Payments' own manager is not above it
    assert teams("diana") == set()
