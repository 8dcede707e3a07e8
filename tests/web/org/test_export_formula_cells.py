"""No cell of a CSV export starts as a spreadsheet formula, and importing the export changes nothing."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from tests.org.test_apply_import import HEADER
from trellis.cli import app
from trellis.org.csvio import FORMULA_START, neutralise, unneutralise
from trellis.web.org import services

pytestmark = pytest.mark.django_db

HOSTILE = HEADER + (
    "=cto,=HYPERLINK(\"http://x.example\"),ada@example.org,cto,,,,,,technical,2019-01-01\n"
    "+e1,+Eve,,software-engineer,=cto,,-Ops,@Money,tech_lead,,\n"
    "@e2,'=Already quoted,,software-engineer,=cto,+e1,-Ops,@Money,,,\n"
    "e3,'t Hooft,,software-engineer,=cto,,-Ops,@Money,,,\n"
)


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_neutralising_a_cell_is_undone_exactly():
    for value in ["=1+1", "'=1+1", "''-x", "'t Hooft", "-", "@", "plain", ""]:
        assert unneutralise(neutralise(value)) == value
        assert not neutralise(value).startswith(FORMULA_START)


def test_the_export_on_the_command_line_the_web_and_the_api_starts_no_cell_with_a_formula(
        client, hannah, runner, tmp_path):
    services.apply_import(HOSTILE, "hostile.csv", as_of=date(2025, 3, 1))
    out = tmp_path / "export.csv"
    assert runner.invoke(app, ["org", "export", "-o", str(out)]).exit_code == 0
    client.force_login(hannah)
    exports = [out.read_text(), client.get("/org/export.csv").content.decode(),
               client.get("/api/org/export.csv").content.decode()]
    assert exports[0] == exports[1] == exports[2]
    assert [c for c in cells(exports[0]) if c.startswith(FORMULA_START)] == []
    written = cells(exports[0])
    assert "'=HYPERLINK(\"http://x.example\")" in written and "'=Already quoted" in written and "'t Hooft" in written


def test_importing_the_export_reproduces_the_organisation_exactly(client, hannah):
    services.apply_import(HOSTILE, "hostile.csv", as_of=date(2025, 3, 1))
    exported = services.export_csv()
    assert services.preview_import(exported, "export.csv", as_of=date(2025, 3, 1)).is_empty
    people = services.load_snapshot().people
    assert people["=cto"].name == '=HYPERLINK("http://x.example")'
    # A cell another tool had neutralised is read as the value it stands for.
    assert people["@e2"].name == "=Already quoted" and people["@e2"].dotted_manager_ids == ("+e1",)
    assert people["e3"].name == "'t Hooft"
