"""The API's people: list with filters and paging, detail, history; preferred track only for those allowed."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.conftest import PASSWORD
from tests.web.org import org_factory as f

pytestmark = pytest.mark.django_db


def test_signing_in_is_required(client, db):
    assert client.get("/api/org/people").status_code == 401


def test_the_list_filters_by_team_and_pages(client, charlie):
    f.payments()
    client.force_login(charlie)
    body = client.get("/api/org/people", {"team": "Payments", "limit": 2, "offset": 1}).json()
    assert body["count"] == 4 and body["limit"] == 2 and body["offset"] == 1
    assert [p["id"] for p in body["items"]] == ["e6", "e3"]  # by name: Ben, Cy, Mia, Tess


def test_the_list_searches_names_and_filters_by_level_and_manager(client, charlie):
    f.payments()
    client.force_login(charlie)
    assert [p["name"] for p in client.get("/api/org/people", {"q": "arch"}).json()["items"]] == ["Ada Architect"]
    assert [p["id"] for p in client.get("/api/org/people", {"level": "lead-engineer"}).json()["items"]] == ["e4"]
    reports = client.get("/api/org/people", {"manager_id": "e3"}).json()["items"]
    assert sorted(p["id"] for p in reports) == ["e5", "e6"]


def test_people_who_left_are_listed_only_when_asked(client, charlie):
    org = f.payments()
    f.leave(org["cy"])
    client.force_login(charlie)
    assert "e6" not in [p["id"] for p in client.get("/api/org/people").json()["items"]]
    everyone = client.get("/api/org/people", {"status": "all"}).json()
    assert everyone["count"] == 6 and {"e6": False}.items() <= {p["id"]: p["active"] for p in everyone["items"]}.items()
    assert [p["id"] for p in client.get("/api/org/people", {"status": "left"}).json()["items"]] == ["e6"]


def test_a_person_in_the_list_carries_level_track_team_and_reporting_lines(client, charlie):
    f.payments()
    client.force_login(charlie)
    tess = next(p for p in client.get("/api/org/people").json()["items"] if p["id"] == "e4")
    assert tess == {"id": "e4", "name": "Tess Lead", "email": "e4@example.org", "level": "lead-engineer",
                    "level_title": "Lead Engineer", "track": "technical", "preferred_track": None,
                    "manager_id": "e2", "dotted_manager_ids": ["e3"], "team": "Payments", "active": True,
                    "reports_outside": False}


def test_the_detail_lists_roles_and_reports_both_ways(client, charlie):
    f.payments()
    client.force_login(charlie)
    mia = client.get("/api/org/people/e3").json()
    assert [(r["team"], r["role"], r["start"]) for r in mia["roles"]] == [
        ("Payments", "people_manager", "2025-01-06"), ("Search", "people_manager", "2025-06-02")]
    assert mia["direct_report_ids"] == ["e5", "e6"] and mia["dotted_report_ids"] == ["e4"]
    assert client.get("/api/org/people/nobody").status_code == 404


@pytest.mark.parametrize(("viewer", "sees"), [("tess", True), ("ada", True), ("mia", True), ("alice", True),
                                               ("hannah", True), ("charlie", False), ("dana", False)])
def test_the_preferred_track_is_null_unless_the_caller_may_see_it(client, alice, hannah, charlie, viewer, sees):
    users = {name: User.objects.create_user(name, f"{name}@example.org", PASSWORD) for name in ("tess", "ada", "mia",
                                                                                                  "dana")}
    f.payments(**users)
    client.force_login(User.objects.get(username=viewer))
    expected = "technical" if sees else None
    assert client.get("/api/org/people/e4").json()["preferred_track"] == expected
    listed = {p["id"]: p["preferred_track"] for p in client.get("/api/org/people").json()["items"]}
    assert listed["e4"] == expected


def test_the_history_hides_preferred_track_changes_from_others(client, charlie, hannah):
    f.payments()
    client.force_login(charlie)
    kinds = [c["kind"] for c in client.get("/api/org/people/e5/history").json()]
    assert kinds == ["joined", "level-changed"]
    client.force_login(hannah)
    history = client.get("/api/org/people/e5/history").json()
    assert history[-1] == {"kind": "preferred-track-changed", "effective": "2025-10-01", "person_id": "e5",
                           "team": None, "old": "undecided", "new": "management"}
