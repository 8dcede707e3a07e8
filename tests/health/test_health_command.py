"""``trellis health`` as a user runs it: from a CSV file or the database, in three formats, with what-if."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import FIXTURES
from trellis.cli import app

HEALTH = FIXTURES / "health"
ORG = str(HEALTH / "org.csv")
AS_OF = ["--as-of", "2026-06-30"]


def test_it_reports_findings_from_a_csv_file_and_exits_zero(runner):
    result = runner.invoke(app, ["health", "--from-csv", ORG, *AS_OF])
    assert result.exit_code == 0, result.output
    assert "Org health as of 30 Jun 2026: 18 people in 2 teams; 2 findings (1 critical, 1 warning, 0 info)." \
        in result.output
    assert "team Payments · person bob · since 1 Jan 2025" in result.output
    assert "Bob Brown (bob) is both people" in result.output
    assert "dual-role" in result.output and "peter-principle-risk" in result.output
    assert "Engineers per people manager" in result.output


def test_json_lists_every_finding_with_its_fields(runner):
    result = runner.invoke(app, ["health", "--from-csv", ORG, *AS_OF, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(f["code"], f["severity"], f["team"], f["person"], f["since"]) for f in data["findings"]] == [
        ("dual-role", "critical", "Payments", "bob", "2025-01-01"),
        ("peter-principle-risk", "warning", "Payments", "bob", "2025-01-01"),
    ]
    assert data["metrics"]["headcount"] == 18 and data["counts"]["dual-role"] == 1


def test_html_is_one_self_contained_page(runner, tmp_path):
    target = tmp_path / "health.html"
    result = runner.invoke(app, ["health", "--from-csv", ORG, *AS_OF, "--format", "html", "--output", str(target)])
    assert result.exit_code == 0, result.output
    page = target.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "Bob Brown (bob) is both people manager and tech lead of Payments" in page
    assert "http" not in page and "<script" not in page and "<link" not in page


def test_a_table_can_be_written_to_a_file(runner, tmp_path):
    target = tmp_path / "health.txt"
    result = runner.invoke(app, ["health", "--from-csv", ORG, *AS_OF, "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert "dual-role" in target.read_text() and "\x1b[" not in target.read_text()


def test_a_policy_file_changes_the_verdict(runner, tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text("dual_role_limit_days: 1000\n")
    result = runner.invoke(app, ["health", "--from-csv", ORG, *AS_OF, "--policy", str(policy), "--format", "json"])
    assert [f["severity"] for f in json.loads(result.output)["findings"]] == ["warning", "warning"]


def test_what_if_shows_the_findings_that_would_appear_and_disappear(runner):
    result = runner.invoke(app, ["health", "--from-csv", ORG, *AS_OF, "--format", "json",
                                 "--what-if", "take tech_lead@Payments bob",
                                 "--what-if", "give tech_lead@Payments alice"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["changes"] == ["take tech_lead@Payments bob", "give tech_lead@Payments alice"]
    assert [f["code"] for f in data["disappeared"]] == ["dual-role"]
    assert data["appeared"] == []
    assert data["metrics"]["people_in_two_roles"] == {"before": 1, "after": 0}


def test_what_if_as_a_table_and_from_a_file(runner, tmp_path):
    changes = tmp_path / "changes.yaml"
    changes.write_text("- move alice Search\n")
    result = runner.invoke(app, ["health", "--from-csv", ORG, *AS_OF, "--what-if-file", str(changes)])
    assert result.exit_code == 0, result.output
    assert 'What if: move "Alice Adams" Search' in result.output  # people by name where it names no one else
    assert "No finding would appear or disappear." in result.output
    assert "Before" in result.output and "After" in result.output


def test_bad_input_everywhere_is_listed_at_once_with_exit_code_one(runner, tmp_path):
    result = runner.invoke(app, ["health", "--from-csv", str(HEALTH / "org-bad.csv"), "--as-of", "30/06/2026",
                                 "--policy", str(HEALTH / "policy-bad.yaml"), "--what-if", "hire zed"])
    assert result.exit_code == 1
    output = result.output
    assert "--as-of: error: '30/06/2026' is not a date: write it as YYYY-MM-DD" in output
    assert "policy-bad.yaml:6: error: unknown key 'span_of_control'" in output
    assert "--what-if 'hire zed': error: unknown change 'hire'" in output
    assert "org-bad.csv:3 (column level): error:" in output and "engineering-boss" in output
    assert "org-bad.csv:4 (column manager_id): error:" in output


def test_an_unknown_person_in_a_what_if_is_bad_input(runner):
    result = runner.invoke(app, ["health", "--from-csv", ORG, *AS_OF, "--what-if", "promote zed cto"])
    assert result.exit_code == 1
    assert "--what-if 'promote zed cto': error: unknown person 'zed': no one has that id" in result.output


def test_what_if_names_people_teams_and_levels_as_people_write_them(runner):
    result = runner.invoke(app, ["health", "--from-csv", ORG, *AS_OF, "--format", "json",
                                 "--what-if", 'take "Tech Lead"@payments "bob brown"',
                                 "--what-if", 'give tech_lead@PAYMENTS "Alice Adams"'])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["changes"] == ["take tech_lead@Payments bob", "give tech_lead@Payments alice"]
    assert [f["code"] for f in data["disappeared"]] == ["dual-role"]


def test_every_problem_of_every_change_is_listed_from_options_and_a_file(runner, tmp_path):
    changes = tmp_path / "changes.yaml"
    changes.write_text("- promote nobody wizard\n- change: give\n  role: boss\n  team: Atlantis\n  person: alice\n")
    result = runner.invoke(app, ["health", "--from-csv", ORG, *AS_OF, "--what-if", "hire zed",
                                 "--what-if", "move zed Search", "--what-if-file", str(changes)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(lines) == 6, result.output
    assert "--what-if 'hire zed': error: unknown change 'hire'" in lines[0]
    assert "--what-if 'move zed Search': error: unknown person 'zed'" in lines[1]
    assert "changes.yaml:1: error: unknown person 'nobody'" in lines[2]
    assert "changes.yaml:1: error: unknown level 'wizard'" in lines[3]
    assert "changes.yaml:2: error: unknown role 'boss'" in lines[4]
    assert "changes.yaml:2: error: unknown team 'Atlantis'" in lines[5]


def test_a_missing_csv_file_is_bad_input(runner, tmp_path):
    result = runner.invoke(app, ["health", "--from-csv", str(tmp_path / "none.csv")])
    assert result.exit_code == 1
    assert "none.csv: error: cannot read the file" in result.output


def test_an_unknown_format_is_a_usage_mistake(runner):
    assert runner.invoke(app, ["health", "--from-csv", ORG, "--format", "pdf"]).exit_code == 2


@pytest.mark.django_db
def test_it_reads_the_organisation_from_the_database(runner, monkeypatch):
    from trellis.cli import health as command
    from trellis.web.org import services

    monkeypatch.setattr(command, "database_is_ready", lambda: True)
    services.apply_import((HEALTH / "org.csv").read_bytes(), "org.csv", as_of=date(2026, 1, 1))
    result = runner.invoke(app, ["health", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["metrics"]["headcount"] == 18
    assert [f["code"] for f in data["findings"]] == ["dual-role", "peter-principle-risk"]


@pytest.mark.django_db
def test_as_of_a_past_date_judges_the_organisation_as_it_was(runner, monkeypatch):
    from trellis.cli import health as command
    from trellis.web.org import services

    monkeypatch.setattr(command, "database_is_ready", lambda: True)
    before = (HEALTH / "org.csv").read_text()
    services.apply_import(before, "org.csv", as_of=date(2026, 1, 1))
    # Bob hands the technical lead of Payments to Alice on 1 March.
    after = before.replace("Payments,people_manager;tech_lead,", "Payments,people_manager,").replace(
        "alice,Alice Adams,lead-engineer,diana,Payments,,", "alice,Alice Adams,lead-engineer,diana,Payments,tech_lead,")
    services.apply_import(after, "org.csv", as_of=date(2026, 3, 1))

    then = json.loads(runner.invoke(app, ["health", "--format", "json", "--as-of", "2026-02-01"]).output)
    now = json.loads(runner.invoke(app, ["health", "--format", "json"]).output)
    assert then["as_of"] == "2026-02-01"
    assert [f["code"] for f in then["findings"]] == ["dual-role", "peter-principle-risk"]
    assert [f["code"] for f in now["findings"]] == ["peter-principle-risk"]


def test_another_ladder_can_be_named_and_the_default_policy_warns_about_levels_it_lacks(runner, tmp_path):
    org = tmp_path / "org.csv"
    org.write_text("id,name,level,manager_id,team,roles\nm,Mia,manager,,Core,people_manager\n"
                   "l,Leo,lead,m,Core,tech_lead\ne1,Eve,engineer,m,Core,\ne2,Eli,engineer,m,Core,\n"
                   "e3,Ezra,engineer,m,Core,\n")
    ladder = str(FIXTURES / "ladders" / "minimal.yaml")
    result = runner.invoke(app, ["health", "--from-csv", str(org), "--ladder", ladder, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "default policy: warning: min_tech_lead_level: 'lead-engineer' is an unknown level; use one of the " \
           "ladder's technical levels: engineer, lead" in result.output
    data = json.loads(result.output[result.output.index("{"):])
    assert data["metrics"]["headcount_by_level"] == {"engineer": 3, "lead": 1, "manager": 1}


def test_a_bad_ladder_file_is_reported_with_its_line(runner):
    ladder = str(FIXTURES / "ladders" / "duplicate-id.yaml")
    result = runner.invoke(app, ["health", "--from-csv", ORG, "--ladder", ladder])
    assert result.exit_code == 1
    assert "duplicate-id.yaml:27: error: duplicate id 'lead' in levels" in result.output


def test_without_a_database_it_says_what_to_do(runner, monkeypatch):
    from trellis.cli import health as command

    monkeypatch.setattr(command, "database_is_ready", lambda: False)
    result = runner.invoke(app, ["health"])
    assert result.exit_code == 1
    assert "there is no organisation database yet: run 'trellis migrate' and 'trellis org import FILE.csv', " \
           "or give --from-csv FILE" in result.output


def test_a_future_date_is_bad_input(runner):
    result = runner.invoke(app, ["health", "--from-csv", ORG, "--as-of", "2999-01-01"])
    assert result.exit_code == 1
    assert "--as-of: error: 2999-01-01 is in the future" in result.output


def test_a_csv_file_judged_before_its_own_dates_says_it_has_no_history(runner):
    assert "since" in (HEALTH / "org.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    result = runner.invoke(app, ["health", "--from-csv", ORG, "--as-of", "2000-01-01"])
    assert result.exit_code == 1
    assert "the --as-of date (a CSV file has no history" in result.output


def test_a_role_on_a_misspelt_team_is_refused_as_the_import_refuses_it(runner, tmp_path):
    path = tmp_path / "misspelt.csv"
    path.write_text("id,name,level,manager_id,team,roles\n"
                    "erin,Erin Manager,engineering-manager,,Payments,people_manager\n"
                    "ann,Ann Lead,lead-engineer,erin,Payments,tech_lead@Paymnets\n"
                    "sam,Sam Engineer,software-engineer,erin,Payments,\n", encoding="utf-8")
    result = runner.invoke(app, ["health", "--from-csv", str(path), "--format", "json"])
    assert result.exit_code == 1
    # The words are the import's own: the line, the column, the close match, what to do.
    assert f"{path}:3 (column roles): error: the role 'tech_lead@Paymnets' is on an unknown team" in result.output
    assert "did you mean 'Payments'?" in result.output
    assert result.output.endswith("1 error.\n") and '"findings"' not in result.output  # no report came out


def test_a_team_that_is_only_led_is_refused_from_a_file_as_a_first_import_refuses_it(runner, tmp_path):
    path = tmp_path / "led-only.csv"
    path.write_text("id,name,level,team,roles\n"
                    "ann,Ann Architect,software-architect,,tech_lead@Ledger;tech_lead@Search\n"
                    "sam,Sam Engineer,software-engineer,Search,\n", encoding="utf-8")
    result = runner.invoke(app, ["health", "--from-csv", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2 (column roles): error: the role 'tech_lead@Ledger' is on an unknown team" in result.output
    assert "tech_lead@Search" not in result.output  # Sam works in Search: that role is fine


def test_every_problem_of_the_file_is_listed_with_its_line(runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,name,level,manager_id,team,roles\n"
                    "erin,Erin Manager,engineering-manager,,Payments,people_manager@Paymens\n"
                    "ann,Ann Lead,lead-enginer,erin,Payments,\n"
                    "sam,Sam Engineer,software-engineer,nobody,Payments,\n", encoding="utf-8")
    result = runner.invoke(app, ["health", "--from-csv", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2 (column roles): error:" in result.output
    assert f"{path}:3 (column level): error:" in result.output
    assert f"{path}:4 (column manager_id): error:" in result.output
    assert result.output.endswith("3 errors.\n")


def test_a_report_filter_beside_a_what_if_is_refused_not_ignored(runner):
    result = runner.invoke(app, ["health", "--from-csv", ORG, *AS_OF, "--code", "dual-role",
                                 "--what-if", "take tech_lead@Payments bob"])
    assert result.exit_code == 1
    assert "leave out --code, which filters a report" in result.stderr
