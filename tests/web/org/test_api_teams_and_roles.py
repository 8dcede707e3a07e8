"""The API's teams (with their pairs and members), roles and team history."""

from __future__ import annotations

import pytest

from tests.web.org import org_factory as f

pytestmark = pytest.mark.django_db


def test_the_teams_list_shows_each_pair(client, charlie):
    f.payments()
    client.force_login(charlie)
    teams = {t["name"]: t for t in client.get("/api/org/teams").json()}
    assert [r["person_id"] for r in teams["Payments"]["people_managers"]] == ["e3"]
    assert [r["person_id"] for r in teams["Payments"]["tech_leads"]] == ["e4"]
    assert teams["Search"]["tech_leads"] == [] and teams["Payments"]["member_count"] == 4


def test_a_team_has_its_members_with_level_and_track_but_no_preferred_track(client, charlie):
    f.payments()
    client.force_login(charlie)
    team = client.get("/api/org/teams/Payments").json()
    assert team["department"] == "Money"
    ben = next(m for m in team["members"] if m["id"] == "e5")
    assert ben == {"id": "e5", "name": "Ben Builder", "level": "senior-software-engineer",
                   "level_title": "Senior Software Engineer", "track": "technical"}
    assert client.get("/api/org/teams/Nowhere").status_code == 404


def test_roles_can_be_filtered_and_include_ended_ones_on_request(client, charlie):
    org = f.payments()
    f.role(org["ben"], org["search"], "tech_lead", start=f.date(2025, 2, 1), end=f.date(2025, 4, 1))
    client.force_login(charlie)
    held = client.get("/api/org/roles", {"team": "Search"}).json()
    assert [(r["person_id"], r["role"]) for r in held] == [("e3", "people_manager")]
    every = client.get("/api/org/roles", {"team": "Search", "current": "false"}).json()
    assert ("e5", "tech_lead", "2025-04-01") in [(r["person_id"], r["role"], r["end"]) for r in every]
    assert len(client.get("/api/org/roles", {"person_id": "e3", "role": "people_manager"}).json()) == 2


def test_a_teams_history_lists_its_changes(client, charlie):
    f.payments()
    client.force_login(charlie)
    history = client.get("/api/org/teams/Payments/history").json()
    assert history == [{"kind": "role-gained", "effective": "2025-01-06", "person_id": "e4", "team": "Payments",
                        "old": None, "new": "tech_lead@Payments", "source": None}]
