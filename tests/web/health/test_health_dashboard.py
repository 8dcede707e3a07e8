"""The health dashboard as a signed-in person sees it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import PASSWORD
from tests.web.health import org
from trellis.web.health import services

pytestmark = pytest.mark.django_db


def test_the_dashboard_needs_sign_in(client):
    assert client.get("/health/")["Location"].startswith("/accounts/login/")


def test_it_lists_findings_by_severity_linked_to_their_team_and_person(client, hannah):
    org.build()
    client.login(username="hannah", password=PASSWORD)
    response = client.get("/health/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="dual-role"' in html
    assert 'href="/org/people/bob/"' in html
    assert "Teams with a complete pair" in html
    assert '<svg class="chart"' in html


def test_today_search_has_its_tech_lead_but_eight_months_ago_it_had_none(client, hannah):
    dates = org.build()
    client.login(username="hannah", password=PASSWORD)
    now = client.get("/health/").content.decode()
    assert 'data-code="no-tech-lead"' not in now
    then = client.get(f"/health/?as_of={dates['first'] + timedelta(days=1)}").content.decode()
    assert 'data-code="no-tech-lead"' in then and 'href="/org/teams/search/"' in then


def test_a_bad_or_future_date_is_a_400_that_says_what_to_write(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    response = client.get("/health/?as_of=31-12-2026")
    assert response.status_code == 400
    assert "write it as YYYY-MM-DD" in response.content.decode()
    future = date.today() + timedelta(days=3)
    assert client.get(f"/health/?as_of={future}").status_code == 400


def test_the_timeline_shows_the_void_closing(client, charlie):
    org.build()
    client.login(username="charlie", password=PASSWORD)
    html = client.get("/health/timeline/").content.decode()
    row = html[html.index("<code>no-tech-lead</code>"):]
    row = row[:row.index("</tr>")]
    assert 'class="better">-1<' in row


def test_the_report_is_cached_until_the_organisation_changes(client, charlie, django_assert_max_num_queries):
    org.build()
    first = services.health().report
    assert services.health().report is first
    org.link("charlie", "alice")  # not a change the health depends on
    assert services.health().report is first
    org.services.apply_import(org.HEADER + org.TOP + org.ENGINEERS, "org-v3.csv", as_of=date.today())
    assert services.health().report is not first
