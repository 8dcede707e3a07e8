"""The list of teams with their pairs, and the people search."""

from __future__ import annotations

import pytest

from tests.web.org import org_factory as f

pytestmark = pytest.mark.django_db


def test_the_teams_list_shows_each_pair_and_the_number_of_members(client, charlie):
    f.payments()
    client.force_login(charlie)
    html = client.get("/org/teams/").content.decode()
    row = html[html.index('href="/org/teams/Payments/"'):html.index('href="/org/teams/Search/"')]
    assert "Mia Manager" in row and "Tess Lead" in row and "<td>4</td>" in row


def test_teams_can_be_filtered_by_name_or_department(client, charlie):
    f.payments()
    client.force_login(charlie)
    html = client.get("/org/teams/", {"q": "discov"}).content.decode()
    assert 'href="/org/teams/Search/"' in html and 'href="/org/teams/Payments/"' not in html


def test_people_are_found_by_part_of_the_name_or_by_id(client, charlie):
    f.payments()
    client.force_login(charlie)
    html = client.get("/org/people/", {"q": "ARCH"}).content.decode()
    assert "Ada Architect" in html and "Ben Builder" not in html
    html = client.get("/org/people/", {"q": "e5"}).content.decode()
    assert "Ben Builder" in html and "Ada Architect" not in html


def test_the_people_list_pages_through_a_large_organisation(client, charlie):
    f.Person.objects.bulk_create([f.Person(external_id=f"p{i:03}", name=f"Person {i:03}", level="software-engineer")
                                  for i in range(120)])
    client.force_login(charlie)
    html = client.get("/org/people/", {"page": 3}).content.decode()
    assert "page 3 of 3" in html and "Person 119" in html and "Person 000" not in html


def test_the_teams_list_says_which_half_of_a_pair_is_missing(client, charlie):
    f.payments()
    client.force_login(charlie)
    html = client.get("/org/teams/").content.decode()
    search = html[html.index('href="/org/teams/Search/"'):html.index("</tr>", html.index('href="/org/teams/Search/"'))]
    assert "Mia Manager" in search and '<p class="missing">none</p>' in search


def test_the_teams_list_counts_only_active_members_and_costs_the_same_queries_for_any_page(
        client, charlie, django_assert_num_queries):
    f.payments()
    empty = f.team("Empty")
    f.person("gone", "Gus Gone", team=empty).__class__.objects.filter(external_id="gone").update(active=False)
    for i in range(60):
        f.team(f"Extra {i:02}")
    client.force_login(charlie)
    html = client.get("/org/teams/").content.decode()
    row = html[html.index('href="/org/teams/Empty/"'):]
    assert "<td>0</td>" in row[:row.index("</tr>")]  # a team whose only member left counts none
    # session, user, groups, the number of teams, the page of teams with their members, their roles
    for page in (1, 2):
        with django_assert_num_queries(6):
            assert client.get("/org/teams/", {"page": page}).status_code == 200
