"""A stale ``since`` never back-dates a change, and the first import is a baseline."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import FIXTURES
from trellis.cli import app
from trellis.health.engine import evaluate
from trellis.web.ladders.services import active_ladder
from trellis.web.org import services
from trellis.web.org.models import HistoryEvent, ImportBatch

pytestmark = pytest.mark.django_db

HR = FIXTURES / "org" / "hr"
ARGS = ["--map-file", str(HR / "columns.map"), "--level-map", str(HR / "level-map.csv"),
        "--where", "Division=Engineering", "--outside-managers", "top"]


def first_import(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["org", "import", str(HR / "company-export.csv"), *ARGS, "--as-of", "2025-03-01"])
    assert result.exit_code == 0, result.output


def test_a_promotion_in_a_re_imported_export_is_dated_at_the_import_not_at_the_old_since(runner, tmp_path):
    first_import(runner)
    exported = tmp_path / "export.csv"
    runner.invoke(app, ["org", "export", "-o", str(exported)])
    text = exported.read_text()
    # HR changes one level and leaves the row's since as it was (2023-05-15).
    changed = text.replace("HR/2019/104,Fatima Zahra Benali,fatima.benali@acme.example,software-architect",
                           "HR/2019/104,Fatima Zahra Benali,fatima.benali@acme.example,principal-architect")
    assert changed != text
    exported.write_text(changed)
    result = runner.invoke(app, ["org", "import", str(exported), "--as-of", "2025-04-01"])
    assert result.exit_code == 0, result.output
    promotion = HistoryEvent.objects.get(kind="level-changed", person_id_ext="HR/2019/104")
    assert promotion.effective == date(2025, 4, 1)
    assert services.load_snapshot().people["HR/2019/104"].level_since == date(2025, 4, 1)


def test_a_since_after_the_last_recorded_change_still_dates_the_change(runner, tmp_path):
    first_import(runner)
    exported = tmp_path / "export.csv"
    runner.invoke(app, ["org", "export", "-o", str(exported)])
    text = exported.read_text().replace(
        "HR/2019/104,Fatima Zahra Benali,fatima.benali@acme.example,software-architect,HR/2018/102,HR/2020/201,"
        "Checkout,Product Engineering,tech_lead,undecided,2023-05-15",
        "HR/2019/104,Fatima Zahra Benali,fatima.benali@acme.example,principal-architect,HR/2018/102,HR/2020/201,"
        "Checkout,Product Engineering,tech_lead,undecided,2025-03-15")
    exported.write_text(text)
    assert runner.invoke(app, ["org", "import", str(exported), "--as-of", "2025-04-01"]).exit_code == 0
    assert HistoryEvent.objects.get(kind="level-changed").effective == date(2025, 3, 15)


def test_the_first_import_is_a_baseline_whose_voids_started_before_the_records_begin(runner):
    first_import(runner)
    assert ImportBatch.objects.get().summary["baseline"] is True
    report = evaluate(services.load_snapshot(), active_ladder())
    [mobile] = [f for f in report.findings if f.code == "no-tech-lead" and f.team == "Mobile"]
    assert mobile.since is None and mobile.severity == "warning", "not new today, so not lowered to info"
    assert "since before the records begin" in mobile.message


def test_before_the_first_import_there_is_no_data(runner):
    first_import(runner)
    result = runner.invoke(app, ["org", "export", "--as-of", "2025-02-28"])
    assert result.exit_code == 1
    assert "there is no data before 2025-03-01, when the records begin" in result.output


def test_the_first_import_can_leave_out_its_history_rows():
    data = (HR / "company-export.csv").read_bytes()
    services.apply_import(data, "company.csv", as_of=date(2025, 3, 1), baseline_history=False,
                          options=_options())
    assert HistoryEvent.objects.count() == 0 and ImportBatch.objects.count() == 1
    assert len(services.load_snapshot().active_people) == 36


def _options():  # type: ignore[no-untyped-def]
    from trellis.org.csvio import ReadOptions, parse_where, read_level_map, read_mapping_file

    return ReadOptions(mapping=read_mapping_file(HR / "columns.map"),
                       level_map=read_level_map((HR / "level-map.csv").read_bytes(), "m", active_ladder()),
                       where=parse_where(["Division=Engineering"]), outside_managers="top")


def test_health_before_the_first_import_says_there_is_no_data_everywhere(runner, client, charlie):
    first_import(runner)
    result = runner.invoke(app, ["health", "--as-of", "2025-02-01"])
    assert result.exit_code == 1 and "there is no data before 2025-03-01" in result.output
    client.force_login(charlie)
    page = client.get("/health/?as_of=2025-02-01")
    assert page.status_code == 400 and "there is no data before 2025-03-01" in page.content.decode()
    api = client.get("/api/health/report?as_of=2025-02-01")
    assert api.status_code == 400 and "there is no data before 2025-03-01" in api.json()["detail"]
