"""trellis org change and trellis org history: the same one writer as the web, from the command line."""

from __future__ import annotations

import json

import pytest

from tests.web.org.edits import imported
from trellis.cli import app
from trellis.web.org.models import Person, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    imported()


def test_it_changes_a_person_and_says_what_it_did_to_org_health(runner, org):
    result = runner.invoke(app, ["org", "change", "tl1", "--remove-role", "tech_lead@payments",
                                 "--reason", "stepping back"])
    assert result.exit_code == 0, result.output
    assert "role-lost tl1 tech_lead@payments" in result.output
    assert "Health, appeared: no-tech-lead" in result.output
    assert "Recorded as edit" in result.output


def test_a_dry_run_shows_the_effect_and_writes_nothing(runner, org):
    result = runner.invoke(app, ["org", "change", "e1", "--manager", "none", "--reason", "x", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "manager-changed e1 em1" in result.output and "Dry run: nothing was written." in result.output
    assert Person.objects.get(external_id="e1").manager.external_id == "em1"


def test_bad_input_names_each_field_and_exits_non_zero(runner, org):
    result = runner.invoke(app, ["org", "change", "e1", "--level", "wizard", "--add-role", "lead", "--reason",
                                 "x"])
    assert result.exit_code == 1
    assert "--add-role: error: 'lead' is not ROLE@TEAM" in result.output
    result = runner.invoke(app, ["org", "change", "e1", "--level", "wizard", "--reason", "x"])
    assert result.exit_code == 1 and "edit (column level): error: unknown level 'wizard'" in result.output


def test_a_reason_is_required(runner, org):
    result = runner.invoke(app, ["org", "change", "e1", "--level", "senior-software-engineer"])
    assert result.exit_code == 1 and "say why with --reason TEXT" in result.output


def test_it_renames_a_team_and_the_history_follows(runner, org):
    result = runner.invoke(app, ["org", "change", "--of-team", "search", "--rename-team", "Discovery",
                                 "--reason", "the product was renamed"])
    assert result.exit_code == 0, result.output
    assert Team.objects.filter(name="Discovery").exists()
    history = runner.invoke(app, ["org", "history", "--team", "Discovery", "--format", "json"])
    kinds = [c["kind"] for c in json.loads(history.output)]
    assert kinds[-1] == "team-renamed" and "team-created" in kinds


def test_history_lists_each_change_with_its_source(runner, org):
    runner.invoke(app, ["org", "change", "e1", "--level", "senior-software-engineer", "--reason", "promoted [Q2]"])
    result = runner.invoke(app, ["org", "history", "e1", "--format", "json"])
    assert result.exit_code == 0, result.output
    changes = json.loads(result.output)
    assert changes[0]["source"].startswith("import of org.csv by the command line on ")
    assert changes[-1]["kind"] == "level-changed"
    assert changes[-1]["source"].endswith(": promoted [Q2]")
    table = runner.invoke(app, ["org", "history", "e1"])
    assert table.exit_code == 0 and "[Q2]" in table.output


def test_history_of_someone_unknown_is_an_error(runner, org):
    result = runner.invoke(app, ["org", "history", "nobody"])
    assert result.exit_code == 1 and "there is no person with id 'nobody'" in result.output


def test_an_import_that_conflicts_is_refused_until_a_side_is_chosen(runner, org, tmp_path):
    from tests.web.org.edits import ORG

    runner.invoke(app, ["org", "change", "e1", "--level", "senior-software-engineer", "--reason", "promoted"])
    path = tmp_path / "next.csv"
    path.write_text(ORG, encoding="utf-8")
    refused = runner.invoke(app, ["org", "import", str(path), "--as-of", "2025-09-01"])
    assert refused.exit_code == 1
    assert "e1: level is senior-software-engineer in Trellis (changed by the command line" in refused.output
    kept = runner.invoke(app, ["org", "import", str(path), "--as-of", "2025-09-01", "--prefer-trellis"])
    assert kept.exit_code == 0, kept.output
    assert "Conflict (kept, still pending): e1: level" in kept.output
    assert Person.objects.get(external_id="e1").level == "senior-software-engineer"
