"""Column mappings for files from HR systems: ``--map`` pairs and mapping files."""

from __future__ import annotations

from datetime import date

import pytest

from trellis.ladder.load import load_default
from trellis.lib.problems import InputError
from trellis.org.csvio import parse_mapping, read_mapping_file, read_org_csv

LADDER = load_default().ladder


def test_pairs_map_their_columns_to_ours_and_an_empty_target_ignores_one():
    assert parse_mapping("Employee ID=id, Full Name = name,Cost Center=") == {
        "employee id": "id", "full name": "name", "cost center": None}


def test_every_bad_pair_is_reported_at_once():
    with pytest.raises(InputError) as caught:
        parse_mapping("Employee ID,Grade=rank,=name,Full Name=name,full name=email")
    assert [p.message.split(":")[0] for p in caught.value.problems] == [
        "'Employee ID' is not a pair", "'rank' is not one of our columns; use one of id, name, email, level, "
        "manager_id, dotted_manager_ids, team, department, roles, preferred_track, since, "
        "reports_outside, or nothing to ignore 'Grade'",
        "'=name' names no column of the file before '='", "column 'full name' is mapped twice"]
    assert all(p.source == "--map" for p in caught.value.problems)


def test_a_mapping_file_skips_comments_and_blank_lines_and_names_bad_lines(tmp_path):
    path = tmp_path / "hr.map"
    path.write_text("# from the HR system\n\nEmployee ID=id\nGrade=rank\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_mapping_file(path)
    assert [(p.source, p.line) for p in caught.value.problems] == [(str(path), 4)]
    path.write_text("# from the HR system\n\nEmployee ID=id\n", encoding="utf-8")
    assert read_mapping_file(path) == {"employee id": "id"}
    with pytest.raises(InputError, match="no such mapping file"):
        read_mapping_file(tmp_path / "missing.map")


def test_a_mapping_naming_a_column_the_file_lacks_is_an_error():
    with pytest.raises(InputError) as caught:
        read_org_csv("Employee ID,name,level\ne1,Ana,cto\n", "hr.csv", LADDER, as_of=date(2025, 7, 1),
                     mapping=parse_mapping("Employee ID=id,Emplyee Name=name"))
    assert [str(p) for p in caught.value.problems] == [
        "hr.csv:1: error: the mapping names column 'emplyee name', which the header does not have: "
        "check its spelling"]
