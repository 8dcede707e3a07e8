"""``trellis health scenarios`` lists saved scenarios; ``trellis health --scenario NAME`` runs one against
today's organisation, saying so, and says which changes no longer apply."""

from __future__ import annotations

import json

import pytest

from tests.web.health import org
from trellis.cli import app
from trellis.web.health import scenarios, services
from trellis.web.org.access import Viewer
from trellis.web.org.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def database(monkeypatch):  # type: ignore[no-untyped-def]
    from trellis.cli import health as command

    monkeypatch.setattr(command, "database_is_ready", lambda: True)
    org.build()
    return scenarios.save(Viewer.operator(), name="Split Bob", note="He prefers the craft",
                          changes='take tech_lead@ledger "Bob Manager"\nleave p1', by="Hannah")


def test_the_scenarios_are_listed(runner, database):
    result = runner.invoke(app, ["health", "scenarios"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Split Bob" in result.output and "He prefers the craft" in result.output and "Hannah" in result.output
    data = json.loads(runner.invoke(app, ["health", "scenarios", "--format", "json"]).output)
    assert [(s["name"], s["changes"]) for s in data] == [("Split Bob", ["take tech_lead@ledger bob", "leave p1"])]


def test_a_scenario_runs_by_name_in_any_case_or_number_against_today(runner, database):
    result = runner.invoke(app, ["health", "--scenario", "split bob", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "run again against today's organisation" in result.stderr
    data = json.loads(result.stdout)
    assert [f["code"] for f in data["disappeared"]] == ["dual-role"]
    assert data["skipped"] == []
    by_number = runner.invoke(app, ["health", "--scenario", f"#{database.pk}"])
    assert by_number.exit_code == 0 and 'What if: take tech_lead@ledger "Bob Manager"; leave' in by_number.stdout


def test_a_change_that_no_longer_applies_is_named_and_the_rest_still_runs(runner, database):
    Person.objects.filter(external_id="p1").update(active=False)
    services.clear_cache()
    result = runner.invoke(app, ["health", "--scenario", "Split Bob"])
    assert result.exit_code == 0, result.output
    assert "left out, it no longer applies: leave p1: Engineer payments 1 (p1) has left the organisation" \
        in result.stderr
    assert "Would disappear (1)" in result.stdout


def test_an_unknown_scenario_or_a_mix_with_other_inputs_is_bad_input(runner, database):
    unknown = runner.invoke(app, ["health", "--scenario", "Nope"])
    assert unknown.exit_code == 1
    assert "no saved scenario is called 'Nope'; scenarios: 'Split Bob'" in unknown.stderr
    mixed = runner.invoke(app, ["health", "--scenario", "Split Bob", "--what-if", "leave bob", "--as-of",
                                "2026-01-01"])
    assert mixed.exit_code == 1
    assert "leave out --what-if" in mixed.stderr and "leave out --as-of" in mixed.stderr


def test_a_report_filter_beside_a_scenario_is_refused_not_ignored(runner, database):
    result = runner.invoke(app, ["health", "--scenario", "Split Bob", "--team", "Ledger", "--severity", "critical"])
    assert result.exit_code == 1
    assert "leave out --team" in result.stderr and "leave out --severity" in result.stderr
