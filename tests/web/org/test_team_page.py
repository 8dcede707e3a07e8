"""The team page: the pair first, then the members, then what changed."""

from __future__ import annotations

import pytest

from tests.web.org import org_factory as f

pytestmark = pytest.mark.django_db


def test_it_shows_the_pair_first_then_the_members_with_level_and_track(client, charlie):
    org = f.payments()
    client.force_login(charlie)
    response = client.get("/org/teams/Payments/")
    assert response.status_code == 200
    html = response.content.decode()
    pair, members = html.index('aria-label="The pair"'), html.index('aria-label="Members"')
    assert pair < members
    assert html.index("Mia Manager", pair) < members and html.index("Tess Lead", pair) < members
    assert "since 6 Jan 2025" in html
    assert f"/org/people/{org['ben'].external_id}/" in html
    row = html[html.index("Cy Coder", members):]
    assert "Senior Software Engineer" in row[:300] and "Technical" in row[:300]


def test_it_says_plainly_when_a_team_has_no_tech_lead(client, charlie):
    f.payments()
    f.person("e9", "Sol Searcher", team=f.Team.objects.get(name="Search"))
    client.force_login(charlie)
    html = client.get("/org/teams/Search/").content.decode()
    assert "This team has no tech lead." in html
    assert "This team has no people manager." not in html


def test_it_says_plainly_when_a_team_has_no_people_manager(client, charlie):
    f.team("Lonely")
    client.force_login(charlie)
    html = client.get("/org/teams/Lonely/").content.decode()
    assert "This team has no people manager." in html and "This team has no tech lead." in html


def test_it_lists_co_leads_including_one_who_is_not_a_member(client, charlie):
    org = f.payments()
    co = f.person("e8", "Cole Colead", "lead-engineer", manager=org["ada"])
    f.role(co, org["payments"], "tech_lead")
    client.force_login(charlie)
    html = client.get("/org/teams/Payments/").content.decode()
    leads = html[html.index("Tech leads"):html.index('aria-label="Members"')]
    assert "Tess Lead" in leads and "Cole Colead" in leads
    assert "Cole Colead" not in html[html.index('aria-label="Members"'):html.index("<h2>History</h2>")]


def test_a_person_who_left_is_not_shown_as_a_member_or_in_the_pair(client, charlie):
    org = f.payments()
    f.leave(org["tess"])
    client.force_login(charlie)
    html = client.get("/org/teams/Payments/").content.decode()
    assert "Tess Lead" not in html[:html.index("<h2>History</h2>")]
    assert "This team has no tech lead." in html


def test_an_ended_role_is_not_part_of_the_pair(client, charlie):
    org = f.payments()
    f.RoleAssignment.objects.filter(person=org["tess"]).update(end=f.date(2025, 3, 1))
    client.force_login(charlie)
    assert "This team has no tech lead." in client.get("/org/teams/Payments/").content.decode()


def test_it_shows_the_teams_history_with_names_instead_of_ids(client, charlie):
    f.payments()
    f.event("team-changed", f.date(2025, 11, 3), person_id="e6", old="Search", new="Payments")
    client.force_login(charlie)
    html = client.get("/org/teams/Payments/").content.decode()
    history = html[html.index("<h2>History</h2>"):]
    assert "Tess Lead" in history and "tech lead of Payments" in history
    assert "Cy Coder" in history and "Search → Payments" in history
    assert history.index("3 Nov 2025") < history.index("6 Jan 2025"), "newest first"


def test_a_team_is_found_by_number_too(client, charlie):
    org = f.payments()
    client.force_login(charlie)
    response = client.get(f"/org/teams/{org['search'].pk}/")
    assert response.status_code == 200 and "<h1>Search</h1>" in response.content.decode()


def test_an_unknown_team_is_not_found(client, charlie):
    client.force_login(charlie)
    assert client.get("/org/teams/Nowhere/").status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, db):
    f.team("Payments")
    response = client.get("/org/teams/Payments/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_team_whose_name_has_a_slash_or_a_question_mark_has_a_working_link(client, charlie):
    f.team("Platform/Infra?")
    client.force_login(charlie)
    listing = client.get("/org/teams/").content.decode()
    link = listing[listing.index('href="/org/teams/Platform'):].split('"')[1]
    assert link == "/org/teams/Platform/Infra%3F/"
    assert "<h1>Platform/Infra?</h1>" in client.get(link).content.decode()
