"""Health in the JSON API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import PASSWORD
from trellis.health.timeline import month_ends
from trellis.lib import clock

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("org_dates")]


def test_the_api_needs_a_session(client):
    assert client.get("/api/health/report").status_code == 401


def test_report_findings_and_metrics(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    report = client.get("/api/health/report").json()
    assert report["counts"]["dual-role"] == 1
    assert {"code", "severity", "team", "person", "since", "message", "action"} <= set(report["findings"][0])
    metrics = client.get("/api/health/metrics").json()
    assert metrics["headcount"] == 16 and metrics["teams"] == 3
    only = client.get("/api/health/findings?code=dual-role").json()["findings"]
    assert [f["person"] for f in only] == ["bob"]


def test_health_as_of_a_past_date(client, hannah, org_dates):
    client.login(username="hannah", password=PASSWORD)
    day = org_dates["first"] + timedelta(days=1)
    then = client.get(f"/api/health/findings?as_of={day}&code=no-tech-lead").json()
    assert [f["team"] for f in then["findings"]] == ["search"]
    assert client.get("/api/health/findings?code=no-tech-lead").json()["findings"] == []
    assert client.get("/api/health/report?as_of=2999-01-01").status_code == 400


def test_timeline_counts_search_without_a_tech_lead_only_between_the_imports(client, charlie, org_dates):
    client.login(username="charlie", password=PASSWORD)
    data = client.get("/api/health/timeline?months=12").json()
    first, second = org_dates["first"].isoformat(), org_dates["second"].isoformat()
    expected = [1 if first <= day < second else 0 for day in data["dates"]]
    assert sum(expected) >= 4
    assert data["counts"]["no-tech-lead"] == expected
    assert client.get("/api/health/timeline?months=0").status_code == 400


def test_what_if_through_the_api(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    response = client.post("/api/health/what-if", {"changes": ["give tech_lead@search diana"]},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    assert [f["code"] for f in response.json()["appeared"]] == []  # co-leads are fine
    bad = client.post("/api/health/what-if", {"changes": ["move nobody payments"]}, content_type="application/json")
    assert bad.status_code == 400
    assert "nobody" in bad.json()["problems"][0]["message"]


def test_what_if_through_the_api_takes_names_and_lists_every_problem(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    response = client.post("/api/health/what-if", {"changes": ['give "Tech Lead"@SEARCH "Diana Architecture"']},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["changes"] == ["give tech_lead@search diana"]
    assert response.json()["wording"] == ['give tech_lead@search "Diana Architecture"']
    bad = client.post("/api/health/what-if", {"changes": ["move nobody atlantis", "hire zed"]},
                      content_type="application/json")
    assert bad.status_code == 400
    assert [(p["line"], p["message"].split(":")[0]) for p in bad.json()["problems"]] == [
        (1, "unknown person 'nobody'"), (1, "unknown team 'atlantis'"), (2, "unknown change 'hire'")]


def test_the_timeline_starts_at_the_first_months_end_after_the_first_import(client, charlie, org_dates):
    client.login(username="charlie", password=PASSWORD)
    data = client.get("/api/health/timeline?months=12").json()
    first = org_dates["first"]
    asked = month_ends(clock.today(), 12)
    assert asked[0] < first, "the fixture's first import should fall inside the year"
    assert data["dates"] == [day.isoformat() for day in asked if day >= first]
    assert all(len(values) == len(data["dates"]) for values in data["counts"].values())
    assert data["counts"]["no-tech-lead"][0] == 1  # the first point is data, not an empty organisation
    # Asked for fewer months than there is history: exactly those months.
    assert len(client.get("/api/health/timeline?months=3").json()["dates"]) == 3
