"""A small CSV table with named columns, read all or nothing with every problem located.

For files simpler than the organisation's (ratings, evidence): a header naming known columns
in any order, then one record per row. The organisation CSV has its own reader
(``trellis.org.csvio``) for its mappings and speed; the messages follow the same style.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterator
from dataclasses import dataclass

from trellis.lib.problems import InputError, Problem
from trellis.org.csvio import decode


@dataclass(frozen=True, slots=True)
class Row:
    line: int  # the line the record starts on, counting from 1
    cells: dict[str, str]  # column -> stripped value ("" when the column is absent)


def read_table(data: str | bytes, source: str, columns: tuple[str, ...], required: tuple[str, ...],
               what: str) -> tuple[list[Row], list[Problem]]:
    """The rows of the table and the problems of its header and shape; blank lines are skipped.

    ``what`` says what one row is ("one row per rating"), for the message about an empty file.
    Raises ``InputError`` only when the rows cannot be read at all (no header, required columns missing).
    """
    text = decode(data, source)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    while header is not None and not any(c.strip() for c in header):
        header = next(reader, None)
    if header is None:
        raise InputError([Problem(source, 1, f"the file is empty: it needs a header row ({', '.join(columns)}) "
                                             f"and {what}")])
    header_line = reader.line_num
    problems: list[Problem] = []
    position: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = raw.strip().lower()
        if not name:
            continue
        if name not in columns:
            guess = difflib.get_close_matches(name, columns, n=1)
            hint = f"did you mean '{guess[0]}'? " if guess else ""
            problems.append(Problem(source, header_line, f"unknown column '{raw.strip()}': {hint}the columns are "
                                                         f"{', '.join(columns)}", column=raw.strip()))
        elif name in position:
            problems.append(Problem(source, header_line, f"column '{name}' appears twice: keep one", column=name))
        else:
            position[name] = i
    missing = [c for c in required if c not in position]
    if missing:
        problems += [Problem(source, header_line, f"the required column '{c}' is missing from the header "
                                                  f"(required: {', '.join(required)})") for c in missing]
        raise InputError(problems)
    rows: list[Row] = []
    width = len(header)
    for line, record in _records(reader, header_line, source, problems):
        cells = [c.strip() for c in record]
        if not any(cells):
            continue
        if len(cells) > width and not any(cells[width:]):
            cells = cells[:width]
        if len(cells) != width:
            more = "more" if len(cells) > width else "fewer"
            problems.append(Problem(source, line, f"this row has {len(cells)} fields, {more} than the header's "
                                                  f"{width}: quote values that contain commas"))
            continue
        rows.append(Row(line, {c: cells[i] if i is not None else "" for c in columns
                               for i in [position.get(c)]}))
    return rows, problems


def _records(reader: csv._reader, after: int, source: str,  # type: ignore[name-defined]
             problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    previous_end = after
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(Problem(source, reader.line_num, f"this row cannot be read as CSV ({exc}): "
                                                             "check its quotes"))
            previous_end = reader.line_num
            continue
        yield previous_end + 1, record
        previous_end = reader.line_num
