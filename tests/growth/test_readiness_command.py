"""``trellis readiness`` from files, as a user runs it: no database, JSON or a table, clear errors."""

from __future__ import annotations

import json

from tests.conftest import FIXTURES
from trellis.cli import app

ORG = str(FIXTURES / "health" / "org.csv")
RATINGS = str(FIXTURES / "growth" / "ratings.csv")


def test_json_lists_every_person_with_their_targets(runner):
    result = runner.invoke(app, ["readiness", "--from-csv", ORG, "--ratings", RATINGS, "--format", "json"])
    assert result.exit_code == 0, result.output
    people = {p["person"]: p["targets"] for p in json.loads(result.output)["people"]}
    assert len(people) == 18
    assert people["pay1"] == [
        {"kind": "current", "level": "senior-software-engineer", "tier": "ready-now", "score": 1.0,
         "coverage": 1.0, "missing_must_haves": [], "below": []},
        {"kind": "next", "level": "lead-engineer", "tier": "close", "score": 0.923, "coverage": 1.0,
         "missing_must_haves": ["empower-others"], "below": ["empower-others"]},
    ]
    assert [t["kind"] for t in people["alice"]] == ["current", "next", "other-track"]
    assert people["alice"][2]["level"] == "engineering-manager"
    assert people["bob"][0]["tier"] == "insufficient-evidence"


def test_the_table_shows_tiers_and_what_is_below_expectation(runner):
    result = runner.invoke(app, ["readiness", "--from-csv", ORG, "--ratings", RATINGS], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Readiness of 18 people" in result.output
    assert "empower-others (must-have)" in result.output and "close" in result.output


def test_a_policy_file_changes_the_tiers(runner, tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text("readiness_close_score: 0.95\nreadiness_ready_now_score: 0.97\n")
    result = runner.invoke(app, ["readiness", "--from-csv", ORG, "--ratings", RATINGS, "--policy", str(policy),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    people = {p["person"]: p["targets"] for p in json.loads(result.output)["people"]}
    assert people["pay1"][1]["tier"] == "stretch"


def test_a_bad_ratings_file_lists_every_problem_with_its_line_and_exits_one(runner):
    result = runner.invoke(app, ["readiness", "--from-csv", ORG, "--ratings", str(FIXTURES / "growth" /
                                                                                   "ratings-bad.csv")])
    assert result.exit_code == 1
    lines = [line.split(": error: ")[0].rsplit("/", 1)[-1] for line in result.output.splitlines() if "error:" in line]
    assert lines == ["ratings-bad.csv:3 (column person_id)", "ratings-bad.csv:4 (column competency)",
                     "ratings-bad.csv:5 (column rating)", "ratings-bad.csv:6 (column rater)",
                     "ratings-bad.csv:7 (column rating)", "ratings-bad.csv:9 (column competency)"]
    assert "unknown rater 'boss': use one of self, people_manager, tech_lead, peer" in result.output
    assert "6 errors." in result.output


def test_a_ratings_file_without_its_columns_says_which_are_required(runner, tmp_path):
    bad = tmp_path / "r.csv"
    bad.write_text("person,competency,rating\nalice,craft,advanced\n")
    result = runner.invoke(app, ["readiness", "--from-csv", ORG, "--ratings", str(bad)])
    assert result.exit_code == 1
    assert "r.csv:1 (column person): error: unknown column 'person': did you mean 'person_id'?" in result.output
    assert "the required column 'rater' is missing from the header" in result.output


def test_without_the_files_it_says_what_to_give(runner):
    result = runner.invoke(app, ["readiness"])
    assert result.exit_code == 1
    assert "--from-csv ORG.csv --ratings RATINGS.csv" in result.output
