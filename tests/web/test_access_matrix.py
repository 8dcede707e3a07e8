"""Every page and API operation that shows a person, for every relation to that person: what is
visible and what is hidden (the preferred track, findings that exist only because of it), and who
may change what. One rule (trellis.access) answers all of them; this matrix proves each one asks it.

The subject is Tess (e4): tech lead of Payments and now also people manager of Search, who prefers
the technical track (so health raises peter-principle-risk about her). Her solid-line manager is
Ada, her dotted-line manager Mia, Ada's manager Dana is above her, Lee is a second tech lead of
Payments (Tess's tech lead), Cy is a colleague with no relation.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.conftest import PASSWORD
from tests.web.org import org_factory as f

pytestmark = pytest.mark.django_db

# viewer -> relation to Tess
RELATIONS = {"tess": "self", "ada": "manager", "mia": "dotted-manager", "dana": "manager-above",
             "lee": "tech-lead", "cy": "nobody", "hannah": "hr", "alice": "admin"}
SEE_PREFERENCE = {"tess", "ada", "mia", "hannah", "alice"}
EDIT = {"hannah", "alice"}
STATE_TRACK = {"tess", "hannah", "alice"}


@pytest.fixture
def org(db, alice, hannah):  # type: ignore[no-untyped-def]
    users = {name: User.objects.create_user(name, f"{name}@example.org", PASSWORD)
             for name in ("tess", "ada", "mia", "dana", "lee", "cy")}
    people = f.payments(**users)
    lee = f.person("e7", "Lee Second", "lead-engineer", team=people["payments"], manager=people["ada"],
                   user=users["lee"])
    f.role(lee, people["payments"], "tech_lead")
    f.role(people["tess"], people["search"], "people_manager")
    f.event("preferred-track-changed", person_id="e4", old="undecided", new="technical")
    return people


def as_viewer(client, name: str):  # type: ignore[no-untyped-def]
    client.force_login(User.objects.get(username=name))
    return client


@pytest.mark.parametrize("viewer", RELATIONS)
def test_the_person_page_shows_the_preference_and_its_history_only_to_those_who_may_see_it(client, org, viewer):
    html = as_viewer(client, viewer).get("/org/people/e4/").content.decode()
    sees = viewer in SEE_PREFERENCE
    assert ('<dd class="preferred-track">Technical' in html) is sees, RELATIONS[viewer]
    assert ('data-kind="preferred-track-changed"' in html) is sees, RELATIONS[viewer]


@pytest.mark.parametrize("viewer", RELATIONS)
def test_the_api_person_people_list_and_history_follow_the_same_rule(client, org, viewer):
    c = as_viewer(client, viewer)
    sees = viewer in SEE_PREFERENCE
    assert (c.get("/api/org/people/e4").json()["preferred_track"] == "technical") is sees
    listed = {p["id"]: p["preferred_track"] for p in c.get("/api/org/people").json()["items"]}
    assert (listed["e4"] == "technical") is sees and (listed["e4"] is None) is not sees
    kinds = [h["kind"] for h in c.get("/api/org/people/e4/history").json()]
    assert ("preferred-track-changed" in kinds) is sees


@pytest.mark.parametrize("viewer", RELATIONS)
def test_findings_that_exist_because_of_the_preference_follow_the_same_rule(client, org, viewer):
    c = as_viewer(client, viewer)
    sees = viewer in SEE_PREFERENCE
    fragment = c.get("/health/findings/", {"person": "e4"}).content.decode()
    assert ("peter-principle-risk" in fragment) is sees, RELATIONS[viewer]
    codes = [x["code"] for x in c.get("/api/health/findings", {"person": "e4"}).json()["findings"]]
    assert ("peter-principle-risk" in codes) is sees, RELATIONS[viewer]
    assert "dual-role" in codes  # two jobs is shown to everyone, worded without the preference
    dashboard = c.get("/health/").content.decode()
    assert ("prefers the technical track" in dashboard) is sees, RELATIONS[viewer]


@pytest.mark.parametrize("viewer", RELATIONS)
def test_only_hr_and_admin_export_or_edit_and_only_the_person_hr_and_admin_state_the_track(client, org, viewer):
    c = as_viewer(client, viewer)
    edits = viewer in EDIT
    assert (c.get("/org/export.csv").status_code == 200) is edits
    assert (c.get("/api/org/export.csv").status_code == 200) is edits
    assert (c.get("/org/people/e4/edit/").status_code == 200) is edits
    assert (c.get("/org/teams/Payments/edit/").status_code == 200) is edits
    level = c.patch("/api/org/people/e4", {"reason": "x", "level": "software-architect", "dry_run": True},
                    content_type="application/json")
    assert level.status_code == (200 if edits else 403)
    states = viewer in STATE_TRACK
    assert (c.get("/org/people/e4/preferred-track/").status_code == 200) is states
    track = c.patch("/api/org/people/e4", {"reason": "x", "preferred_track": "management", "dry_run": True},
                    content_type="application/json")
    assert track.status_code == (200 if states else 403)


# A saved what-if about Tess: her managers (solid, dotted, above), HR and admin; not Tess, her tech lead or Cy.
SEE_SCENARIO = {"ada", "mia", "dana", "hannah", "alice"}


@pytest.mark.parametrize("viewer", RELATIONS)
def test_a_saved_scenario_about_the_person_is_seen_by_those_above_her_and_its_findings_follow_the_rule(
        client, org, viewer):
    from trellis.web.health import scenarios
    from trellis.web.org.access import Viewer

    row = scenarios.save(Viewer.operator(), name="Split Tess's jobs", note="", by="HR",
                         changes="take people_manager@Search e4")
    c = as_viewer(client, viewer)
    sees = viewer in SEE_SCENARIO
    page = c.get(f"/health/scenarios/{row.pk}/")
    api = c.get(f"/api/health/scenarios/{row.pk}")
    assert page.status_code == api.status_code == (200 if sees else 404), RELATIONS[viewer]
    assert (row.pk in [s["id"] for s in c.get("/api/health/scenarios").json()["scenarios"]]) is sees
    if sees:
        prefers = viewer in SEE_PREFERENCE
        assert ('data-code="peter-principle-risk"' in page.content.decode()) is prefers, RELATIONS[viewer]
        codes = [f["code"] for f in api.json()["result"]["disappeared"]]
        assert ("peter-principle-risk" in codes) is prefers, RELATIONS[viewer]
        assert "dual-role" in codes
