"""The what-if panel: findings that would appear and disappear, metrics before and after; nothing written."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from trellis.web.org.models import HistoryEvent, Person, RoleAssignment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("org_dates")]


def test_making_alice_manager_of_her_own_team_shows_the_two_jobs_trap(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    before = (Person.objects.get(external_id="alice").level, RoleAssignment.objects.count(),
              HistoryEvent.objects.count())
    response = client.post("/health/what-if/", {
        "changes": "promote alice engineering-manager\ngive people_manager@payments alice"})
    html = response.content.decode()
    assert response.status_code == 200
    appeared = html[html.index("would appear"):html.index("would disappear")]
    assert 'data-code="dual-role"' in appeared and 'data-code="peter-principle-risk"' in appeared
    assert 'href="/org/people/alice/">Alice Lead</a>' in appeared
    assert "Metrics before and after" in html
    after = (Person.objects.get(external_id="alice").level, RoleAssignment.objects.count(),
             HistoryEvent.objects.count())
    assert after == before, "a simulation must never write"


def test_moving_alice_out_leaves_payments_without_a_tech_lead(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    html = client.post("/health/what-if/", {"changes": "move alice search"}).content.decode()
    appeared = html[html.index("would appear"):html.index("would disappear")]
    assert 'data-code="no-tech-lead"' in appeared and 'href="/org/teams/payments/"' in appeared


def test_unknown_people_teams_and_levels_are_a_400_listing_each(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    response = client.post("/health/what-if/", {
        "changes": "promote zed engineering-manager\nmove alice atlantis\npromote alice wizard"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "zed" in html and "atlantis" in html and "wizard" in html
    assert "3 problems" in html


def test_an_empty_form_says_what_to_write(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    response = client.post("/health/what-if/", {"changes": "  "})
    assert response.status_code == 400
    assert "one change per line" in response.content.decode()


def test_changes_in_the_address_run_the_simulation_so_a_link_shares_it(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    response = client.get("/health/what-if/", {"changes": 'move "Alice Lead" SEARCH'})
    html = response.content.decode()
    assert response.status_code == 200
    appeared = html[html.index("would appear"):html.index("would disappear")]
    assert 'data-code="no-tech-lead"' in appeared
    assert '<code>move &quot;Alice Lead&quot; search</code>' in html
    assert 'href="/health/what-if/?changes=move+%22Alice+Lead%22+SEARCH"' in html


def test_an_address_without_changes_only_shows_the_form_and_an_example_that_applies(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    html = client.get("/health/what-if/").content.decode()
    assert "would appear" not in html and "problem" not in html
    assert ("For example, <a href=\"?changes=promote%20%22Alice%20Lead%22%20%22Engineering%20Manager%22%0Agive"
            "%20people_manager%40payments%20%22Alice%20Lead%22\"") in html


def test_a_name_two_people_share_is_refused_listing_both(client, charlie):
    Person.objects.filter(external_id="p1").update(name="Sam Lead")
    client.login(username="charlie", password=PASSWORD)
    response = client.get("/health/what-if/", {"changes": 'leave "sam lead"\npromote nobody wizard'})
    html = response.content.decode()
    assert response.status_code == 400
    assert "3 problems" in html
    assert "could be any of 2 people: Sam Lead (p1, payments); Sam Lead (sam, search)" in html

