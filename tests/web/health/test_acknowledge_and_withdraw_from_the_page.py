"""A leader acknowledges a finding from the health page or a team page, and withdraws it there too."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.conftest import PASSWORD
from tests.web.health.org import link
from trellis.lib import clock
from trellis.web.health.models import Acknowledgement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("org_dates")]
BOB = {"code": "dual-role", "team": "payments", "person": "bob", "level": "",
       "reason": "Bob covers Ledger until its lead starts in January."}


def _section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    end = html.find('<section', start)
    return html[start:end if end != -1 else len(html)]


def test_hr_acknowledges_from_the_page_and_the_finding_moves_apart(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    page = client.get("/health/").content.decode()
    assert "Acknowledge as deliberate…" in page and 'action="/health/acknowledge/"' in page
    until = clock.today() + timedelta(days=90)
    response = client.post("/health/acknowledge/", {**BOB, "until": until.isoformat(), "next": "/health/?page=1"})
    assert response.status_code == 302 and response["Location"] == "/health/?page=1"
    html = client.get("/health/").content.decode()
    assert 'data-code="dual-role"' not in _section(html, "attention")
    acknowledged = _section(html, "acknowledged")
    assert "Acknowledged (1)" in acknowledged and BOB["reason"] in acknowledged
    assert f"by Hannah (hannah) on {clock.today().day} " in acknowledged
    assert f"until {until.day} {until:%b %Y}" in acknowledged
    assert "Withdraw the acknowledgement" in acknowledged


def test_hr_withdraws_it_from_the_page_and_the_finding_is_open_again(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    client.post("/health/acknowledge/", {**BOB, "next": "/health/"})
    ack = Acknowledgement.objects.get()
    html = client.get("/health/").content.decode()
    assert f'action="/health/acknowledgements/{ack.pk}/withdraw/"' in html
    response = client.post(f"/health/acknowledgements/{ack.pk}/withdraw/", {"next": "/health/#acknowledged"})
    assert response.status_code == 302 and response["Location"] == "/health/#acknowledged"
    html = client.get("/health/").content.decode()
    assert 'data-code="dual-role"' in _section(html, "attention")
    assert 'id="acknowledged"' not in html
    ack.refresh_from_db()
    assert ack.withdrawn_by == "Hannah (hannah)" and ack.withdrawn_at is not None
    assert client.get("/api/health/acknowledgements").json()["acknowledgements"] == []


def test_someone_who_may_not_acknowledge_sees_no_button_and_is_refused(client, hannah, charlie):
    client.login(username="hannah", password=PASSWORD)
    client.post("/health/acknowledge/", {**BOB, "next": "/health/"})
    ack = Acknowledgement.objects.get()
    link("charlie", "alice")  # a colleague of Bob's, not above him
    client.login(username="charlie", password=PASSWORD)
    html = client.get("/health/").content.decode()
    assert "Acknowledged (1)" in html  # the two jobs are no secret
    assert "Withdraw the acknowledgement" not in html and "Acknowledge as deliberate" not in html
    assert client.post(f"/health/acknowledgements/{ack.pk}/withdraw/", {"next": "/health/"}).status_code == 403
    assert client.post("/health/acknowledge/", {**BOB, "next": "/health/"}).status_code == 403
    ack.refresh_from_db()
    assert ack.withdrawn_at is None


def test_bobs_manager_may_withdraw_what_hr_acknowledged(client, hannah, charlie):
    client.login(username="hannah", password=PASSWORD)
    client.post("/health/acknowledge/", {**BOB, "next": "/health/"})
    ack = Acknowledgement.objects.get()
    link("charlie", "victor")
    client.login(username="charlie", password=PASSWORD)
    assert "Withdraw the acknowledgement" in client.get("/health/").content.decode()
    assert client.post(f"/health/acknowledgements/{ack.pk}/withdraw/", {"next": "/health/"}).status_code == 302


def test_bad_input_is_a_400_that_says_what_to_do_and_records_nothing(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    response = client.post("/health/acknowledge/", {**BOB, "reason": " ", "until": "next week", "next": "/health/"})
    assert response.status_code == 400
    assert "&#x27;next week&#x27; is not a date: write it as YYYY-MM-DD" in response.content.decode()
    past = client.post("/health/acknowledge/", {**BOB, "reason": "", "until": "2000-01-01"}).content.decode()
    assert "say why the finding is acknowledged (a reason is required)" in past
    assert "2000-01-01 has passed" in past
    assert not Acknowledgement.objects.exists()
    gone = client.post("/health/acknowledgements/999/withdraw/", {"next": "/health/"})
    assert gone.status_code == 400 and "no acknowledgement 999 in force" in gone.content.decode()
    assert client.get("/health/acknowledge/").status_code == 405


def test_a_form_never_sends_anyone_to_another_site(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    response = client.post("/health/acknowledge/", {**BOB, "next": "https://example.com/"})
    assert response.status_code == 302 and response["Location"] == "/health/"


def test_a_team_page_lists_its_acknowledged_findings_apart_with_the_button(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    client.post("/health/acknowledge/", {**BOB, "next": "/health/"})
    ack = Acknowledgement.objects.get()
    html = client.get("/health/findings/?team=ledger", HTTP_HX_CURRENT_URL="http://testserver/org/teams/ledger/",
                      HTTP_HX_REQUEST="true").content.decode()
    open_part, acknowledged_part = html.split("<h3>Acknowledged (1)</h3>")
    assert 'data-code="dual-role"' not in open_part and 'data-code="dual-role"' in acknowledged_part
    assert "about its tech lead" in acknowledged_part
    assert f'action="/health/acknowledgements/{ack.pk}/withdraw/"' in acknowledged_part
    assert re.search(r'name="next" value="/org/teams/ledger/"', acknowledged_part)
