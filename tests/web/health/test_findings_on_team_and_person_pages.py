"""Each team page and person page shows its own findings (loaded with htmx after the page)."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("org_dates")]


def test_the_team_and_person_pages_ask_for_their_findings(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    assert 'hx-get="/health/findings/?team=payments"' in client.get("/org/teams/payments/").content.decode()
    assert 'hx-get="/health/findings/?person=bob"' in client.get("/org/people/bob/").content.decode()


def test_a_person_sees_the_findings_about_bob(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    html = client.get("/health/findings/?person=bob").content.decode()
    assert 'data-code="dual-role"' in html and 'data-code="peter-principle-risk"' in html


def test_a_healthy_team_says_it_has_no_findings(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    html = client.get("/health/findings/?team=search").content.decode()
    assert "No findings about this team." in html


def test_the_findings_of_a_team_cost_the_same_queries_warm_or_for_any_team(client, hannah,
                                                                       django_assert_num_queries):
    client.login(username="hannah", password=PASSWORD)
    client.get("/health/findings/?team=payments")  # computes and caches the report
    # session, user, groups, the organisation's state key, the active ladder, the latest closed review cycle
    for team in ("payments", "search", "ledger"):
        with django_assert_num_queries(6):
            assert client.get(f"/health/findings/?team={team}").status_code == 200


def test_it_needs_exactly_one_of_team_or_person(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    assert client.get("/health/findings/").status_code == 400
    assert client.get("/health/findings/?team=payments&person=bob").status_code == 400
