"""Reading an organisation CSV: every rule of the contract, every problem with its line and column."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import FIXTURES
from trellis.ladder.load import load_default
from trellis.lib.problems import InputError
from trellis.org.csvio import read_org_csv

ORG = FIXTURES / "org"
LADDER = load_default().ladder
AS_OF = date(2025, 7, 1)


def read(name: str):  # type: ignore[no-untyped-def]
    path = ORG / name
    return read_org_csv(path.read_bytes(), str(path), LADDER, as_of=AS_OF)


def problems_of(name: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        read(name)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(("name", "expected"), [
    ("duplicate-id.csv", ":5 (column id): error: duplicate id 'em' (first on line 3)"),
    ("unknown-level.csv", ":5 (column level): error: unknown level 'junior-wizard': give a level id or title"),
    ("unknown-role.csv", ":5 (column roles): error: unknown role 'scrum_master'"),
    ("role-without-team.csv", ":5 (column roles): error: the role 'tech_lead' applies to the person's own team, "
                              "and no team is given"),
    ("role-on-empty-team.csv", ":5 (column roles): error: the role 'tech_lead@' names no team"),
    ("role-on-unknown-team.csv", ":5 (column roles): error: the role 'tech_lead@payment' is on an unknown team: "
                                 "no row works in 'payment' and the organisation has no such team; did you mean "
                                 "'payments'? correct the team's name, or give the team to its members"),
    ("unknown-manager.csv", ":5 (column manager_id): error: there is no person 'nobody' in this file"),
    ("unknown-dotted-manager.csv", ":5 (column dotted_manager_ids): error: there is no person 'ghost'"),
    ("self-manager.csv", ":5 (column manager_id): error: 'e1' is their own manager"),
    ("self-dotted-manager.csv", ":5 (column dotted_manager_ids): error: 'e1' is their own dotted manager"),
    ("reporting-cycle.csv", ":5 (column manager_id): error: reporting cycle: Dana Li (e1) -> Eli Ng (e2) -> "
                            "Femi Sato (e3) -> Dana Li (e1)"),
    ("bad-email.csv", ":5 (column email): error: 'dana at example.org' is not an email address"),
    ("bad-date.csv", ":5 (column since): error: '2024-02-30' is not a date: write it as YYYY-MM-DD"),
    ("missing-name.csv", ":5 (column name): error: the name is missing"),
    ("missing-id.csv", ":5 (column id): error: the id is missing"),
    ("missing-level.csv", ":5 (column level): error: the level is missing"),
    ("unknown-column.csv", ":1 (column manger_id): error: unknown column 'manger_id': did you mean 'manager_id'?"),
    ("duplicate-column.csv", ":1 (column Email): error: column 'email' appears twice (as 'email' and 'Email')"),
    ("missing-required-column.csv", ":1: error: the required column 'level' is missing from the header"),
    ("two-departments.csv", ":5 (column department): error: team 'payments' is in department 'Finance' here but "
                            "in 'Money' on line 3 and 1 other row"),
    ("bad-preferred-track.csv", ":5 (column preferred_track): error: unknown preferred track 'sideways'"),
    ("too-many-fields.csv", ":5: error: this row has 12 fields, more than the header's 11"),
    ("too-few-fields.csv", ":5: error: this row has 5 fields, fewer than the header's 11"),
    ("header-only.csv", ":1: error: the file has a header but no people"),
    ("empty.csv", ":1: error: the file is empty"),
    ("not-utf8.csv", ":3: error: the file is not UTF-8 text"),
])
def test_each_rule_is_reported_with_its_line_and_column(name, expected):
    problems = problems_of(name)
    assert any(p.startswith(str(ORG / name) + expected) for p in problems), problems


def test_it_lists_every_problem_in_a_file_not_only_the_first():
    problems = [p.split(": error: ")[0].rsplit(":", 1)[1] for p in problems_of("many-problems.csv")]
    assert problems == ["5 (column id)", "5 (column manager_id)", "6 (column level)", "6 (column email)",
                        "6 (column since)", "6 (column roles)", "6 (column manager_id)", "6 (column department)"]


def test_an_unknown_column_does_not_stop_the_rows_being_checked():
    text = "id,name,level,favourite_colour\ne1,Ada,cto,blue\ne2,Bo,wizard,red\n"
    with pytest.raises(InputError) as caught:
        read_org_csv(text, "org.csv", LADDER, as_of=AS_OF)
    assert [(p.line, p.column) for p in caught.value.problems] == [(1, "favourite_colour"), (3, "level")]


def test_a_byte_order_mark_and_columns_in_any_order_and_case_are_read():
    org = read("bom-and-mixed-case-header.csv")
    assert org.people["em"].name == "Björn Ørsted"
    assert org.people["em"].manager_id == "cto"
    assert [(r.person_id, r.team, r.role) for r in org.roles] == [("em", "payments", "people_manager")]


def test_a_role_at_another_team_applies_there_when_the_team_is_in_the_file_or_already_known():
    text = ("id,name,level,team,roles,since\n"
            "a1,Ana,software-architect,,tech_lead@search;tech_lead@maps,2024-01-02\n"
            "m1,Mo,engineering-manager,payments,people_manager;people_manager@search,\n"
            "e1,Eve,software-engineer,search,,\n")
    org = read_org_csv(text, "org.csv", LADDER, as_of=AS_OF, known_teams={"maps", "billing"})
    assert [(r.person_id, r.team, r.role, r.start) for r in org.roles] == [
        ("a1", "maps", "tech_lead", date(2024, 1, 2)), ("a1", "search", "tech_lead", date(2024, 1, 2)),
        ("m1", "payments", "people_manager", None), ("m1", "search", "people_manager", None)]
    assert sorted(org.teams) == ["maps", "payments", "search"]
    assert org.people["a1"].team is None


def test_a_role_on_a_team_neither_in_the_file_nor_known_is_refused_with_the_names_it_may_mean():
    text = ("id,name,level,team,roles\n"
            "a1,Ana,software-architect,,tech_lead@nowhere;tech_lead@Serch\n"
            "m1,Mo,engineering-manager,Search,people_manager\n")
    with pytest.raises(InputError) as caught:
        read_org_csv(text, "org.csv", LADDER, as_of=AS_OF, known_teams={"Searches"})
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, "roles"), (2, "roles")]
    nowhere, serch = (p.message for p in caught.value.problems)
    assert "'tech_lead@nowhere' is on an unknown team" in nowhere and "did you mean" not in nowhere
    assert "did you mean 'Search' or 'Searches'?" in serch


def test_since_is_the_start_of_the_level_and_everyone_read_is_active():
    org = read("bom-and-mixed-case-header.csv")
    assert all(p.active for p in org.people.values())
    text = "id,name,level,since\na1,Ana,lead-engineer,2023-04-05\n"
    person = read_org_csv(text, "org.csv", LADDER, as_of=AS_OF).people["a1"]
    assert person.level_since == date(2023, 4, 5)


def test_a_since_after_the_import_date_is_refused():
    with pytest.raises(InputError) as caught:
        read_org_csv("id,name,level,since\na1,Ana,cto,2030-01-01\n", "org.csv", LADDER, as_of=AS_OF)
    assert "since 2030-01-01 is after 2025-07-01, the import date" in str(caught.value)


def test_a_since_after_the_date_names_that_date_as_the_caller_calls_it():
    with pytest.raises(InputError) as caught:
        read_org_csv("id,name,level,since\na1,Ana,cto,2030-01-01\n", "org.csv", LADDER, as_of=AS_OF,
                     date_name="the date of the report")
    assert [p.message for p in caught.value.problems] == [
        "since 2030-01-01 is after 2025-07-01, the date of the report"]


def test_progress_is_reported_every_few_thousand_rows_and_at_the_end():
    rows = "".join(f"p{i},Person {i},software-engineer\n" for i in range(12_345))
    seen: list[int] = []
    read_org_csv("id,name,level\n" + rows, "big.csv", LADDER, as_of=AS_OF, progress=seen.append)
    assert seen == [5000, 10000, 12345]


def test_blank_lines_before_the_header_and_between_rows_are_skipped_and_lines_still_count():
    text = "\n\nid,name,level,colour\n\na1,Ana,cto,red\n"
    with pytest.raises(InputError) as caught:
        read_org_csv(text, "org.csv", LADDER, as_of=AS_OF)
    assert [(p.line, p.column) for p in caught.value.problems] == [(3, "colour")]
    org = read_org_csv(text.replace(",colour", "").replace(",red", ""), "org.csv", LADDER, as_of=AS_OF)
    assert list(org.people) == ["a1"]


def test_windows_line_ends_and_quoted_line_breaks_keep_line_numbers_true():
    text = 'id,name,level\r\na1,"Ana\r\nOkafor",cto\r\na2,Bo,wizard\r\n'
    with pytest.raises(InputError) as caught:
        read_org_csv(text.encode("utf-8-sig"), "org.csv", LADDER, as_of=AS_OF)
    # A line break inside a name is refused (a control character), and still counted as a line.
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, "name"), (4, "level")]


def test_a_row_with_its_manager_by_e_mail_and_no_department_in_a_team_with_one_is_read():
    text = ("id,name,level,email,manager_id,team,department\n"
            "a,Alice,software-engineer,alice@x.com,,t1,D\n"
            "b,Bob,software-engineer,,alice@x.com,t1,\n")
    digests: dict[str, str] = {}
    org = read_org_csv(text, "org.csv", LADDER, as_of=AS_OF, digests=digests)
    assert org.people["b"].manager_id == "a" and org.teams["t1"].department == "D"
    # Bob's row says neither his manager's id nor his team's department: it is not remembered as stored.
    assert list(digests) == ["a"]


def test_a_refused_file_still_finds_a_manager_named_by_the_e_mail_of_someone_read_before_its_first_problem():
    text = ("id,name,level,email,manager_id\n"
            "a,Alice,software-engineer,alice@x.com,\n"
            "b,Bob,nonsense,,a\n"
            "c,Carol,software-engineer,,alice@x.com\n")
    with pytest.raises(InputError) as caught:
        read_org_csv(text, "org.csv", LADDER, as_of=AS_OF)
    assert [(p.line, p.column) for p in caught.value.problems] == [(3, "level")]
