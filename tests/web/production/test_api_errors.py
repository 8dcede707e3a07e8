"""Every API error answers in the documented problem shape, and the schema documents each one."""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest
from django.test import Client

from tests.web.org.csv_files import ORG, upload
from trellis.lib import clock
from trellis.web.org import services
from trellis.web.org.api import ProblemsOut

pytestmark = pytest.mark.django_db


def assert_problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "problems"} and body["detail"]
    ProblemsOut.model_validate(body)
    return body  # type: ignore[no-any-return]


def test_without_a_session_the_api_answers_401_as_a_problem(client):
    body = assert_problem(client.get("/api/org/people"), 401)
    assert "Sign in first" in body["detail"]


def test_a_missing_role_answers_403_as_a_problem(client, charlie):
    client.force_login(charlie)
    body = assert_problem(client.get("/api/org/export.csv"), 403)
    assert body["detail"] == "Only HR and admin may import or export the organisation."


def test_a_change_without_the_csrf_token_answers_403_as_a_problem(charlie):
    client = Client(enforce_csrf_checks=True)
    client.force_login(charlie)
    assert_problem(client.post("/api/health/what-if", {"changes": []}, content_type="application/json"), 403)


def test_an_unknown_person_answers_404_as_a_problem(client, charlie):
    client.force_login(charlie)
    assert_problem(client.get("/api/org/people/nobody"), 404)


def test_an_unknown_address_and_a_wrong_method_answer_as_problems(client, charlie):
    client.force_login(charlie)
    body = assert_problem(client.get("/api/no/such/thing"), 404)
    assert body["detail"] == "Not Found: GET /api/no/such/thing."
    wrong = assert_problem(client.delete("/api/org/people"), 405)
    assert wrong["detail"].startswith("Method Not Allowed")


def test_a_mass_leave_answers_409_as_a_problem(client, hannah):
    services.apply_import(ORG, "org.csv", as_of=date(2025, 3, 1))
    client.force_login(hannah)
    first_line_only = "\n".join(ORG.splitlines()[:2]) + "\n"
    body = assert_problem(client.post("/api/org/import", {"file": upload(first_line_only), "dry_run": "false"}), 409)
    assert "marked as left" in body["detail"]


def test_a_parameter_of_the_wrong_type_answers_422_naming_it(client, charlie):
    client.force_login(charlie)
    body = assert_problem(client.get("/api/org/people?limit=many"), 422)
    [problem] = body["problems"]
    assert (problem["source"], problem["column"], problem["severity"]) == ("query", "limit", "error")
    assert "integer" in problem["message"]


def test_a_date_after_today_answers_400_as_a_problem(client, charlie):
    client.force_login(charlie)
    tomorrow = clock.today() + timedelta(days=1)
    assert_problem(client.get(f"/api/health/report?as_of={tomorrow}"), 400)


def test_a_failing_operation_answers_500_as_a_problem_and_is_logged_with_its_traceback(client, charlie, caplog):
    client.force_login(charlie)
    with mock.patch("trellis.web.api.active_ladder", side_effect=RuntimeError("the ladder burnt")):
        body = assert_problem(client.get("/api/ladder"), 500)
    assert "the ladder burnt" not in body["detail"], "the answer never shows the server's internals"
    assert "RuntimeError: the ladder burnt" in caplog.text and "Traceback" in caplog.text


def test_the_schema_documents_every_error_each_operation_can_answer(client, charlie):
    client.force_login(charlie)
    schema = client.get("/api/openapi.json").json()
    problem_ref = {"$ref": "#/components/schemas/ProblemsOut"}
    documented = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            errors = {code: answer for code, answer in operation["responses"].items() if code[0] in "45"}
            assert all(a["content"]["application/json"]["schema"] == problem_ref for a in errors.values())
            documented[f"{method.upper()} {path}"] = set(errors)
    assert all("401" in codes for codes in documented.values())
    assert documented["GET /api/org/people/{external_id}"] == {"401", "404", "422"}
    assert documented["POST /api/org/import"] == {"400", "401", "403", "409", "413", "422"}
    assert documented["GET /api/org/export.csv"] == {"401", "403"}
    assert documented["GET /api/health/report"] == {"400", "401", "422"}
    assert set(schema["components"]["schemas"]["ProblemsOut"]["properties"]) == {"detail", "problems"}
