"""``trellis org import`` on a whole-company HR export, as HR runs it: titles, e-mails, one division."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from trellis.cli import app
from trellis.web.org.models import Person

pytestmark = pytest.mark.django_db

HR = FIXTURES / "org" / "hr"
ARGS = ["org", "import", str(HR / "company-export.csv"), "--map-file", str(HR / "columns.map"),
        "--level-map", str(HR / "level-map.csv"), "--where", "Division=Engineering", "--as-of", "2026-01-05"]


def test_the_engineering_division_is_imported_with_levels_by_title_and_managers_by_e_mail(runner):
    result = runner.invoke(app, [*ARGS, "--outside-managers", "top"])
    assert result.exit_code == 0, result.output
    assert "36 joined" in result.output
    fatima = Person.objects.select_related("manager").get(external_id="HR/2019/104")
    assert (fatima.level, fatima.manager.external_id) == ("software-architect", "HR/2018/102")
    outside = Person.objects.filter(reports_outside=True).values_list("external_id", flat=True)
    assert sorted(outside) == ["CTR 77", "HR/2016/101", "HR/2017/100"]


def test_the_export_writes_ids_and_reading_it_again_changes_nothing(runner, tmp_path):
    runner.invoke(app, [*ARGS, "--outside-managers", "top"])
    exported = tmp_path / "export.csv"
    assert runner.invoke(app, ["org", "export", "-o", str(exported)]).exit_code == 0
    text = exported.read_text()
    assert "HR/2019/104,Fatima Zahra Benali,fatima.benali@acme.example,software-architect,HR/2018/102," in text
    again = runner.invoke(app, ["org", "import", str(exported), "--dry-run", "--as-of", "2026-01-05"])
    assert "No changes: the organisation already matches the file." in again.output


def test_managers_outside_the_file_are_one_error_each_and_nothing_is_written(runner):
    result = runner.invoke(app, ARGS)
    assert result.exit_code == 1
    assert result.output.count("there is no person") == 2
    assert "there is no person 'm.kuehn@acme.example' in this file (line 2 is, but --where leaves it out); " \
           "lines 11 and 12 refer to them" in result.output
    assert Person.objects.count() == 0


def test_bad_options_are_listed_together_before_anything_is_read(runner, tmp_path):
    bad_map = tmp_path / "levels.csv"
    bad_map.write_text("value,level\nStaff *,staff-wizard\n")
    result = runner.invoke(app, ["org", "import", str(HR / "company-export.csv"), "--where", "Division",
                                 "--outside-managers", "ignore", "--level-map", str(bad_map)])
    assert result.exit_code == 1
    assert "'Division' is not a filter" in result.output
    assert "'ignore' is not a way to treat managers outside the file" in result.output
    assert "levels.csv:2 (column level): error: unknown level 'staff-wizard'" in result.output
