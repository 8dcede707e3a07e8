"""``trellis health acknowledge`` and ``trellis health acknowledgements`` as an operator runs them."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import FIXTURES
from trellis.cli import app
from trellis.lib import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(monkeypatch):  # type: ignore[no-untyped-def]
    from trellis.cli import health as command
    from trellis.web.org import services

    monkeypatch.setattr(command, "database_is_ready", lambda: True)
    services.apply_import((FIXTURES / "health" / "org.csv").read_bytes(), "org.csv", as_of=date(2026, 1, 1))
    with clock.frozen(date(2026, 6, 30)):
        yield


def test_an_operator_acknowledges_a_finding_until_a_date(runner, organisation):
    result = runner.invoke(app, ["health", "acknowledge", "dual-role", "--person", "bob", "--reason",
                                 "Bob leads Payments until Alice returns.", "--until", "2026-09-30", "--by", "Hannah"])
    assert result.exit_code == 0, result.output
    assert "Acknowledged dual-role about Payments until 2026-09-30 (#" in result.output
    data = json.loads(runner.invoke(app, ["health", "--format", "json"]).output)
    assert data["counts"]["dual-role"] == 0
    [dual] = [f for f in data["findings"] if f["code"] == "dual-role"]
    assert dual["acknowledged"]["by"] == "Hannah" and dual["acknowledged"]["until"] == "2026-09-30"
    table = runner.invoke(app, ["health"]).output
    assert "1 acknowledged, not counted" in table and "Acknowledged (1): not in the counts" in table
    listed = runner.invoke(app, ["health", "acknowledgements", "--format", "json"])
    assert [(a["code"], a["person"], a["status"]) for a in json.loads(listed.output)] == [
        ("dual-role", "bob", "in force")]


def test_it_refuses_a_finding_that_does_not_exist_and_lists_those_that_do(runner, organisation):
    result = runner.invoke(app, ["health", "acknowledge", "dual-role", "--person", "erin", "--reason", "x"])
    assert result.exit_code == 1
    assert "there is no dual-role finding about person erin today; dual-role findings today are about: " \
           "--person bob" in result.output


def test_it_needs_a_subject_and_a_real_date(runner, organisation):
    result = runner.invoke(app, ["health", "acknowledge", "dual-role", "--reason", "x", "--until", "soon"])
    assert result.exit_code == 1
    assert "'soon' is not a date: write it as YYYY-MM-DD" in result.output
    assert "say what the finding is about: --team NAME, --person ID or --level ID" in result.output


def test_with_no_acknowledgements_the_list_says_so(runner, organisation):
    assert runner.invoke(app, ["health", "acknowledgements"]).output == "No acknowledgements.\n"


def test_an_operator_withdraws_an_acknowledgement_and_the_finding_counts_again(runner, organisation):
    made = runner.invoke(app, ["health", "acknowledge", "dual-role", "--person", "bob", "--reason", "Cover."])
    assert made.exit_code == 0, made.output
    [listed] = json.loads(runner.invoke(app, ["health", "acknowledgements", "--format", "json"]).output)
    result = runner.invoke(app, ["health", "unacknowledge", str(listed["id"]), "--by", "Hannah"])
    assert result.exit_code == 0, result.output
    assert result.output == f"Withdrew acknowledgement #{listed['id']} of dual-role about Payments: the finding is " \
                            "open again.\n"
    data = json.loads(runner.invoke(app, ["health", "--format", "json"]).output)
    assert data["counts"]["dual-role"] == 1
    assert [f["acknowledged"] for f in data["findings"] if f["code"] == "dual-role"] == [None]
    assert runner.invoke(app, ["health", "acknowledgements"]).output == "No acknowledgements.\n"
    from trellis.web.health.models import Acknowledgement

    row = Acknowledgement.objects.get(pk=listed["id"])
    assert row.withdrawn_by == "Hannah" and row.withdrawn_at is not None  # kept, with who withdrew it


def test_withdrawing_an_acknowledgement_not_in_force_says_how_to_list_them(runner, organisation):
    result = runner.invoke(app, ["health", "unacknowledge", "999"])
    assert result.exit_code == 1
    assert "trellis health unacknowledge: error: no acknowledgement 999 in force: 'trellis health " \
           "acknowledgements' lists them" in result.output
    assert runner.invoke(app, ["health", "unacknowledge", "soon"]).exit_code == 2  # not a number: a usage mistake
