"""A file of bad rows gets a bounded answer: the first 100 problems in full, the rest counted by kind,
and none of the rest is ever written out, nor any person built once the file is known to be refused."""

from __future__ import annotations

from datetime import date

import pytest

from trellis.ladder.load import load_default
from trellis.lib.problems import InputError
from trellis.org import csvio
from trellis.org.csvio import MAX_PROBLEMS, read_org_csv

LADDER = load_default().ladder
AS_OF = date(2026, 1, 5)
HEADER = "id,name,email,level,manager_id,team,department,roles,since\n"
ROWS = 3000


def bad_file(rows: int = ROWS, managers: bool = True) -> str:
    """Every row: a distinct unknown level, a bad e-mail, a bad date, and a manager missing from the file."""
    return HEADER + "".join(f"p{i},Person {i},p{i} at acme,Wizard {i},{f'nobody{i}' if managers else ''},,,,"
                            f"{i}/01/2024\n" for i in range(rows))


def refusal(data: str | bytes) -> list[csvio.Problem]:
    with pytest.raises(InputError) as caught:
        read_org_csv(data, "bad.csv", LADDER, as_of=AS_OF)
    return caught.value.problems


def test_a_file_of_bad_rows_lists_exactly_the_first_hundred_problems_and_counts_the_rest_by_kind():
    found = refusal(bad_file())
    assert len(found) == MAX_PROBLEMS + 1
    assert [p.line for p in found[:4]] == [2, 2, 2, 2]  # all of the first row's problems, then the next row's
    assert found[99].line == 26
    total = 4 * ROWS  # four problems a row
    assert found[-1].message.startswith(
        f"and {total - MAX_PROBLEMS:,} more problems not listed ("
        f"{ROWS - 25:,} not an e-mail address (column email), {ROWS - 25:,} not a date (column since), "
        f"{ROWS - 25:,} unknown level (column level), {ROWS - 25:,} a manager missing from the file "
        "(column manager_id))")


def test_problems_past_the_hundredth_are_never_written_out(monkeypatch):
    closest, built = [], []
    real_closest, real_problem = csvio._closest_level, csvio.Problem

    def counted_closest(value, ladder):  # type: ignore[no-untyped-def]
        closest.append(value)
        return real_closest(value, ladder)

    def counted_problem(*args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(args)
        return real_problem(*args, **kwargs)

    monkeypatch.setattr(csvio, "_closest_level", counted_closest)
    monkeypatch.setattr(csvio, "Problem", counted_problem)
    refusal(bad_file(managers=False))
    # Three problems a row: the closest level is worked out for the 34 rows that fill the hundred
    # only, not for 3,000 distinct values, and nothing else is ever written out.
    assert len(closest) == 34
    assert len(built) == MAX_PROBLEMS + 1  # the hundred listed and the line that counts the rest

    closest.clear()
    built.clear()
    refusal(bad_file())
    # The missing managers are found once every row is read, on lines among the first: each one
    # listed takes the place of a later problem, which was written out and is now only counted.
    assert len(closest) == 34
    assert len(built) <= 2 * MAX_PROBLEMS + 1


def test_no_person_is_built_once_the_file_is_known_to_be_refused(monkeypatch):
    built = []
    real = csvio.Person

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(csvio, "Person", counted)
    good = "".join(f"g{i},Good {i},,software-engineer,,,,,\n" for i in range(5))
    refusal(HEADER + good + "bad,Bad,,wizard,,,,,\n" + good.replace("g", "h"))
    assert built == ["g0", "g1", "g2", "g3", "g4"]


def test_a_cycle_among_people_read_after_the_refusal_still_names_them():
    text = HEADER + ("first,First,,wizard,,,,,\n"
                     "a,Ana Lima,,software-engineer,b,,,,\n"
                     "b,'=Bo Berg,,software-engineer,a,,,,\n")
    first, cycle = (str(p) for p in refusal(text))
    assert first.startswith("bad.csv:2 (column level): error: unknown level 'wizard'")
    assert cycle == ("bad.csv:3 (column manager_id): error: reporting cycle: Ana Lima (a) -> =Bo Berg (b) -> "
                     "Ana Lima (a); someone in it must report elsewhere")


def test_a_byte_that_is_not_utf8_deep_in_a_long_file_is_the_one_problem_named_with_its_line():
    data = bad_file().encode() + b"late,Late \xff,,software-engineer,,,,,\n"
    assert [str(p) for p in refusal(data)] == [
        f"bad.csv:{ROWS + 2}: error: the file is not UTF-8 text (a byte here cannot be read): save it as CSV UTF-8, "
        "or name its encoding with --encoding (cp1252 for most Windows exports)"]


def test_cross_row_problems_on_early_lines_displace_later_ones():
    # The rows' own problems fill the hundred first; a reporting cycle found afterwards on line 2
    # still comes first, and the count says one more of the others was left out.
    rows = "".join(f"p{i},Person {i},,Wizard {i},,,,,\n" for i in range(150))
    text = HEADER + "a,Ana,,software-engineer,b,,,,\n" + "b,Bo,,software-engineer,a,,,,\n" + rows
    found = refusal(text)
    assert found[0].message.startswith("reporting cycle: Ana (a) -> Bo (b) -> Ana (a)")
    assert len(found) == MAX_PROBLEMS + 1
    assert found[-1].message.startswith("and 51 more problems not listed (51 unknown level (column level))")


def test_a_reporting_cycle_by_e_mail_is_found_beside_other_problems():
    """Managers named by e-mail are followed for cycles even when a later row already refuses the file."""
    data = HEADER + ("a,Ann,a@x.org,lead-engineer,b@x.org,,,,\n"
                     "b,Bob,b@x.org,lead-engineer,A@X.ORG,,,,\n"
                     "c,Cy,c@x.org,wizard,,,,,\n")
    found = refusal(data)
    assert [p.line for p in found if "unknown level" in p.message] == [4]
    cycles = [p for p in found if "cycle" in p.message]
    assert [p.message for p in cycles] == [
        "reporting cycle: Ann (a) -> Bob (b) -> Ann (a); someone in it must report elsewhere"]
