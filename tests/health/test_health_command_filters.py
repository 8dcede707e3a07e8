"""``trellis health`` starts with a count per code and severity; --code, --team, --person and --severity filter."""

from __future__ import annotations

import json

from tests.conftest import FIXTURES
from trellis.cli import app

ORG = str(FIXTURES / "health" / "org.csv")
BASE = ["health", "--from-csv", ORG, "--as-of", "2026-06-30"]


def codes(runner, *options: str) -> list[str]:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, [*BASE, "--format", "json", *options])
    assert result.exit_code == 0, result.output
    return [f["code"] for f in json.loads(result.output)["findings"]]


def test_the_table_opens_with_a_count_per_code_and_severity(runner):
    output = runner.invoke(app, BASE).output
    assert output.index("Findings per code and severity") < output.index("Bob Brown (bob) is both")
    assert "Two jobs at once" in output and "(dual-role)" in output


def test_each_filter_keeps_only_its_findings(runner):
    assert codes(runner) == ["dual-role", "peter-principle-risk"]
    assert codes(runner, "--code", "dual-role") == ["dual-role"]
    assert codes(runner, "--severity", "warning") == ["peter-principle-risk"]
    assert codes(runner, "--person", "bob", "--team", "Payments") == ["dual-role", "peter-principle-risk"]
    assert codes(runner, "--team", "Search") == []


def test_an_unknown_code_is_bad_input(runner):
    result = runner.invoke(app, [*BASE, "--code", "dual-roles"])
    assert result.exit_code == 1 and "unknown finding code 'dual-roles'; codes are: no-tech-lead" in result.output
