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


NAMES_APART = ("Employee ID,Family Name,Given Name,Grade,Manager\n"
               "e1,Lovelace,Ada,cto,\n"
               "e2,Ng,,software-engineer,e1\n"
               "e3,,Grace,software-engineer,e1\n")
BY_PARTS = parse_mapping("Employee ID=id,Given Name=name,Family Name=name,Grade=level,Manager=manager_id")


def test_a_name_in_several_columns_mapped_to_name_is_joined_in_the_order_of_the_mapping():
    org = read_org_csv(NAMES_APART, "hr.csv", LADDER, as_of=date(2025, 9, 1), mapping=BY_PARTS)
    assert {pid: p.name for pid, p in org.people.items()} == {"e1": "Ada Lovelace", "e2": "Ng", "e3": "Grace"}


def test_a_name_with_every_part_empty_is_missing_and_the_problem_names_the_columns():
    text = NAMES_APART + "e4,,,software-engineer,e1\n"
    with pytest.raises(InputError) as caught:
        read_org_csv(text, "hr.csv", LADDER, as_of=date(2025, 9, 1), mapping=BY_PARTS)
    assert [(p.line, p.column, p.message) for p in caught.value.problems] == [
        (5, "Given Name + Family Name", "the name is missing")]


def test_a_reporting_cycle_in_a_refused_file_names_people_by_their_joined_names():
    # The first row refuses the file: the people after it are not built, their names are read again.
    text = (NAMES_APART.replace("e1,Lovelace,Ada,cto,", "e0,X,Y,wizard,\ne1,Lovelace,Ada,cto,e2")
            .replace("e2,Ng,,software-engineer,e1", "e2,Ng,Li,software-engineer,e1"))
    with pytest.raises(InputError) as caught:
        read_org_csv(text, "hr.csv", LADDER, as_of=date(2025, 9, 1), mapping=BY_PARTS)
    messages = [p.message for p in caught.value.problems]
    assert any("Ada Lovelace (e1) -> Li Ng (e2) -> Ada Lovelace (e1)" in m for m in messages), messages


def test_a_column_named_name_and_another_mapped_to_it_are_still_one_too_many():
    text = "id,name,Full Name,level\ne1,Ada,Ada Lovelace,cto\n"
    with pytest.raises(InputError, match="column 'name' appears twice"):
        read_org_csv(text, "hr.csv", LADDER, as_of=date(2025, 9, 1), mapping=parse_mapping("Full Name=name"))
