"""A second import while one is running is refused at once, cleanly, on the command line, the page and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.web.org.hr_export import fields
from trellis.cli import app
from trellis.web.org.models import Person, RunningImport

pytestmark = pytest.mark.django_db

EXAMPLE = "docs/examples/org.csv"


@pytest.fixture
def running(db):  # type: ignore[no-untyped-def]
    return RunningImport.objects.create(started_at=timezone.now(), source="big.csv", started_by="alice")


def test_the_command_line_refuses_with_when_the_running_import_started(runner, running):
    result = runner.invoke(app, ["org", "import", EXAMPLE])
    assert result.exit_code == 1
    assert "error: an import is running since " in result.output and "(big.csv by alice)" in result.output
    assert "Traceback" not in result.output and Person.objects.count() == 0


def test_the_upload_page_and_the_api_refuse_too(client, hannah, running):
    client.force_login(hannah)
    client.post("/org/import/", fields())
    page = client.post("/org/import/confirm/", {"token": client.session["trellis_org_import"]["token"]})
    assert page.status_code == 409 and "an import is running since" in page.content.decode()
    api = client.post("/api/org/import", fields(dry_run="false"))
    assert api.status_code == 409 and "an import is running since" in api.json()["problems"][0]["message"]


def test_a_dry_run_still_previews_while_an_import_runs(runner, running):
    assert runner.invoke(app, ["org", "import", EXAMPLE, "--dry-run"]).exit_code == 0


def test_a_marker_left_by_an_import_that_died_is_ignored_and_the_marker_is_released(runner, running):
    RunningImport.objects.update(started_at=timezone.now() - timedelta(hours=7))
    assert runner.invoke(app, ["org", "import", EXAMPLE]).exit_code == 0
    assert RunningImport.objects.count() == 0 and Person.objects.count() > 0
