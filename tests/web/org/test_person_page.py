"""The person page: level and track, reporting lines both ways, roles on every team, history."""

from __future__ import annotations

import pytest

from tests.web.org import org_factory as f

pytestmark = pytest.mark.django_db


def test_it_shows_level_track_team_and_manager(client, charlie):
    f.payments()
    client.force_login(charlie)
    response = client.get("/org/people/e6/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Cy Coder" in html
    assert "Senior Software Engineer" in html and "Technical" in html
    assert 'href="/org/teams/Payments/"' in html
    assert 'href="/org/people/e3/">Mia Manager</a>' in html


def test_it_shows_dotted_lines_in_both_directions(client, charlie):
    f.payments()
    client.force_login(charlie)
    tess = client.get("/org/people/e4/").content.decode()
    facts = tess[tess.index('class="facts"'):tess.index("<h2>Roles</h2>")]
    assert "Ada Architect" in facts and "Mia Manager" in facts, "solid to Ada, dotted to Mia"
    mia = client.get("/org/people/e3/").content.decode()
    dotted_reports = mia[mia.index("<h2>Dotted-line reports</h2>"):mia.index("<h2>History</h2>")]
    assert "Tess Lead" in dotted_reports
    direct = mia[mia.index("<h2>Direct reports</h2>"):mia.index("<h2>Dotted-line reports</h2>")]
    assert "Ben Builder" in direct and "Cy Coder" in direct and "Tess Lead" not in direct


def test_it_lists_every_role_on_every_team_with_the_other_half_of_each_pair(client, charlie):
    org = f.payments()
    arch = f.person("e7", "Archie Tect", "software-architect", manager=org["ada"])
    for name in ("Alpha", "Beta", "Gamma"):
        f.role(arch, f.team(name), "tech_lead")
    f.role(org["mia"], f.Team.objects.get(name="Alpha"), "people_manager")
    client.force_login(charlie)
    html = client.get("/org/people/e7/").content.decode()
    roles = html[html.index('aria-label="Roles"'):html.index("<h2>Direct reports</h2>")]
    assert roles.count("tech lead</span>") == 3
    assert all(f'href="/org/teams/{name}/"' in roles for name in ("Alpha", "Beta", "Gamma"))
    assert "Mia Manager</a> (people manager)" in roles


def test_it_shows_when_a_role_started(client, charlie):
    f.payments()
    client.force_login(charlie)
    html = client.get("/org/people/e3/").content.decode()
    assert "2 Jun 2025" in html and "6 Jan 2025" in html


def test_it_shows_the_history_newest_first_with_level_titles(client, charlie):
    f.payments()
    client.force_login(charlie)
    html = client.get("/org/people/e5/").content.decode()
    history = html[html.index("<h2>History</h2>"):]
    assert "Software Engineer → Senior Software Engineer" in history
    assert history.index("1 Sep 2025") < history.index("6 Jan 2025")


def test_a_person_who_left_is_still_shown_and_marked(client, charlie):
    f.person("x1", "Lee Left", active=False)
    client.force_login(charlie)
    html = client.get("/org/people/x1/").content.decode()
    assert '<span class="tag left">left</span>' in html


def test_an_unknown_person_is_not_found(client, charlie):
    client.force_login(charlie)
    assert client.get("/org/people/nobody/").status_code == 404
