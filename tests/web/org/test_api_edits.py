"""PATCH a person or a team through the API: the import's validation and error format, 403 for others."""

from __future__ import annotations

import pytest

from tests.web.org.csv_files import upload
from tests.web.org.edits import ORG, imported
from trellis.web.org.models import Person, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    imported()


def patch(client, url: str, **body):  # type: ignore[no-untyped-def]
    return client.patch(url, body, content_type="application/json")


def test_hr_changes_a_person_and_gets_the_changes_back(client, org, hannah):
    client.force_login(hannah)
    answer = patch(client, "/api/org/people/e1", reason="promoted", level="senior-software-engineer")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["applied"] and body["changes"][0]["kind"] == "level-changed"
    assert body["pending"] == [{"subject": "e1", "field": "level", "value": "senior-software-engineer"}]
    assert Person.objects.get(external_id="e1").level == "senior-software-engineer"
    history = client.get("/api/org/people/e1/history").json()
    assert history[-1]["source"].endswith(": promoted")


def test_a_dry_run_shows_the_findings_and_writes_nothing(client, org, alice):
    client.force_login(alice)
    body = patch(client, "/api/org/people/tl1", reason="x", remove_roles=["tech_lead@payments"],
                 dry_run=True).json()
    assert not body["applied"] and [f["code"] for f in body["findings_appear"]] == ["no-tech-lead"]
    assert Person.objects.get(external_id="tl1").roles.filter(end__isnull=True).count() == 1


def test_bad_fields_answer_400_in_the_import_format(client, org, alice):
    client.force_login(alice)
    answer = patch(client, "/api/org/people/e1", reason="x", level="wizard", manager_id="e1")
    assert answer.status_code == 400
    columns = sorted(p["column"] for p in answer.json()["problems"])
    assert columns == ["level", "manager_id"]


def test_an_ordinary_user_gets_403_and_nothing_changes(client, org, charlie):
    client.force_login(charlie)
    assert patch(client, "/api/org/people/e1", reason="x", level="lead-engineer").status_code == 403
    assert patch(client, "/api/org/teams/payments", reason="x", name="Pay").status_code == 403
    assert Person.objects.get(external_id="e1").level == "software-engineer"
    assert Team.objects.filter(name="payments").exists()


def test_a_person_sets_their_own_preferred_track_but_not_someone_elses(client, org, charlie):
    Person.objects.filter(external_id="e1").update(user=charlie)
    client.force_login(charlie)
    assert patch(client, "/api/org/people/e1", reason="mine", preferred_track="technical").status_code == 200
    assert patch(client, "/api/org/people/e2", reason="x", preferred_track="technical").status_code == 403


def test_the_api_needs_a_session_and_csrf_like_every_form(org, hannah):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(hannah)
    answer = strict.patch("/api/org/people/e1", {"reason": "x", "level": "lead-engineer"},
                          content_type="application/json")
    assert answer.status_code == 403
    assert Person.objects.get(external_id="e1").level == "software-engineer"


def test_an_import_that_conflicts_answers_409_listing_each_conflict(client, org, hannah):
    client.force_login(hannah)
    patch(client, "/api/org/people/e1", reason="promoted", level="senior-software-engineer")
    answer = client.post("/api/org/import", {"file": upload(ORG), "as_of": "2025-09-01", "dry_run": "false"})
    assert answer.status_code == 409
    conflict, what_to_do = answer.json()["problems"]
    assert conflict["column"] == "level" and conflict["message"].startswith(
        "e1: level is senior-software-engineer in Trellis (changed by hannah on ")
    assert conflict["message"].endswith(": promoted) but software-engineer in the file")
    assert "prefer" in answer.json()["detail"] and "--prefer-file" in what_to_do["message"]
    kept = client.post("/api/org/import", {"file": upload(ORG), "as_of": "2025-09-01", "dry_run": "false",
                                           "prefer": "trellis"})
    assert kept.status_code == 200 and kept.json()["conflicts"][0]["subject"] == "e1"


def test_hr_renames_a_team(client, org, hannah):
    client.force_login(hannah)
    answer = patch(client, "/api/org/teams/search", reason="renamed", name="Discovery", department="Find")
    assert answer.status_code == 200, answer.content
    assert Team.objects.get(name="Discovery").department == "Find"
