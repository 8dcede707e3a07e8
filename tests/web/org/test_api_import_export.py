"""The API's import (with dry run) and export: HR and admin only, problems as a list with line and column."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.web.org.csv_files import BAD, ORG, upload
from trellis.lib import clock
from trellis.web.org import services
from trellis.web.org.models import Person

pytestmark = pytest.mark.django_db


def post(client, text: str = ORG, **fields):  # type: ignore[no-untyped-def]
    return client.post("/api/org/import", {"file": upload(text), "as_of": "2025-03-01", **fields})


def test_an_ordinary_user_may_not_import_or_export(client, charlie):
    client.force_login(charlie)
    assert post(client).status_code == 403
    assert client.get("/api/org/export.csv").status_code == 403
    assert Person.objects.count() == 0


def test_a_dry_run_is_the_default_and_writes_nothing(client, hannah):
    client.force_login(hannah)
    body = post(client).json()
    assert body["dry_run"] is True and body["applied"] is False
    assert body["counts"] == {"team-created": 2, "joined": 6, "role-gained": 4}
    assert body["first_of_kind"]["joined"].startswith("joined cto Ada Ørsted")
    assert Person.objects.count() == 0


def test_an_import_writes_when_asked(client, alice):
    client.force_login(alice)
    body = post(client, dry_run="false").json()
    assert body["applied"] is True and Person.objects.count() == 6


def test_a_bad_file_answers_400_with_every_problem_as_the_command_line_lists_them(client, hannah):
    client.force_login(hannah)
    response = post(client, BAD, dry_run="false")
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert {(p["line"], p["column"]) for p in problems} >= {(3, "email"), (4, "level"), (5, "id")}
    assert any("teem" in p["message"] for p in problems)
    assert all(p["source"] == "org.csv" for p in problems)
    with pytest.raises(services.InputError) as raised:
        services.preview_import(BAD, "org.csv", as_of=date(2025, 3, 1))
    assert [(p["line"], p["column"], p["message"]) for p in problems] == [
        (p.line, p.column, p.message) for p in raised.value.problems]
    assert Person.objects.count() == 0


def test_a_mass_leave_is_refused_with_409_unless_allowed(client, hannah):
    services.apply_import(ORG, "org.csv", as_of=date(2025, 3, 1))
    client.force_login(hannah)
    truncated = "\n".join(ORG.splitlines()[:3]) + "\n"
    refused = post(client, truncated, dry_run="false")
    assert refused.status_code == 409 and "marked as left" in refused.json()["detail"]
    assert Person.objects.filter(active=True).count() == 6
    assert post(client, truncated, dry_run="false", allow_mass_leave="true").status_code == 200
    assert Person.objects.filter(active=True).count() == 2


def test_the_export_is_the_csv_the_command_line_writes(client, hannah):
    services.apply_import(ORG, "org.csv", as_of=date(2025, 3, 1))
    client.force_login(hannah)
    response = client.get("/api/org/export.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode() == services.export_csv()


def test_the_openapi_schema_describes_the_organisation_endpoints(client, charlie):
    client.force_login(charlie)
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/org/people", "/api/org/people/{external_id}", "/api/org/teams", "/api/org/teams/{key}",
            "/api/org/roles", "/api/org/import", "/api/org/export.csv"} <= set(paths)
    assert client.get("/api/docs").status_code == 200


@pytest.mark.parametrize("dry_run", ["true", "false"])
def test_an_import_dated_after_today_answers_400_and_writes_nothing(client, hannah, dry_run):
    client.force_login(hannah)
    tomorrow = clock.today() + timedelta(days=1)
    response = post(client, dry_run=dry_run, as_of=tomorrow.isoformat())
    assert response.status_code == 400
    [problem] = response.json()["problems"]
    assert problem["source"] == "as_of" and problem["message"].startswith(f"{tomorrow.isoformat()} is after today")
    assert Person.objects.count() == 0


def test_the_services_refuse_an_import_dated_after_today_whoever_calls_them():
    tomorrow = clock.today() + timedelta(days=1)
    for action in (services.preview_import, services.apply_import):
        with pytest.raises(services.InputError) as raised:
            action(ORG, "org.csv", as_of=tomorrow)
        assert [(p.source, p.line) for p in raised.value.problems] == [("org.csv", None)]
        assert "is after today" in raised.value.problems[0].message
    assert Person.objects.count() == 0


def test_the_mass_leave_share_is_the_deployments_policy(client, hannah, settings):
    services.apply_import(ORG, "org.csv", as_of=date(2025, 3, 1))
    client.force_login(hannah)
    truncated = "\n".join(ORG.splitlines()[:3]) + "\n"
    settings.TRELLIS_MASS_LEAVE_SHARE = 0.5
    refused = post(client, truncated, dry_run="false")
    assert refused.status_code == 409
    assert "more than the policy allows (50%)" in refused.json()["problems"][0]["message"]
    settings.TRELLIS_MASS_LEAVE_SHARE = 0.75
    assert post(client, truncated, dry_run="false").status_code == 200
    assert Person.objects.filter(active=True).count() == 2


def test_an_import_is_judged_against_the_one_clock():
    """Today is the deployment's clock (trellis.lib.clock), the same for the web and the command line."""
    with clock.frozen(clock.today() + timedelta(days=1)) as web_today:
        assert services.preview_import(ORG, "org.csv", as_of=web_today).counts["joined"] == 6
        with pytest.raises(services.InputError, match="is after today"):
            services.preview_import(ORG, "org.csv", as_of=web_today + timedelta(days=1))
