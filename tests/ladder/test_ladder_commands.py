"""The ``trellis ladder`` commands as a user runs them."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.conftest import FIXTURES
from trellis.cli import app
from trellis.ladder.load import parse_ladder

LADDERS = FIXTURES / "ladders"

# Commands that read the active ladder consult the database when one is configured.
pytestmark = pytest.mark.django_db


def test_validate_with_no_file_checks_the_built_in_ladder(runner):
    result = runner.invoke(app, ["ladder", "validate"])
    assert result.exit_code == 0, result.output
    assert "built-in default ladder is a valid ladder: 11 levels on 2 tracks" in result.output


def test_validate_exits_non_zero_and_names_file_and_line(runner):
    result = runner.invoke(app, ["ladder", "validate", str(LADDERS / "parity.yaml")])
    assert result.exit_code == 1
    assert "parity.yaml:30: error: management level 'manager'" in result.output


def test_validate_strict_fails_on_warnings(runner):
    path = str(LADDERS / "falling-expectation.yaml")
    assert runner.invoke(app, ["ladder", "validate", path]).exit_code == 0
    result = runner.invoke(app, ["ladder", "validate", "--strict", path])
    assert result.exit_code == 1
    assert "falls from 'doing'" in result.output


def test_show_prints_peers_on_one_row(runner):
    result = runner.invoke(app, ["ladder", "show"])
    assert result.exit_code == 0
    row = next(line for line in result.output.splitlines() if "Lead Engineer" in line)
    assert "Engineering Manager" in row and row.strip("│ ").startswith("3")
    row = next(line for line in result.output.splitlines() if "Director of Architecture" in line)
    assert "Director of Engineering" in row


def test_export_json_and_yaml_round_trip_through_the_validator(runner, tmp_path):
    result = runner.invoke(app, ["ladder", "export", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["levels"][0]["id"] == "software-engineer"
    out = tmp_path / "exported.yaml"
    result = runner.invoke(app, ["ladder", "export", "--format", "yaml", "--output", str(out)])
    assert result.exit_code == 0
    reloaded = parse_ladder(out.read_text(), str(out))
    assert [lv.id for lv in reloaded.ladder.levels] == [lv["id"] for lv in data["levels"]]
    assert yaml.safe_load(out.read_text())["id"] == "trellis-default"


def test_export_rejects_an_unknown_format(runner):
    result = runner.invoke(app, ["ladder", "export", "--format", "xml"])
    assert result.exit_code == 1
    assert "unknown format 'xml'" in result.output


def test_diff_reports_renames_additions_and_raised_expectations(runner, tmp_path):
    old = (LADDERS / "minimal.yaml").read_text()
    new = (old.replace("title: Lead\n", "title: Tech Lead\n")
              .replace("expectations: {craft: doing, empower-others: doing}",
                       "expectations: {craft: leading, empower-others: doing}")
              + "  - id: staff\n    title: Staff\n    track: technical\n    grade: 3\n"
                "    scope: Keeps the software healthy.\n"
                "    expectations: {craft: leading, empower-others: leading}\n")
    (tmp_path / "new.yaml").write_text(new)
    result = runner.invoke(app, ["ladder", "diff", str(LADDERS / "minimal.yaml"), str(tmp_path / "new.yaml")])
    assert result.exit_code == 0, result.output
    assert "level-added: staff" in result.output
    assert "level-renamed: lead: 'Lead' -> 'Tech Lead'" in result.output
    assert "expectation-raised: lead/craft: doing -> leading" in result.output
    result = runner.invoke(app, ["ladder", "diff", str(tmp_path / "new.yaml"), str(LADDERS / "minimal.yaml")])
    assert "level-removed: staff" in result.output
    assert "expectation-lowered: lead/craft: leading -> doing" in result.output


def test_diff_of_identical_files_says_so(runner):
    path = str(LADDERS / "minimal.yaml")
    result = runner.invoke(app, ["ladder", "diff", path, path])
    assert result.exit_code == 0 and "No differences." in result.output


def test_diff_refuses_an_invalid_file(runner):
    result = runner.invoke(app, ["ladder", "diff", str(LADDERS / "minimal.yaml"), str(LADDERS / "parity.yaml")])
    assert result.exit_code == 1
    assert "parity.yaml:30" in result.output


def test_storing_a_ladder_before_the_database_exists_says_to_migrate(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'none.sqlite3'}")
    from django.conf import settings

    monkeypatch.setitem(settings.DATABASES["default"], "NAME", str(tmp_path / "none.sqlite3"))
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.sqlite3")
    for args in (["ladder", "load", str(LADDERS / "minimal.yaml")], ["ladder", "activate", "1"],
                 ["ladder", "versions"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.output
        assert "run 'trellis migrate' first" in result.output
    assert not (tmp_path / "none.sqlite3").exists()
