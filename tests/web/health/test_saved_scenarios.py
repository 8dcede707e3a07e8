"""Saved what-if scenarios on the web: saved from the panel, listed, opened (run again today), edited,
deleted and compared; shared with those who may see every person they name; never changing the organisation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import PASSWORD
from tests.web.health import org
from trellis.web.health import scenarios, services
from trellis.web.health.models import Scenario
from trellis.web.org.access import Viewer
from trellis.web.org.models import HistoryEvent, OrgEdit, PendingValue, Person, RoleAssignment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("org_dates")]


def organisation() -> tuple[object, ...]:
    """Everything a scenario must never change."""
    return (sorted(Person.objects.values_list("external_id", "level", "team__name", "manager__external_id", "active")),
            sorted(RoleAssignment.objects.values_list("person__external_id", "team__name", "role", "start", "end")),
            HistoryEvent.objects.count(), OrgEdit.objects.count(), PendingValue.objects.count())


def saved(name: str, changes: str, note: str = "") -> Scenario:
    return scenarios.save(Viewer.operator(), name=name, note=note, changes=changes, by="HR (command line)")


def test_a_simulation_saved_from_the_panel_is_listed_opened_again_and_never_changes_the_organisation(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    before = organisation()
    panel = client.get("/health/what-if/", {"changes": 'move "Alice Lead" SEARCH'}).content.decode()
    assert 'action="/health/scenarios/new/"' in panel and 'name="changes" value="move &quot;Alice Lead&quot; SEARCH"' \
        in panel
    response = client.post("/health/scenarios/new/", {"name": "Alice to Search", "note": "If Search needs her more",
                                                      "changes": 'move "Alice Lead" SEARCH'})
    row = Scenario.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/health/scenarios/{row.pk}/"
    assert (row.changes, row.touches, row.by) == ("move alice search", ["alice"], "Hannah (hannah)")
    page = client.get(f"/health/scenarios/{row.pk}/").content.decode()
    assert "Run again against today's organisation" in page and "If Search needs her more" in page
    appeared = page[page.index("would appear"):page.index("would disappear")]
    assert 'data-code="no-tech-lead"' in appeared
    assert '<code>move &quot;Alice Lead&quot; search</code>' in page  # named as people write, though kept by id
    listing = client.get("/health/scenarios/").content.decode()
    assert f'href="/health/scenarios/{row.pk}/">Alice to Search</a>' in listing
    assert "1 change naming 1 person" in listing
    client.get("/health/scenarios/compare/", {"a": row.pk, "b": row.pk})
    client.get(f"/health/scenarios/{row.pk}/edit/")
    assert organisation() == before, "saving, opening and comparing a scenario must never change the organisation"


def test_saving_lists_every_problem_and_saves_nothing(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    response = client.post("/health/scenarios/new/", {"name": " ", "note": "",
                                                      "changes": "promote nobody wizard\nhire zed"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "4 problems" in html and "give the scenario a name" in html and "unknown level &#x27;wizard&#x27;" in html
    assert Scenario.objects.count() == 0


def test_one_author_cannot_have_two_scenarios_of_the_same_name(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    client.post("/health/scenarios/new/", {"name": "Split Bob", "changes": "take tech_lead@ledger bob"})
    again = client.post("/health/scenarios/new/", {"name": "split BOB", "changes": "take people_manager@payments bob"})
    assert again.status_code == 400 and "you already have a scenario called" in again.content.decode()
    assert Scenario.objects.count() == 1


def test_a_scenario_is_edited_and_deleted_and_the_organisation_stays_as_it_was(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    before = organisation()
    client.post("/health/scenarios/new/", {"name": "Split Bob", "changes": "take tech_lead@ledger bob"})
    row = Scenario.objects.get()
    form = client.get(f"/health/scenarios/{row.pk}/edit/").content.decode()
    assert "take tech_lead@ledger &quot;Bob Manager&quot;</textarea>" in form
    response = client.post(f"/health/scenarios/{row.pk}/edit/", {
        "name": "Split Bob's jobs", "note": "He prefers the craft", "changes": "take people_manager@payments bob"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.name, row.note, row.changes) == ("Split Bob's jobs", "He prefers the craft",
                                                 "take people_manager@payments bob")
    assert client.get(f"/health/scenarios/{row.pk}/delete/").status_code == 200
    assert client.post(f"/health/scenarios/{row.pk}/delete/").status_code == 302
    assert Scenario.objects.count() == 0
    assert client.get(f"/health/scenarios/{row.pk}/").status_code == 404
    assert organisation() == before


def test_a_change_that_no_longer_applies_is_left_out_and_said_so(client, hannah):
    row = saved("Engineers move", "leave p1\nmove p2 search")
    Person.objects.filter(external_id="p1").update(active=False)  # p1 left after the scenario was saved
    services.clear_cache()
    client.login(username="hannah", password=PASSWORD)
    page = client.get(f"/health/scenarios/{row.pk}/").content.decode()
    assert "1 change no longer applies to today's organisation and was left out" in page
    assert "Engineer payments 1 (p1) has left the organisation" in page
    assert "<code>move &quot;Engineer payments 2&quot; search</code>" in page


def test_someone_who_may_not_see_every_person_a_scenario_names_is_told_it_does_not_exist(client, charlie):
    from django.contrib.auth.models import User

    for name in ("cora", "erin", "victor"):
        User.objects.create_user(name, f"{name}@example.org", PASSWORD)
        org.link(name, name)
    row = saved("Alice manages s1", "manager s1 alice")  # names Alice (Diana's report) and s1 (Erin's)

    def status(user: str, path: str = f"/health/scenarios/{row.pk}/") -> int:
        client.login(username=user, password=PASSWORD)
        return client.get(path).status_code

    assert status("cora") == 200  # above everyone
    assert status("erin") == 404  # manages s1, not Alice
    assert status("victor") == 404  # above Erin and s1, not above Alice
    assert status("charlie") == 404
    for path in (f"/health/scenarios/{row.pk}/edit/", f"/health/scenarios/{row.pk}/delete/",
                 f"/health/scenarios/compare/?a={row.pk}&b={row.pk}"):
        assert status("charlie", path) == 404
    assert status("cora", f"/health/scenarios/{row.pk}/edit/") == 403  # may see, not change
    assert client.post(f"/health/scenarios/{row.pk}/delete/").status_code == 403
    client.login(username="erin", password=PASSWORD)
    assert "Alice manages s1" not in client.get("/health/scenarios/").content.decode()


def test_two_scenarios_are_compared_side_by_side(client, hannah):
    a = saved("Alice to Search", "move alice search")
    b = saved("Split Bob", "take tech_lead@ledger bob")
    client.login(username="hannah", password=PASSWORD)
    html = client.get("/health/scenarios/compare/", {"a": a.pk, "b": b.pk}).content.decode()
    assert "Both run again against today's organisation" in html
    left = html[html.index('id="side-1"'):html.index('id="side-2"')]
    right = html[html.index('id="side-2"'):]
    assert "Alice to Search" in left and 'data-code="no-tech-lead"' in left
    assert "Split Bob" in right and 'data-code="dual-role"' in right and 'data-code="no-tech-lead"' not in right
    assert 'href="/org/people/bob/">Bob Manager</a>' in right  # people by name, the id beside
    metrics = html[html.index("compare-metrics"):html.index("</table>", html.index("compare-metrics"))]
    assert "After" in metrics and "Teams with a tech lead" in metrics
    refused = client.get("/health/scenarios/compare/", {"a": a.pk})
    assert refused.status_code == 400 and "Choose two scenarios to compare." in refused.content.decode()
    assert "Split Bob" in refused.content.decode()  # the list is still there to choose from


def test_the_list_of_scenarios_costs_the_same_queries_however_many_there_are(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    saved("One", "leave p1")
    client.get("/health/scenarios/")
    with CaptureQueriesContext(connection) as one:
        client.get("/health/scenarios/")
    for i in range(5):
        saved(f"More {i}", f"leave s{i % 4 + 1}")
    with CaptureQueriesContext(connection) as six:
        client.get("/health/scenarios/")
    assert len(six) == len(one)


def test_a_scenario_and_a_comparison_cost_the_same_queries_however_many_scenarios_there_are(client):
    from django.contrib.auth.models import User

    User.objects.create_user("cora", "cora@example.org", PASSWORD)
    org.link("cora", "cora")  # above everyone: the rule is worked out for each scenario, not waved through
    client.login(username="cora", password=PASSWORD)
    a, b = saved("One", "leave p1"), saved("Two", "leave s1")
    pages = [f"/health/scenarios/{a.pk}/", f"/health/scenarios/compare/?a={a.pk}&b={b.pk}"]
    for path in pages:
        client.get(path)
    few = []
    for path in pages:
        with CaptureQueriesContext(connection) as counted:
            assert client.get(path).status_code == 200
        few.append(len(counted))
    for i in range(5):
        saved(f"More {i}", f"leave s{i % 3 + 2}\nmove p{i % 3 + 2} search")
    many = []
    for path in pages:
        with CaptureQueriesContext(connection) as counted:
            client.get(path)
        many.append(len(counted))
    assert many == few
