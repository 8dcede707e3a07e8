"""Real exports come in other shapes than ours: semicolons where the comma is the decimal mark, tabs and
UTF-16 from a spreadsheet's "Unicode text", Windows encodings, day-first or month-first dates. Each is
read as the same organisation as the UTF-8, comma-separated, ISO-dated file; a shape that cannot be
read says what to give."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from tests.org.test_read_hr_export import EXPORT, LADDER, options
from trellis.lib.problems import InputError
from trellis.org.csvio import parse_date_format, parse_encoding, read_org_csv

AS_OF = date(2026, 1, 5)
SINCE = "Position Start Date"
# Letters of the fixture that a Windows Western encoding cannot hold, and what a Windows export writes instead.
OUTSIDE_CP1252 = str.maketrans({"ặ": "a", "ř": "r", "ı": "i", "Đ": "D"})


def reshaped(text: str, *, delimiter: str, since: str | None = None) -> str:
    """The export written again with another separator and, given a strftime pattern, other dates."""
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    at = rows[0].index(SINCE)
    for row in rows[1:]:
        if since is not None and row[at]:
            row[at] = date.fromisoformat(row[at]).strftime(since)
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def read(data: bytes | str, **changes: object):  # type: ignore[no-untyped-def]
    return read_org_csv(data, "export", LADDER, as_of=AS_OF, options=options(**changes))


def original(text: str | None = None):  # type: ignore[no-untyped-def]
    return read((text or EXPORT.read_text(encoding="utf-8-sig")).encode("utf-8"))


def test_a_semicolon_separated_windows_export_with_day_first_dates_reads_as_the_same_organisation():
    text = EXPORT.read_text(encoding="utf-8-sig").translate(OUTSIDE_CP1252)
    data = reshaped(text, delimiter=";", since="%d.%m.%Y").encode("cp1252")
    shaped = read(data, encoding=parse_encoding("cp1252"), date_format=parse_date_format("%d.%m.%Y"))
    assert shaped == original(text)
    assert any("ü" in p.name for p in shaped.people.values()), "the Windows letters are read as written"


def test_a_spreadsheets_unicode_text_tab_separated_utf16_reads_as_the_same_organisation_without_options():
    text = EXPORT.read_text(encoding="utf-8-sig")
    data = reshaped(text, delimiter="\t").encode("utf-16")  # with its byte-order mark, as spreadsheets write it
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert read(data) == original()


def test_month_first_dates_read_with_their_format_and_a_date_in_another_format_is_named_by_line():
    text = reshaped(EXPORT.read_text(encoding="utf-8-sig"), delimiter=",", since="%m/%d/%Y")
    assert read(text.encode(), date_format="%m/%d/%Y") == original()
    with pytest.raises(InputError) as refused:
        read(text.encode())
    first = refused.value.problems[0]
    written = first.message.split("'")[1]
    assert first.column == SINCE and written in text.splitlines()[first.line - 1]
    assert "is not a date: write it as YYYY-MM-DD, or give the file's date format with --date-format" in first.message
    with pytest.raises(InputError) as wrong:
        read(text.encode(), date_format="%d/%m/%Y")
    assert any("is not a date in the file's format %d/%m/%Y" in p.message for p in wrong.value.problems)


def test_a_windows_file_read_as_utf8_says_which_line_and_what_to_give():
    text = EXPORT.read_text(encoding="utf-8-sig").translate(OUTSIDE_CP1252)
    data = text.encode("cp1252")
    with pytest.raises(InputError) as refused:
        read(data)
    [problem] = refused.value.problems
    assert problem.line == text.splitlines().index(next(line for line in text.splitlines() if "ü" in line)) + 1
    assert "not UTF-8 text" in problem.message and "--encoding (cp1252 for most Windows exports)" in problem.message


def test_a_row_with_too_many_fields_is_told_to_quote_by_its_own_separator():
    text = reshaped(EXPORT.read_text(encoding="utf-8-sig"), delimiter=";")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if ";Engineering;" in line)  # a row the filter keeps
    lines[at] += ";extra"
    with pytest.raises(InputError) as refused:
        read("\n".join(lines).encode())
    assert any("quote values that contain semicolons" in p.message for p in refused.value.problems)


@pytest.mark.parametrize(("given", "expected"), [("cp1252", "cp1252"), ("Latin-1", "iso8859-1"), ("", None),
                                                 (None, None)])
def test_an_encoding_is_named_as_python_knows_it(given, expected):
    assert parse_encoding(given) == expected


@pytest.mark.parametrize("bad", ["klingon", "utf-99", "base64", "rot13", "zlib"])
def test_an_unknown_encoding_is_refused_with_examples(bad):
    with pytest.raises(InputError) as refused:
        parse_encoding(bad)
    assert f"'{bad}' is not a text encoding: give one such as utf-8, cp1252" in refused.value.problems[0].message


@pytest.mark.parametrize("bad", ["%m/%Y", "%d/%m", "dd/mm/yyyy", "%Y-%m-%d %Q"])
def test_a_date_format_must_read_a_whole_date(bad):
    with pytest.raises(InputError) as refused:
        parse_date_format(bad)
    assert "does not read a whole date" in refused.value.problems[0].message
