"""What a viewer may read of the dashboard's report is worked out once per report, acknowledgements
and class of viewer (those who may read the same findings about preferred tracks): never shown to
anyone who may read less, and worked out again after any change through the one writer."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from tests.conftest import PASSWORD
from tests.web.health import org
from trellis.lib import clock
from trellis.web.health import services

pytestmark = pytest.mark.django_db


def dashboard(client) -> str:  # type: ignore[no-untyped-def]
    return client.get("/health/").content.decode()


def test_each_viewer_reads_only_what_they_may_whoever_asked_first(client, hannah, charlie):
    org.build()
    User.objects.create_user("vic", "vic@example.org", PASSWORD)
    org.link("vic", "victor")  # Bob's manager: may read Bob's preferred track
    client.login(username="hannah", password=PASSWORD)
    assert "peter-principle-risk" in dashboard(client)
    client.login(username="charlie", password=PASSWORD)
    seen = dashboard(client)
    assert "peter-principle-risk" not in seen and "prefers the technical track" not in seen
    assert "dual-role" in seen
    client.login(username="vic", password=PASSWORD)
    assert "peter-principle-risk" in dashboard(client)
    client.login(username="charlie", password=PASSWORD)
    assert "peter-principle-risk" not in dashboard(client)


def test_the_dashboard_asked_again_costs_the_same_queries(client, charlie):
    org.build()
    client.login(username="charlie", password=PASSWORD)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        dashboard(client)
    with CaptureQueriesContext(connection) as again:
        dashboard(client)
    with CaptureQueriesContext(connection) as third:
        dashboard(client)
    assert len(again) == len(third) <= len(first)


def test_an_import_shows_on_the_dashboard_at_once(client, charlie):
    org.build()
    client.login(username="charlie", password=PASSWORD)
    assert 'href="/org/teams/search/"' not in dashboard(client)
    org.services.apply_import(org.HEADER + org.TOP + org.ENGINEERS + org.SAM_WAITING, "org-v3.csv",
                              as_of=clock.today())
    html = dashboard(client)
    assert "no-tech-lead" in html and 'href="/org/teams/search/"' in html


def test_a_kept_dashboard_gives_each_request_its_own_form_token(hannah):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Group
    from django.test import Client

    from trellis.web.health.models import Acknowledgement

    org.build()
    harriet = User.objects.create_user("harriet", "harriet@example.org", PASSWORD)
    harriet.groups.add(Group.objects.get(name="hr"))
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.login(username="hannah", password=PASSWORD)
    second.login(username="harriet", password=PASSWORD)
    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', dashboard(c)) for c in (first, second)]
    assert all(tokens) and "CSRFSLOT" not in dashboard(second)
    assert not set(tokens[0]) & set(tokens[1])  # the second page was kept, not the first one's token
    response = second.post("/health/acknowledge/", {
        "csrfmiddlewaretoken": tokens[1][-1], "code": "dual-role", "team": "payments", "person": "bob",
        "level": "", "reason": "Bob covers Ledger for now.", "next": "/health/"})
    assert response.status_code == 302 and "harriet" in Acknowledgement.objects.get().by


def test_forms_to_acknowledge_follow_the_viewer_whoever_asked_first(client, hannah, charlie):
    org.build()
    for first, second in (("hannah", "charlie"), ("charlie", "hannah")):
        services.clear_cache()
        client.login(username=first, password=PASSWORD)
        dashboard(client)
        client.login(username=second, password=PASSWORD)
        assert ("Acknowledge as deliberate…" in dashboard(client)) == (second == "hannah")
