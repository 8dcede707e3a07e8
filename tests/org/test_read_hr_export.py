"""Reading a whole-company HR export: titles, managers by e-mail, one division, managers outside the file."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import FIXTURES
from trellis.ladder.load import load_default
from trellis.lib.problems import InputError
from trellis.org.csvio import (
    MAX_PROBLEMS,
    ReadOptions,
    parse_mapping,
    parse_outside_managers,
    parse_where,
    read_level_map,
    read_mapping_file,
    read_org_csv,
    write_org_csv,
)

HR = FIXTURES / "org" / "hr"
EXPORT = HR / "company-export.csv"
LADDER = load_default().ladder
AS_OF = date(2026, 1, 5)


def options(**changes: object) -> ReadOptions:
    base = {"mapping": read_mapping_file(HR / "columns.map"),
            "level_map": read_level_map((HR / "level-map.csv").read_bytes(), "level-map.csv", LADDER),
            "where": parse_where(["Division=Engineering"]), "outside_managers": "top"}
    base.update(changes)
    return ReadOptions(**base)  # type: ignore[arg-type]


def read(data: bytes | str | None = None, **changes: object):  # type: ignore[no-untyped-def]
    return read_org_csv(EXPORT.read_bytes() if data is None else data, "company.csv", LADDER, as_of=AS_OF,
                        options=options(**changes))


def problems(data: bytes | str | None = None, **changes: object) -> list[str]:
    with pytest.raises(InputError) as caught:
        read(data, **changes)
    return [str(p) for p in caught.value.problems]


def test_the_engineering_division_of_a_company_export_reads_as_the_whole_organisation():
    org = read()
    assert len(org.people) == 36
    assert "HR/2019/301" not in org.people  # sales is outside
    assert org.people["HR/2016/101"].name == "Đặng Thu Hà"


def test_levels_are_read_by_title_in_any_case_and_through_the_level_map():
    people = read().people
    assert people["HR/2017/100"].level == "vp-engineering"  # "VP of Engineering": a title
    assert people["HR/2019/104"].level == "software-architect"  # "Staff Engineer": the pattern "Staff *"
    assert people["HR/2018/103"].level == "director-of-engineering"  # exact "Director, Engineering"
    assert people["HR/2020/211"].level == "senior-engineering-manager"  # a title wins over "*Engineering Manager*"
    titles = {p.level for p in people.values()}
    assert "software-engineer" in titles and "senior-software-engineer" in titles


def test_a_value_nothing_maps_is_quoted_as_written_with_the_closest_level():
    found = problems(level_map=())
    assert any("(column Job Title): error: unknown level 'Staff Engineer': the closest is" in p for p in found)
    assert any("unknown level 'Software Engineer II': the closest is Software Engineer (software-engineer)" in p
               for p in found)


def test_the_first_rule_of_a_level_map_that_matches_wins():
    rules = read_level_map("value,level\n*engineer*,lead-engineer\nStaff *,principal-architect\n", "m.csv", LADDER)
    assert read(level_map=rules).people["HR/2019/104"].level == "lead-engineer"


def test_a_level_map_naming_an_unknown_level_is_refused_with_its_line():
    with pytest.raises(InputError) as caught:
        read_level_map("value,level\nStaff *,staff-wizard\n", "m.csv", LADDER)
    assert str(caught.value.problems[0]).startswith("m.csv:2 (column level): error: unknown level 'staff-wizard'")


def test_managers_are_found_by_e_mail_in_any_case_and_exported_as_ids():
    org = read()
    fatima = org.people["HR/2019/104"]
    assert fatima.manager_id == "HR/2018/102"
    assert fatima.dotted_manager_ids == ("HR/2020/201",)  # "Sven.Lindqvist@..." as written in the file
    assert "HR/2018/102,HR/2020/201" in write_org_csv(org)


def test_a_manager_outside_the_file_is_one_error_naming_every_line_that_refers_to_them():
    found = problems(outside_managers="error")
    assert found == [
        "company.csv:11 (column Manager Email): error: there is no person 'm.kuehn@acme.example' in this file (line 2 "
        "is, but --where leaves it out); lines 11 and 12 refer to them: add them, or import with --outside-managers "
        "top to record that these people report outside the organisation",
        "company.csv:46 (column Manager Email): error: there is no person 'vendor.lead@contractors.example' in this "
        "file (by id, e-mail or name); line 46 refers to them: add them, or import with --outside-managers top to "
        "record that these people report outside the organisation",
    ]


def test_with_outside_managers_top_their_reports_report_outside_the_organisation():
    people = read().people
    outside = sorted(pid for pid, p in people.items() if p.reports_outside)
    assert outside == ["CTR 77", "HR/2016/101", "HR/2017/100"]
    assert all(people[pid].manager_id is None for pid in outside)


def test_an_export_with_people_reporting_outside_reads_back_the_same():
    org = read()
    text = write_org_csv(org)
    assert text.splitlines()[0].endswith(",reports_outside")
    again = read_org_csv(text, "export.csv", LADDER, as_of=AS_OF)
    assert write_org_csv(again) == text


def test_where_accepts_several_values_and_several_filters():
    everyone = read_level_map((HR / "level-map.csv").read_text() + "*,software-engineer\n", "m.csv", LADDER)
    org = read(where=parse_where(["division=engineering|SALES", "Location=Berlin"]), level_map=everyone)
    assert "HR/2019/301" in org.people and "CTR 77" not in org.people  # the contractor works remotely


def test_a_where_column_the_file_lacks_is_an_error():
    assert any("--where names column 'division '" not in p and "--where names column 'region'" in p
               for p in problems(where=parse_where(["Region=EMEA"])))


def test_bad_filters_and_outside_manager_choices_are_refused():
    with pytest.raises(InputError):
        parse_where(["Division"])
    with pytest.raises(InputError):
        parse_outside_managers("ignore")


def test_department_conflicts_are_reported_on_the_rows_that_differ_from_the_rest_of_their_team():
    text = EXPORT.read_text(encoding="utf-8-sig").replace(
        "Hanna Virtanen,hanna.virtanen@acme.example,Software Engineer I,chiara.bianchi@acme.example,,"
        "Engineering,Product Engineering",
        "Hanna Virtanen,hanna.virtanen@acme.example,Software Engineer I,chiara.bianchi@acme.example,,"
        "Engineering,Platform Engineering")
    found = problems(text)
    assert len(found) == 1
    assert "(column Department): error: team 'Checkout' is in department 'Platform Engineering' here but in " \
           "'Product Engineering' on line 16 and 6 other rows" in found[0]


def test_values_the_database_cannot_store_are_refused_with_line_and_column():
    text = EXPORT.read_text(encoding="utf-8-sig")
    text = text.replace("Zhang Wei", "Zhang\x00Wei").replace("Anna Kowalska", "Anna \x1b[31mKowalska")
    text = text.replace("HR/2017/100", "H" * 101, 1)
    found = problems(text)
    assert any(":11 (column Full Name): error: the value contains the control character U+0000" in p for p in found)
    assert any(":11 (column Employee ID): error: the value is 101 characters long; a id has at most 100" in p
               for p in found)
    assert any(":14 (column Full Name): error: the value contains the control character U+001B" in p for p in found)


def test_ids_a_web_address_cannot_hold_are_refused():
    text = EXPORT.read_text(encoding="utf-8-sig").replace("EXT.0042", "EXT/../0042")
    assert any("the id 'EXT/../0042' has an empty, '.' or '..' part between slashes" in p for p in problems(text))


def test_a_long_list_of_problems_stops_at_the_first_hundred_and_counts_the_rest_by_kind():
    rows = "".join(f"p{i},Person {i},wizard,nobody{i % 3}\n" for i in range(5000))
    with pytest.raises(InputError) as caught:
        read_org_csv("id,name,level,manager_id\n" + rows, "bad.csv", LADDER, as_of=AS_OF)
    found = caught.value.problems
    assert len(found) == MAX_PROBLEMS + 1
    assert [p.line for p in found[:3]] == [2, 2, 3]  # the first lines come first, each with all its problems
    assert found[-1].message.startswith("and 4,903 more problems not listed (4,903 unknown level (column level))")


BY_NAME = ("id,name,level,manager_id,dotted_manager_ids,Division\n"
           "e1,Ada Lovelace,cto,,,Engineering\n"
           "e2,Grace Hopper,engineering-manager,ADA  LOVELACE,,Engineering\n"
           "e3,Alan Turing,software-engineer,grace hopper,Ada Lovelace,Engineering\n")


def test_a_manager_is_named_by_the_name_of_the_one_person_in_the_file_who_has_it():
    org = read_org_csv(BY_NAME, "names.csv", LADDER, as_of=AS_OF, mapping=parse_mapping("Division="))
    assert [(p.id, p.manager_id, p.dotted_manager_ids) for p in org.people.values()] == [
        ("e1", None, ()), ("e2", "e1", ()), ("e3", "e2", ("e1",))]


def test_a_name_two_people_share_cannot_name_a_manager():
    text = BY_NAME + "e4,Ada Lovelace,software-engineer,e1,,Engineering\n"
    with pytest.raises(InputError) as caught:
        read_org_csv(text, "names.csv", LADDER, as_of=AS_OF, mapping=parse_mapping("Division="))
    assert [(p.line, p.column, p.message) for p in caught.value.problems] == [
        (3, "manager_id", "two people in the file are named 'ADA  LOVELACE': name the manager by id or e-mail"),
        (4, "dotted_manager_ids", "two people in the file are named 'Ada Lovelace': name the manager by id or "
                                  "e-mail")]


def test_a_manager_named_by_the_name_of_a_row_where_leaves_out_says_so():
    text = BY_NAME.replace("e1,Ada Lovelace,cto,,,Engineering", "e1,Ada Lovelace,cto,,,Board")
    with pytest.raises(InputError) as caught:
        read_org_csv(text, "names.csv", LADDER, as_of=AS_OF,
                     options=ReadOptions(where=parse_where(["Division=Engineering"])))
    assert [p.message.split(";")[0] for p in caught.value.problems] == [
        "there is no person 'ADA  LOVELACE' in this file (line 2 is, but --where leaves it out)",
        "there is no person 'Ada Lovelace' in this file (line 2 is, but --where leaves it out)"]


def test_a_refused_file_does_not_call_a_manager_named_by_name_missing():
    # The first row refuses the file, so nobody after it is built: their names are read again.
    text = BY_NAME.replace("e1,Ada Lovelace,cto,,,Engineering",
                           "e0,Nobody,wizard,,,Engineering\ne1,Ada Lovelace,cto,,,Engineering")
    with pytest.raises(InputError) as caught:
        read_org_csv(text, "names.csv", LADDER, as_of=AS_OF, mapping=parse_mapping("Division="))
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, "level")]
