"""Saved what-if scenarios in the JSON API: the problem format for errors, 404 for one the caller may not
open, 403 for one they may open but not change, and the OpenAPI schema saying so."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from trellis.web.health.models import Scenario
from trellis.web.org.models import HistoryEvent, RoleAssignment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("org_dates")]
JSON = "application/json"


def test_a_scenario_is_saved_listed_opened_changed_compared_and_deleted(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    before = (RoleAssignment.objects.count(), HistoryEvent.objects.count())
    made = client.post("/api/health/scenarios", {"name": "Alice to Search", "note": "maybe",
                                                 "changes": ['move "Alice Lead" search']}, content_type=JSON)
    assert made.status_code == 201, made.content
    number = made.json()["id"]
    assert made.json()["changes"] == ["move alice search"] and made.json()["may_change"] is True
    assert [s["name"] for s in client.get("/api/health/scenarios").json()["scenarios"]] == ["Alice to Search"]
    opened = client.get(f"/api/health/scenarios/{number}").json()
    assert opened["run_on"] and [f["code"] for f in opened["result"]["appeared"]] == ["no-tech-lead"]
    assert opened["result"]["wording"] == ['move "Alice Lead" search'] and opened["result"]["skipped"] == []
    other = client.post("/api/health/scenarios", {"name": "Split Bob", "changes": ["take tech_lead@ledger bob"]},
                        content_type=JSON).json()["id"]
    changed = client.put(f"/api/health/scenarios/{number}", {"name": "Alice to Search, again",
                                                            "changes": ["move alice search"]}, content_type=JSON)
    assert changed.status_code == 200 and changed.json()["name"] == "Alice to Search, again"
    compared = client.get("/api/health/scenarios/compare", {"a": number, "b": other}).json()
    assert [s["name"] for s in compared["scenarios"]] == ["Alice to Search, again", "Split Bob"]
    assert client.delete(f"/api/health/scenarios/{number}").json() == {"deleted": number,
                                                                      "name": "Alice to Search, again"}
    assert Scenario.objects.count() == 1
    assert (RoleAssignment.objects.count(), HistoryEvent.objects.count()) == before


def test_bad_scenarios_answer_every_problem_in_the_problem_format(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    bad = client.post("/api/health/scenarios", {"name": "", "changes": ["promote nobody wizard"]}, content_type=JSON)
    assert bad.status_code == 400
    body = bad.json()
    assert body["detail"] == "The scenario has problems: nothing was saved."
    assert [p["message"].split(":")[0] for p in body["problems"]] == [
        "give the scenario a name", "unknown person 'nobody'", "unknown level 'wizard'"]
    assert body["problems"][0]["column"] == "name"


def test_a_scenario_the_caller_may_not_open_is_a_404_and_one_they_may_not_change_a_403(client, hannah, charlie):
    client.login(username="hannah", password=PASSWORD)
    number = client.post("/api/health/scenarios", {"name": "Split Bob", "changes": ["take tech_lead@ledger bob"]},
                         content_type=JSON).json()["id"]
    client.login(username="charlie", password=PASSWORD)
    for response in (client.get(f"/api/health/scenarios/{number}"),
                     client.get("/api/health/scenarios/compare", {"a": number, "b": number}),
                     client.put(f"/api/health/scenarios/{number}", {"name": "x", "changes": ["leave bob"]},
                                content_type=JSON),
                     client.delete(f"/api/health/scenarios/{number}")):
        assert response.status_code == 404 and set(response.json()) == {"detail", "problems"}
    assert client.get("/api/health/scenarios").json() == {"scenarios": []}
    from django.contrib.auth.models import User

    from tests.web.health import org

    User.objects.create_user("victor", "victor@example.org", PASSWORD)
    org.link("victor", "victor")  # Bob's manager: may open it, not change it
    client.login(username="victor", password=PASSWORD)
    assert client.get(f"/api/health/scenarios/{number}").status_code == 200
    refused = client.delete(f"/api/health/scenarios/{number}")
    assert refused.status_code == 403 and "author, HR and admin" in refused.json()["detail"]


def test_the_schema_documents_each_scenario_operations_answers(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"400", "401", "403", "422"} <= set(paths["/api/health/scenarios"]["post"]["responses"])
    assert {"401", "404", "422"} <= set(paths["/api/health/scenarios/compare"]["get"]["responses"])
    one = paths["/api/health/scenarios/{number}"]
    assert {"200", "404"} <= set(one["get"]["responses"])
    assert {"400", "403", "404", "422"} <= set(one["put"]["responses"])
    assert {"403", "404"} <= set(one["delete"]["responses"])
    assert one["get"]["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ProblemsOut"}
