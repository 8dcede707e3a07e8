"""``trellis org import`` as HR runs it: all or nothing, every problem listed, a preview first."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from trellis.cli import app
from trellis.lib import clock
from trellis.web.org import services
from trellis.web.org.models import DottedLine, HistoryEvent, ImportBatch, Person, RoleAssignment, Team

pytestmark = pytest.mark.django_db

HEADER = "id,name,email,level,manager_id,dotted_manager_ids,team,department,roles,preferred_track,since\n"
ROWS = [
    "cto,Ada Ørsted,ada@example.org,cto,,,,,,technical,2019-01-01\n",
    "em,Björn Ng,,engineering-manager,cto,,payments,Money,people_manager;people_manager@search,management,\n",
    "tl,Chloé Diaz,,senior-software-engineer,cto,em,payments,Money,tech_lead,technical,2022-01-01\n",
    "arc,Dana Li,,software-architect,cto,em,,,tech_lead@search,technical,\n",
    "e1,Eve Ek,,software-engineer,em,,payments,Money,,,\n",
    "e2,Femi Obi,,senior-software-engineer,em,,search,,,,\n",
]


def write(tmp_path: Path, rows: list[str], name: str = "org.csv", header: str = HEADER) -> str:
    path = tmp_path / name
    path.write_text(header + "".join(rows), encoding="utf-8")
    return str(path)


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count()
            for m in (Person, Team, DottedLine, RoleAssignment, HistoryEvent, ImportBatch)}


def test_it_imports_the_file_and_prints_counts_with_the_first_of_each_kind(runner, tmp_path):
    result = runner.invoke(app, ["org", "import", write(tmp_path, ROWS), "--as-of", "2025-03-01"])
    assert result.exit_code == 0, result.output
    assert "6 joined (first: joined cto Ada Ørsted (from 2025-03-01))" in result.output
    assert "4 role gained (first: role-gained arc tech_lead@search (from 2025-03-01))" in result.output
    assert "Imported" in result.output and "6 active people" in result.output
    assert counts()["Person"] == 6 and counts()["ImportBatch"] == 1


def test_a_bad_file_exits_1_listing_every_problem_and_writes_nothing(runner):
    path = str(FIXTURES / "org" / "many-problems.csv")
    result = runner.invoke(app, ["org", "import", path])
    assert result.exit_code == 1
    for where in ("5 (column id)", "6 (column level)", "6 (column email)", "6 (column since)",
                  "6 (column department)", "6 (column roles)", "6 (column manager_id)"):
        assert f"{path}:{where}: error: " in result.output
    assert "8 errors." in result.output
    assert set(counts().values()) == {0}


def test_a_dry_run_prints_the_changes_and_writes_nothing(runner, tmp_path):
    runner.invoke(app, ["org", "import", write(tmp_path, ROWS), "--as-of", "2025-03-01"])
    before = counts()
    changed = [ROWS[0], ROWS[1].replace("Björn Ng", "Björn Ngata"), *ROWS[2:]]
    result = runner.invoke(app, ["org", "import", write(tmp_path, changed, "changed.csv"), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "1 name changed (first: name-changed em: Björn Ng -> Björn Ngata" in result.output
    assert "Dry run: nothing was written. After the import, 6 people would be active." in result.output
    assert counts() == before
    assert Person.objects.get(external_id="em").name == "Björn Ng"


def test_the_same_file_twice_changes_nothing_and_records_no_history(runner, tmp_path):
    path = write(tmp_path, ROWS)
    runner.invoke(app, ["org", "import", path, "--as-of", "2025-03-01"])
    before = counts()
    result = runner.invoke(app, ["org", "import", path, "--as-of", "2025-04-01"])
    assert result.exit_code == 0
    assert "No changes: the organisation already matches the file." in result.output
    assert counts() == before


def test_a_truncated_file_is_refused_unless_mass_leave_is_confirmed(runner, tmp_path):
    runner.invoke(app, ["org", "import", write(tmp_path, ROWS), "--as-of", "2025-03-01"])
    before = counts()
    truncated = write(tmp_path, ROWS[:4], "truncated.csv")
    result = runner.invoke(app, ["org", "import", truncated, "--as-of", "2025-04-01"])
    assert result.exit_code == 1
    assert "would mark 2 of 6 people (33%) as left, more than the policy allows (10%)" in result.output
    assert "--allow-mass-leave" in result.output
    assert counts() == before
    result = runner.invoke(app, ["org", "import", truncated, "--as-of", "2025-04-01", "--allow-mass-leave"])
    assert result.exit_code == 0, result.output
    assert "2 marked as left" in result.output
    assert set(Person.objects.filter(active=False).values_list("external_id", flat=True)) == {"e1", "e2"}
    assert Person.objects.count() == 6  # marked, never deleted


def test_a_changed_file_records_each_change_with_its_effective_date(runner, tmp_path):
    runner.invoke(app, ["org", "import", write(tmp_path, ROWS), "--as-of", "2025-03-01"])
    changed = [
        ROWS[0],
        ROWS[1].replace("people_manager;people_manager@search", "people_manager"),  # role lost
        ROWS[2].replace("senior-software-engineer", "lead-engineer").replace("2022-01-01", "2025-05-15"),
        ROWS[3],
        ROWS[4].replace("e1,Eve Ek,,software-engineer,em,,payments", "e1,Eve Ek,,software-engineer,tl,,search"),
        # e2 has left; e3 joins and becomes the people manager of search
        "e3,Gus Grant,,engineering-manager,cto,,search,,people_manager,management,\n",
    ]
    result = runner.invoke(app, ["org", "import", write(tmp_path, changed, "changed.csv"), "--as-of", "2025-06-01",
                                 "--allow-mass-leave"])  # one of six is over the 10% policy
    assert result.exit_code == 0, result.output
    june, may = date(2025, 6, 1), date(2025, 5, 15)
    assert [(c.kind, c.old, c.new, c.effective) for c in services.history_for_person("tl")][-1] == (
        "level-changed", "senior-software-engineer", "lead-engineer", may)
    assert [(c.kind, c.old, c.new, c.effective) for c in services.history_for_person("e1")][-2:] == [
        ("team-changed", "payments", "search", june), ("manager-changed", "em", "tl", june)]
    assert [(c.kind, c.effective) for c in services.history_for_person("e2")][-1] == ("left", june)
    em = [(c.kind, c.old, c.effective) for c in services.history_for_person("em")]
    assert em[-1] == ("role-lost", "people_manager@search", june)
    assert [(c.kind, c.new) for c in services.history_for_person("e3")] == [
        ("joined", "Gus Grant"), ("role-gained", "people_manager@search")]
    ended = RoleAssignment.objects.get(person__external_id="em", team__name="search")
    assert ended.end == june


@pytest.mark.parametrize("option", ["--map", "--map-file"])
def test_a_mapping_renames_an_hr_systems_columns_and_ignores_one_on_purpose(runner, tmp_path, option):
    path = write(tmp_path, ["cto,Ada Ørsted,cto,C-100\n", "e9,Gus Grant,software-engineer,C-200\n"],
                 header="Employee ID,Full Name,Grade,Cost Center\n")
    value = "Employee ID=id,Full Name=name,Grade=level,Cost Center="
    if option == "--map-file":
        mapping = tmp_path / "hr.map"
        mapping.write_text("# our HR system's export\nEmployee ID=id\nFull Name = name\n\nGrade=level\nCost Center=\n")
        value = str(mapping)
    result = runner.invoke(app, ["org", "import", path, option, value])
    assert result.exit_code == 0, result.output
    assert Person.objects.get(external_id="e9").name == "Gus Grant"
    assert Person.objects.get(external_id="cto").level == "cto"


def test_a_bad_mapping_is_reported_with_its_line(runner, tmp_path):
    path = write(tmp_path, ["cto,Ada Ørsted,cto\n"], header="Employee ID,Full Name,Grade\n")
    mapping = tmp_path / "hr.map"
    mapping.write_text("Employee ID=id\nFull Name\nGrade=rank\n")
    result = runner.invoke(app, ["org", "import", path, "--map-file", str(mapping)])
    assert result.exit_code == 1
    assert f"{mapping}:2: error: 'Full Name' is not a pair" in result.output
    assert f"{mapping}:3: error: 'rank' is not one of our columns" in result.output


def test_an_unmapped_misspelt_column_is_an_error_not_dropped_data(runner, tmp_path):
    path = write(tmp_path, ["cto,Ada Ørsted,cto,C-100\n"], header="id,name,level,Cost Center\n")
    result = runner.invoke(app, ["org", "import", path])
    assert result.exit_code == 1
    assert "(column Cost Center): error: unknown column 'Cost Center'" in result.output
    assert 'map it with --map "Cost Center=COLUMN"' in result.output


def test_a_bad_as_of_date_and_a_missing_file_are_bad_input(runner, tmp_path):
    result = runner.invoke(app, ["org", "import", write(tmp_path, ROWS), "--as-of", "01/03/2025"])
    assert result.exit_code == 1 and "'01/03/2025' is not a date" in result.output
    result = runner.invoke(app, ["org", "import", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1 and "cannot read the file" in result.output


def test_names_and_values_with_brackets_are_printed_as_written(runner, tmp_path):
    path = write(tmp_path, ["a1,Ana [contractor],,cto,,,,,,,\n", "a2,Bo,,[/red]wizard,a1,,,,,,\n"])
    result = runner.invoke(app, ["org", "import", path])
    assert result.exit_code == 1
    assert "unknown level '[/red]wizard'" in result.output
    fixed = write(tmp_path, ["a1,Ana [contractor],,cto,,,,,,,\n"], "fixed.csv")
    result = runner.invoke(app, ["org", "import", fixed, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "1 joined (first: joined a1 Ana [contractor]" in result.output


def test_an_import_dated_after_today_exits_1_and_writes_nothing(runner, tmp_path):
    tomorrow = clock.today() + timedelta(days=1)
    result = runner.invoke(app, ["org", "import", write(tmp_path, ROWS), "--as-of", tomorrow.isoformat()])
    assert result.exit_code == 1
    assert f"--as-of: error: {tomorrow.isoformat()} is after today ({clock.today().isoformat()})" in result.output
    assert "date it today or earlier" in result.output
    assert counts()["Person"] == 0


def test_a_dry_run_says_plainly_that_the_real_import_would_be_refused_for_mass_leave(runner, tmp_path):
    runner.invoke(app, ["org", "import", write(tmp_path, ROWS), "--as-of", "2025-03-01"])
    truncated = write(tmp_path, ROWS[:4], "truncated.csv")
    result = runner.invoke(app, ["org", "import", truncated, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert ("Without --allow-mass-leave the real import would be refused: it would mark 2 of 6 people (33%) as "
            "left, more than the policy allows (10%).") in result.output
    confirmed = runner.invoke(app, ["org", "import", truncated, "--dry-run", "--allow-mass-leave"])
    assert "--allow-mass-leave confirms that they really left" in confirmed.output
    assert "would be refused" not in confirmed.output
    within = runner.invoke(app, ["org", "import", write(tmp_path, ROWS[:5], "one-less.csv"), "--dry-run",
                                 "--mass-leave-share", "20%"])
    assert "1 marked as left" in within.output and "mass-leave" not in within.output
    assert Person.objects.filter(active=True).count() == 6


@pytest.mark.parametrize("share", ["0.4", "40%"])
def test_the_mass_leave_share_is_a_policy_given_on_the_command_line(runner, tmp_path, share):
    runner.invoke(app, ["org", "import", write(tmp_path, ROWS), "--as-of", "2025-03-01"])
    truncated = write(tmp_path, ROWS[:4], "truncated.csv")
    result = runner.invoke(app, ["org", "import", truncated, "--mass-leave-share", share])
    assert result.exit_code == 0, result.output
    assert "2 marked as left" in result.output


def test_the_mass_leave_share_defaults_to_the_deployments_setting(runner, tmp_path, settings):
    runner.invoke(app, ["org", "import", write(tmp_path, ROWS), "--as-of", "2025-03-01"])
    settings.TRELLIS_MASS_LEAVE_SHARE = 0.2
    result = runner.invoke(app, ["org", "import", write(tmp_path, ROWS[:4], "truncated.csv")])
    assert result.exit_code == 1
    assert "more than the policy allows (20%)" in result.output
    settings.TRELLIS_MASS_LEAVE_SHARE = 0.5
    assert runner.invoke(app, ["org", "import", write(tmp_path, ROWS[:4], "truncated.csv")]).exit_code == 0


def test_a_mass_leave_share_that_is_not_a_share_exits_1_saying_what_to_write(runner, tmp_path):
    result = runner.invoke(app, ["org", "import", write(tmp_path, ROWS), "--mass-leave-share", "150%"])
    assert result.exit_code == 1
    assert "--mass-leave-share: error: '150%' is not a share of the organisation" in result.output
    assert counts()["Person"] == 0


def test_an_import_that_changes_one_thing_says_so_in_the_singular(runner, tmp_path):
    assert runner.invoke(app, ["org", "import", write(tmp_path, ROWS), "--as-of", "2025-03-01"]).exit_code == 0
    renamed = [row.replace("Eve Ek", "Eve Ekström") for row in ROWS]
    result = runner.invoke(app, ["org", "import", write(tmp_path, renamed, "next.csv"), "--as-of", "2025-04-01"])
    assert result.exit_code == 0, result.output
    assert "6 active people, 1 change recorded." in result.output
