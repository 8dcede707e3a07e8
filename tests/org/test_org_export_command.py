"""``trellis org export``: the same format, sorted by id, the same bytes every time, any past date."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from trellis.cli import app
from trellis.lib import clock
from trellis.org.generate import generate_org_csv

pytestmark = pytest.mark.django_db


def test_the_export_of_an_imported_file_is_that_file_byte_for_byte(runner, tmp_path):
    text = generate_org_csv(120, seed=7)
    source = tmp_path / "org.csv"
    source.write_text(text, encoding="utf-8")
    assert runner.invoke(app, ["org", "import", str(source), "--as-of", "2025-07-01"]).exit_code == 0
    first = runner.invoke(app, ["org", "export"])
    assert first.exit_code == 0
    assert first.stdout == text
    assert runner.invoke(app, ["org", "export"]).stdout == first.stdout


def test_output_writes_a_file_that_imports_with_no_changes(runner, tmp_path):
    source = tmp_path / "org.csv"
    source.write_text(generate_org_csv(60, seed=3), encoding="utf-8")
    runner.invoke(app, ["org", "import", str(source), "--as-of", "2025-07-01"])
    exported = tmp_path / "exported.csv"
    assert runner.invoke(app, ["org", "export", "--output", str(exported)]).exit_code == 0
    assert exported.read_bytes() == source.read_bytes()
    result = runner.invoke(app, ["org", "import", str(exported)])
    assert "No changes" in result.output


def test_as_of_exports_the_organisation_as_it_was_then(runner, tmp_path):
    first = tmp_path / "first.csv"
    first.write_text(generate_org_csv(80, seed=5), encoding="utf-8")
    runner.invoke(app, ["org", "import", str(first), "--as-of", "2025-07-01"])
    rows = first.read_text(encoding="utf-8").splitlines(keepends=True)
    second = tmp_path / "second.csv"
    # The CTO (first row) changes name; the last five people leave.
    cto = rows[1].split(",")
    renamed = ",".join([cto[0], cto[1] + " Jr", *cto[2:]])
    second.write_text("".join([rows[0], renamed, *rows[2:-5]]), encoding="utf-8")
    result = runner.invoke(app, ["org", "import", str(second), "--as-of", "2025-09-01"])
    assert result.exit_code == 0, result.output
    assert "1 name changed" in result.output and "5 marked as left" in result.output
    then = runner.invoke(app, ["org", "export", "--as-of", "2025-08-01"])
    assert then.stdout == first.read_text(encoding="utf-8")
    now = runner.invoke(app, ["org", "export"])
    assert now.stdout == second.read_text(encoding="utf-8")
    before = runner.invoke(app, ["org", "export", "--as-of", "2025-06-30"])
    assert before.exit_code == 1  # not an empty organisation: nothing is known before the first import
    assert "--as-of: error: there is no data before 2025-07-01, when the records begin" in before.output


def test_a_bad_as_of_is_bad_input(runner):
    result = runner.invoke(app, ["org", "export", "--as-of", "yesterday"])
    assert result.exit_code == 1
    assert "--as-of: error: 'yesterday' is not a date: write it as YYYY-MM-DD" in result.output


def test_without_a_migrated_database_it_says_to_migrate_first(runner, monkeypatch):
    monkeypatch.setattr("trellis.cli.org.organisation_tables_exist", lambda: False)
    example = str(Path(__file__).parent.parent.parent / "docs" / "examples" / "org.csv")
    for args in (["org", "export"], ["org", "import", example]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        assert "run 'trellis migrate' first" in result.output


def test_an_as_of_after_today_is_bad_input(runner):
    tomorrow = clock.today() + timedelta(days=1)
    result = runner.invoke(app, ["org", "export", "--as-of", tomorrow.isoformat()])
    assert result.exit_code == 1
    assert f"--as-of: error: {tomorrow.isoformat()} is after today" in result.output
    assert "export as of today or an earlier day" in result.output
