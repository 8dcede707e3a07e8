"""Each team page shows what hits the team (its own findings and those about the people who hold its
roles) and each person page their own findings, loaded with htmx after the page."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD
from tests.web.health import org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("org_dates")]


def _codes(html: str) -> list[str]:
    return re.findall(r'data-code="([^"]+)"', html)


def test_the_team_and_person_pages_ask_for_their_findings(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    assert 'hx-get="/health/findings/?team=payments"' in client.get("/org/teams/payments/").content.decode()
    assert 'hx-get="/health/findings/?person=bob"' in client.get("/org/people/bob/").content.decode()


def test_a_person_sees_the_findings_about_bob(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    html = client.get("/health/findings/?person=bob").content.decode()
    assert 'data-code="dual-role"' in html and 'data-code="peter-principle-risk"' in html


def test_a_team_whose_tech_lead_does_two_jobs_shows_that_finding(client, hannah):
    """Bob manages Payments and leads Ledger technically: his dual-role is filed under Payments,
    and it hits Ledger too, through its tech lead."""
    client.login(username="hannah", password=PASSWORD)
    html = client.get("/health/findings/?team=ledger").content.decode()
    assert "No findings" not in html
    assert _codes(html) == ["dual-role", "peter-principle-risk"]
    assert html.count("about its tech lead") == 2
    assert '<a class="subject person" href="/org/people/bob/">Bob Manager</a> <code class="id">bob</code>' in html
    assert "Two jobs at once: people manager and tech lead" in html


def test_a_team_shows_findings_about_its_people_manager_too(client, hannah):
    """Erin manages Search and Ledger: nothing about her fires, so Search is healthy; a finding filed
    under the team itself carries no note."""
    client.login(username="hannah", password=PASSWORD)
    html = client.get("/health/findings/?team=payments").content.decode()
    assert _codes(html) == ["dual-role", "peter-principle-risk"]
    assert "about its" not in html  # filed under Payments itself


def test_a_colleague_sees_the_two_jobs_on_the_team_but_not_the_preference(client, charlie):
    org.link("charlie", "alice")
    client.login(username="charlie", password=PASSWORD)
    html = client.get("/health/findings/?team=ledger").content.decode()
    assert _codes(html) == ["dual-role"]
    assert "prefers" not in html


def test_a_healthy_team_says_it_has_no_findings(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    html = client.get("/health/findings/?team=search").content.decode()
    assert "No findings about this team or the people who hold its roles." in html


def test_the_findings_of_a_team_cost_the_same_queries_warm_or_for_any_team(client, hannah,
                                                                       django_assert_num_queries):
    client.login(username="hannah", password=PASSWORD)
    client.get("/health/findings/?team=payments")  # computes and caches the report
    # session, user, groups, the organisation's state key, the active ladder, the latest closed review cycle,
    # the acknowledgements, the names of the people shown
    for team in ("payments", "search", "ledger"):
        with django_assert_num_queries(8):
            assert client.get(f"/health/findings/?team={team}").status_code == 200


def test_it_needs_exactly_one_of_team_or_person(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    assert client.get("/health/findings/").status_code == 400
    assert client.get("/health/findings/?team=payments&person=bob").status_code == 400
