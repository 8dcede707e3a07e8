"""The edit forms: preview with the health effect, then save; 403 for anyone who may not edit."""

from __future__ import annotations

import pytest

from tests.web.org.edits import imported
from trellis.web.org.models import HistoryEvent, Person, Team

pytestmark = pytest.mark.django_db
FORM = {"level": "software-engineer", "manager_id": "em1", "dotted_manager_ids": "", "team": "payments",
        "preferred_track": "undecided", "status": "", "reason": "", "as_of": "", "add_role": "", "remove_role": ""}


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    imported()


def test_hr_previews_a_change_with_its_health_effect_then_saves_it(client, org, hannah):
    client.force_login(hannah)
    form = {**FORM, "manager_id": "cto", "team": "", "preferred_track": "technical", "level": "lead-engineer",
            "reason": "leads payments", "dotted_manager_ids": "em1"}
    form["add_role"] = "tech_lead@payments"
    page = client.post("/org/people/e1/edit/", {**form, "preview": "1"})
    html = page.content.decode()
    assert page.status_code == 200 and "Preview: nothing is saved yet" in html
    assert "<strong>Level</strong> · Eve: Software Engineer → Lead Engineer" in html
    assert Person.objects.get(external_id="e1").level == "software-engineer"
    saved = client.post("/org/people/e1/edit/", {**form, "confirm": "1"})
    assert saved.status_code == 302 and saved["Location"] == "/org/people/e1/?saved=1"
    assert Person.objects.get(external_id="e1").level == "lead-engineer"
    person = client.get("/org/people/e1/?saved=1").content.decode()
    assert "Saved, and recorded in the history." in person and "leads payments" in person
    assert "Pending until the HR system" in person


def test_bad_input_is_named_and_nothing_changes(client, org, alice):
    client.force_login(alice)
    page = client.post("/org/people/e1/edit/", {**FORM, "level": "wizard", "reason": "x", "confirm": "1"})
    assert page.status_code == 400 and "unknown level" in page.content.decode()
    assert not HistoryEvent.objects.filter(kind="level-changed").exists()


@pytest.mark.parametrize("url", ["/org/people/e1/edit/", "/org/teams/payments/edit/",
                                 "/org/people/e1/preferred-track/"])
def test_someone_who_may_not_edit_gets_403_and_nothing_changes(client, org, charlie, url):
    client.force_login(charlie)
    assert client.get(url).status_code == 403
    assert client.post(url, {**FORM, "name": "X", "reason": "x", "confirm": "1"}).status_code == 403
    assert Person.objects.get(external_id="e1").preferred_track == "undecided"
    assert Team.objects.filter(name="payments").exists()


def test_a_person_states_their_own_preferred_track_on_their_page(client, org, charlie):
    Person.objects.filter(external_id="e1").update(user=charlie)
    client.force_login(charlie)
    assert "State your preferred track" in client.get("/org/people/e1/").content.decode()
    assert client.post("/org/people/e1/preferred-track/", {"preferred_track": "technical"}).status_code == 302
    assert Person.objects.get(external_id="e1").preferred_track == "technical"
    assert HistoryEvent.objects.filter(kind="preferred-track-changed", person_id_ext="e1").count() == 1


def test_hr_renames_a_team_from_its_page(client, org, hannah):
    client.force_login(hannah)
    assert 'href="/org/teams/payments/edit/"' in client.get("/org/teams/payments/").content.decode()
    form = {"name": "Payments Core", "department": "Money", "reason": "new scope", "as_of": ""}
    assert "<strong>Renamed</strong> · Payments Core: payments → Payments Core" in client.post(
        "/org/teams/payments/edit/", {**form, "preview": "1"}).content.decode()
    assert client.post("/org/teams/payments/edit/", {**form, "confirm": "1"}).status_code == 302
    assert Team.objects.filter(name="Payments Core").exists()
    assert 'data-kind="team-renamed"' in client.get("/org/teams/Payments%20Core/").content.decode()
