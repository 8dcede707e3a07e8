"""The organisation CSV: read it (checking every rule, listing every problem) and write it.

The contract is documented in docs/org-csv.md. Reading is all-or-nothing: any problem
raises ``InputError`` with every problem found, each with its line and column, so a
user fixes a file in one pass instead of one error per attempt.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import fnmatch
import functools
import hashlib
import heapq
import io
import itertools
import operator
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from trellis.ladder.model import Ladder
from trellis.lib.gcpause import gc_paused
from trellis.lib.problems import InputError, Problem
from trellis.org.model import PREFERRED_TRACKS, ROLES, OrgSnapshot, Person, RoleSpan, Team
from trellis.org.names import fold

# The columns in the order the writer puts them; the reader accepts any order.
COLUMNS: tuple[str, ...] = (
    "id", "name", "email", "level", "manager_id", "dotted_manager_ids",
    "team", "department", "roles", "preferred_track", "since", "reports_outside",
)
REQUIRED: tuple[str, ...] = ("id", "name", "level")
LIST_SEPARATOR = ";"
TEAM_MARK = "@"
UNDECIDED = "undecided"
PROGRESS_EVERY = 5000

# Deliberately loose: it catches the usual slips (no @, spaces, no domain dot) without
# rejecting the odd but valid addresses real directories hold.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# What the database can store, checked when the file is read so that SQLite and PostgreSQL
# answer alike (PostgreSQL refuses NUL and a too-long value with an error mid-import; SQLite
# stores anything). The lengths are those of the organisation's tables, which a test keeps equal.
MAX_LENGTH: dict[str, int] = {"id": 100, "name": 300, "email": 300, "team": 200, "department": 200}
# Control characters (C0, DEL, C1) have no place in a name or an id: NUL cannot be stored and
# escape sequences would be replayed on the terminal of whoever reads an error or an export.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Parts of a URL path that browsers rewrite ('.' and '..' segments, empty segments), and a last
# part that the addresses under a person or team use (/history, /edit...): an id or a team name
# made of them could not be linked to, so it is refused when read.
RESERVED_ENDINGS: tuple[str, ...] = ("history", "summary", "evidence", "edit", "preferred-track")
BAD_PATH = re.compile(r"(^|/)\.{1,2}(/|$)|//|^/|/$|/(" + "|".join(map(re.escape, RESERVED_ENDINGS)) + ")$")
_ENDINGS_TEXT = ", ".join(f"/{e}" for e in RESERVED_ENDINGS)

MAX_PROBLEMS = 100  # problems listed one by one; the rest are counted by kind
MAX_DATES = 10_000  # distinct dates remembered while reading (a file of bad rows may have a new one on every row)

YES = ("yes", "true", "1", "y")
NO = ("no", "false", "0", "n", "")
OUTSIDE_MANAGERS = ("error", "top")

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading quote before a formula start, and before
    a quote that already precedes one (so that ``unneutralise`` gives back exactly ``value``)."""
    stripped = value.lstrip("'")
    return "'" + value if stripped.startswith(FORMULA_START) else value


def unneutralise(value: str) -> str:
    """The value a ``neutralise``d cell stands for: one leading quote off, when quotes precede a formula start."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_START):
        return value[1:]
    return value


@dataclass(frozen=True)
class LevelRule:
    """One line of a level map: a value (exact, or a shell-style pattern) and the level it means."""

    pattern: str  # lower case
    level: str
    line: int

    def matches(self, value: str) -> bool:
        return fnmatch.fnmatchcase(value, self.pattern)


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file that is not written in our format (an HR system's export).

    ``where``: (file column, lower case; accepted values, lower case): only matching rows are read.
    ``outside_managers``: ``error`` (a manager missing from the file is an error) or ``top`` (the
    people who report to one are imported as reporting outside the organisation)."""

    mapping: dict[str, str | None] | None = None
    level_map: tuple[LevelRule, ...] = ()
    where: tuple[tuple[str, frozenset[str]], ...] = ()
    outside_managers: str = "error"
    encoding: str | None = None  # None: UTF-8 (or UTF-16, when the file starts with its byte-order mark)
    date_format: str | None = None  # None: YYYY-MM-DD; else a pattern such as "%d/%m/%Y"


# The separators a spreadsheet writes (a comma, or a semicolon where the comma is the decimal mark,
# a tab for "Unicode text", a bar), told apart by the header line.
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}


def parse_encoding(text: str | None, source: str = "--encoding") -> str | None:
    """A text encoding's name as Python knows it (``cp1252``, ``latin-1``, ``utf-16``), or None for the default."""
    if text is None or not text.strip():
        return None
    try:
        found = codecs.lookup(text.strip())
    except LookupError:
        found = None
    if found is None or not getattr(found, "_is_text_encoding", True):  # base64, zlib: codecs, not encodings
        raise InputError([Problem(source, None, f"'{text}' is not a text encoding: give one such as utf-8, cp1252 "
                                                "(most Windows exports), latin-1 or utf-16")])
    return found.name


def parse_date_format(text: str | None, source: str = "--date-format") -> str | None:
    """A date pattern such as ``%d/%m/%Y`` (the codes of Python's strftime), checked to read back a date
    whole: it names the year, the month and the day. None for the default, YYYY-MM-DD."""
    if text is None or not text.strip():
        return None
    pattern = text.strip()
    probe = date(2031, 12, 24)
    try:
        back = datetime.strptime(probe.strftime(pattern), pattern).date()
    except ValueError:
        back = None
    if back != probe:
        raise InputError([Problem(source, None, f"'{text}' does not read a whole date: write the year, month and "
                                                "day with %Y, %m and %d, for example %d/%m/%Y or %m/%d/%Y")])
    return pattern


def _encoding(data: bytes, chosen: str | None) -> str:
    """How the file's bytes are read: a byte-order mark says it outright; else the encoding given, or UTF-8."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    if data[:3] == codecs.BOM_UTF8:
        return "utf-8-sig"
    return chosen or "utf-8-sig"


def _delimiter(line: str) -> str:
    """The separator of a file whose header is ``line``: the one it holds most often outside quotes
    (a comma when none is there or on a tie)."""
    outside = "".join(line.split('"')[::2])
    counts = [(outside.count(d), -i, d) for i, d in enumerate(DELIMITERS)]
    best = max(counts)
    return best[2] if best[0] else ","


@dataclass
class KnownRows:
    """What an earlier import stored, for taking an unchanged row without reading it again.

    ``people``: the digest of a row (``row_digests``) -> the active person it gave, stored exactly as
    the row says since (only rows that say exactly what was stored, of people nobody has changed
    inside Trellis since). A row found here is not built into a person at all: the reading holds
    the rows read, and ``taken`` is filled with the people whose rows were taken, so that a re-import
    compares and writes only what the file changed.

    The checks across rows still see every row, from what was stored of the taken ones:
    ``team_of``, ``manager_of``, ``dotted_of``, ``e_mail_of`` and ``name_of`` (person -> their team,
    solid manager, dotted managers, e-mail and name as stored; None, empty or left out when they
    have none; the last two are asked for only when a row names a manager by e-mail or by name),
    ``departments`` (team -> its department). The taken rows' roles are as stored, on teams that
    exist: the reading must be given those in ``known_teams``. A file with any problem is read again
    from the start without them, so its problems are exactly those of a first reading.

    ``unsettled`` is filled with the taken people whose team the file gives another department: their
    rows no longer say exactly what the organisation holds.

    The checks across rows ask three questions of the people stored (``managers``, ``reports_of``,
    ``members``), answered here from ``manager_of`` and ``team_of``, each with a step per person: a
    subclass that holds the people otherwise (by columns, say) answers them its own way."""

    people: Mapping[str, str]
    team_of: Mapping[str, str | None]
    manager_of: Mapping[str, str | None]
    dotted_of: Mapping[str, tuple[str, ...]]
    e_mail_of: Mapping[str, str]
    name_of: Mapping[str, str]
    departments: Mapping[str, str | None]
    taken: set[str] = field(default_factory=set)
    unsettled: set[str] = field(default_factory=set)

    def managers(self) -> set[str]:
        """Everyone stored as someone's solid manager (perhaps of someone whose row is not taken)."""
        managers = set(self.manager_of.values())
        managers.discard(None)
        return managers  # type: ignore[return-value]

    def reports_of(self, managers: Collection[str]) -> Iterable[str]:
        """The people stored with one of ``managers`` as their solid manager."""
        return (pid for pid, manager in self.manager_of.items() if manager in managers)

    def members(self, teams: Collection[str]) -> Iterable[tuple[str, str]]:
        """The people stored in one of ``teams``, each with their team."""
        return ((pid, team) for pid, team in self.team_of.items() if team is not None and team in teams)


# Bumped whenever a rule for reading one row changes: rows remembered under other rules are read again.
# 2: a row's digest is of its line as written, so that a row taken is never parsed.
# 3: the digest is salted with what decides how rows are read, so that a block of lines is digested at once.
# 4: a line is digested with its line ending, so that a block is encoded at once.
READ_RULES = 4


def _row_hasher(header_row: list[str], delimiter: str, options: ReadOptions, ladder: Ladder) -> Callable[[bytes], Any]:
    """A line's digest, salted with whatever decides how a row is read (the header and the separator it gives
    the rows, the options, the ladder's levels and titles, the rules), so that a row read another way never
    matches. The mapping keeps its order: a name in several columns is joined in it."""
    context = repr((READ_RULES, header_row, delimiter, list((options.mapping or {}).items()),
                    [(rule.pattern, rule.level) for rule in options.level_map],
                    [(column, sorted(values)) for column, values in options.where], options.outside_managers,
                    options.encoding, options.date_format, sorted(ladder.level_names.items())))
    # The context's digest goes in the salt and personalisation, which cost nothing (a key costs a block per line).
    given = hashlib.blake2b(context.encode("utf-8", "surrogatepass"), digest_size=32).digest()
    return functools.partial(hashlib.blake2b, digest_size=16, salt=given[:16], person=given[16:])


class _ReadAgain(Exception):
    """A file read with known rows has a problem: it is read again without them, as a first reading."""


def parse_where(texts: list[str] | tuple[str, ...], source: str = "--where") -> tuple[tuple[str, frozenset[str]], ...]:
    """``"Division=Engineering|Platform"`` -> (("division", {"engineering", "platform"}),); all problems at once."""
    problems: list[Problem] = []
    where: list[tuple[str, frozenset[str]]] = []
    for text in texts:
        column, mark, values = text.partition("=")
        wanted = frozenset(v.strip().lower() for v in values.split("|") if v.strip())
        if not mark or not column.strip() or not wanted:
            problems.append(Problem(source, None, f"'{text}' is not a filter: write COLUMN=VALUE or "
                                                  "COLUMN=VALUE|VALUE, the column named as in the file"))
            continue
        where.append((column.strip().lower(), wanted))
    if problems:
        raise InputError(problems)
    return tuple(where)


def parse_outside_managers(text: str | None, source: str = "--outside-managers") -> str:
    value = (text or "error").strip().lower()
    if value not in OUTSIDE_MANAGERS:
        raise InputError([Problem(source, None, f"'{text}' is not a way to treat managers outside the file: use "
                                                f"{' or '.join(OUTSIDE_MANAGERS)}")])
    return value


def read_level_map(data: str | bytes, source: str, ladder: Ladder) -> tuple[LevelRule, ...]:
    """A CSV with the columns ``value`` and ``level``: each value (exact or a shell-style pattern such
    as ``Staff *``, case-insensitive) and the level id or title it means; the first match wins."""
    text = decode(data, source)
    rows = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    rules: list[LevelRule] = []
    resolve = ladder.level_names
    try:
        header = [c.strip().lower() for c in next(rows, [])]
        if "value" not in header or "level" not in header:
            raise InputError([Problem(source, 1, "a level map needs the columns value and level "
                                                 "(one row per value: value,level)")])
        i_value, i_level = header.index("value"), header.index("level")
        for row in rows:
            line = rows.line_num
            if not any(c.strip() for c in row):
                continue
            if len(row) <= max(i_value, i_level):
                problems.append(Problem(source, line, "this row has no value or no level"))
                continue
            value, level = row[i_value].strip(), row[i_level].strip()
            target = resolve.get(level.lower())
            if not value:
                problems.append(Problem(source, line, "the value is empty: give the text or pattern to map",
                                        column="value"))
            elif target is None:
                problems.append(Problem(source, line, f"unknown level '{level}': {_closest_level(level, ladder)}",
                                        column="level"))
            else:
                rules.append(LevelRule(value.lower(), target, line))
    except csv.Error as exc:
        problems.append(Problem(source, rows.line_num, f"this row cannot be read as CSV ({exc}): check its quotes"))
    if problems:
        raise InputError(problems)
    return tuple(rules)


def _closest_level(value: str, ladder: Ladder) -> str:
    by_name = {**{lv.title.lower(): f"{lv.title} ({lv.id})" for lv in ladder.levels},
               **{lv.id: f"{lv.title} ({lv.id})" for lv in ladder.levels}}
    guess = difflib.get_close_matches(value.lower(), list(by_name), n=1, cutoff=0.5)
    hint = f"the closest is {by_name[guess[0]]}; " if guess else ""
    return f"{hint}give a level id or title of the ladder (trellis ladder show), or map the value with --level-map"


def decode(data: str | bytes, source: str, encoding: str | None = None, *, organisation: bool = False) -> str:
    """Text of the file, without a byte-order mark: UTF-8 unless ``encoding`` or a byte-order mark says
    otherwise; bytes that cannot be read are a located problem (for the ``organisation`` file, saying
    that its encoding may be named: the column and level maps are UTF-8)."""
    if isinstance(data, bytes):
        chosen = _encoding(data, encoding)
        try:
            text = data.decode(chosen)
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            if chosen == "utf-8-sig":
                why = "the file is not UTF-8 text (a byte here cannot be read): save it as CSV UTF-8" + (
                    ", or name its encoding with --encoding (cp1252 for most Windows exports)" if organisation
                    else "")
            else:
                why = f"the file is not {chosen} text (a byte here cannot be read): check --encoding"
            raise InputError([Problem(source, line, why)]) from exc
    else:
        text = data
    return text[1:] if text.startswith("\ufeff") else text


def parse_mapping(text: str, source: str = "--map") -> dict[str, str | None]:
    """``"Employee ID=id,Full Name=name,Cost Center="``: file column -> our column; empty ignores it."""
    pairs: list[tuple[int | None, str]] = [(None, part) for part in text.split(",") if part.strip()]
    return _mapping(pairs, source)


def read_mapping_file(path: str | Path) -> dict[str, str | None]:
    """The same pairs as ``--map``, one per line; blank lines and ``#`` comments are skipped."""
    path = Path(path)
    try:
        text = decode(path.read_bytes(), str(path))
    except FileNotFoundError as exc:
        raise InputError([Problem(str(path), None, "no such mapping file: check the path")]) from exc
    pairs: list[tuple[int | None, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            pairs.append((number, stripped))
    return _mapping(pairs, str(path))


def _mapping(pairs: list[tuple[int | None, str]], source: str) -> dict[str, str | None]:
    problems: list[Problem] = []
    mapping: dict[str, str | None] = {}
    for line, pair in pairs:
        if "=" not in pair:
            problems.append(Problem(source, line, f"'{pair.strip()}' is not a pair: write FILE COLUMN=OUR COLUMN "
                                                  "(or FILE COLUMN= to ignore a column)"))
            continue
        left, right = pair.split("=", 1)
        name, target = left.strip(), right.strip().lower()
        if not name:
            problems.append(Problem(source, line, f"'{pair.strip()}' names no column of the file before '='"))
        elif name.lower() in mapping:
            problems.append(Problem(source, line, f"column '{name}' is mapped twice: keep one"))
        elif target and target not in COLUMNS:
            problems.append(Problem(source, line, f"'{target}' is not one of our columns; "
                                                  f"use one of {', '.join(COLUMNS)}, or nothing to ignore '{name}'"))
        else:
            mapping[name.lower()] = target or None
    if problems:
        raise InputError(problems)
    return mapping


class _Header:
    """Which of our columns sits at which position, and the file's own name for each."""

    def __init__(self, row: list[str], source: str, mapping: dict[str, str | None], line: int,
                 where: tuple[tuple[str, frozenset[str]], ...] = ()):
        self.line = line
        self.width = len(row)
        self.position: dict[str, int] = {}
        self.label: dict[str, str] = {}
        self.unnamed: list[int] = []  # headerless columns: fine while every cell in them is empty
        self.filters: list[tuple[int, frozenset[str]]] = []  # --where: position in the row, accepted values
        # The columns a name is written in, when the mapping names several (first name, last name):
        # their positions in the order the mapping gives them; empty for a name in one column.
        self.name_parts: list[int] = []
        self.problems: list[Problem] = []
        filtered = {column for column, _ in where}
        used: set[str] = set()
        found: dict[str, int] = {}
        for i, raw in enumerate(row):
            written = raw.strip()
            key = written.lower()
            if not written:
                self.unnamed.append(i)
                continue
            found.setdefault(key, i)
            if key in mapping:
                used.add(key)
                target = mapping[key]
                if target is None:
                    continue  # ignored on purpose
            else:
                target = key
            if target not in COLUMNS:
                if key in filtered:
                    continue  # a column that only selects rows (--where) is not ours, and need not be
                guess = difflib.get_close_matches(key, COLUMNS, n=1)
                hint = f"did you mean '{guess[0]}'? " if guess else ""
                self.problems.append(Problem(
                    source, line, f"unknown column '{written}': {hint}rename it to one of {', '.join(COLUMNS)}, "
                               f"or map it with --map \"{written}=COLUMN\" (an empty COLUMN ignores it)",
                    column=written))
            elif target == "name" and "name" in self.position and key in mapping and (
                    self.label["name"].lower() in mapping):
                self.name_parts.append(i)  # a name in several columns, each mapped to it: joined
            elif target in self.position:
                self.problems.append(Problem(
                    source, line, f"column '{target}' appears twice (as '{self.label[target]}' and '{written}'): "
                               "keep one", column=written))
            else:
                self.position[target] = i
                self.label[target] = written
        if self.name_parts:
            order = list(mapping)
            parts = sorted([self.position["name"], *self.name_parts], key=lambda i: order.index(row[i].strip().lower()))
            self.position["name"], self.name_parts = parts[0], parts
            self.label["name"] = " + ".join(row[i].strip() for i in parts)
        for name in REQUIRED:
            if name not in self.position:
                self.problems.append(Problem(source, line, f"the required column '{name}' is missing from the header "
                                                        f"(required: {', '.join(REQUIRED)})"))
        for key in sorted(set(mapping) - used):
            self.problems.append(Problem(source, line, f"the mapping names column '{key}', which the header does not "
                                                    "have: check its spelling"))
        for column, values in where:
            if column in found:
                self.filters.append((found[column], values))
            else:
                self.problems.append(Problem(source, line, f"--where names column '{column}', which the header does "
                                                        "not have: name the column as the file does (before --map)"))


class _Problems:
    """The problems of one file: the first ``MAX_PROBLEMS`` by line, and how many more of each kind.

    A file of bad rows can have a problem on every line; listing half a million of them helps
    nobody and costs memory and time on every page that shows them, so only the first are kept,
    and a problem that will not be kept is only counted: its message is never written (working
    out the closest level to an unknown one, say, costs more than reading the row)."""

    def __init__(self, source: str):
        self.source = source
        # A heap of (-line, -order, kind, problem): the last kept on top, the first to give way.
        self.kept: list[tuple[int, int, tuple[str, str | None], Problem]] = []
        self._order = 0
        self.dropped: Counter[tuple[str, str | None]] = Counter()  # (kind, column) -> how many not kept

    def __bool__(self) -> bool:
        return bool(self.kept)

    def keeps(self, line: int | None) -> bool:
        """Whether a problem on ``line`` found now would be listed (rather than only counted)."""
        return len(self.kept) < MAX_PROBLEMS or (line or 0) < -self.kept[0][0]

    def add(self, line: int | None, column: str | None, kind: str, message: str | Callable[..., str],
            *args: Any) -> None:
        """One problem; ``message`` may be a function, called with ``args`` only when the problem is kept."""
        kept = self.kept
        self._order += 1
        # Problems come by line while the rows are read, and the checks across rows add theirs
        # after: a later problem is kept only when it sits on an earlier line than the last kept.
        if len(kept) >= MAX_PROBLEMS and (line or 0) >= -kept[0][0]:  # not self.keeps(line): this runs per row
            self.dropped[(kind, column)] += 1
            return
        text = message(*args) if callable(message) else message
        entry = (-(line or 0), -self._order, (kind, column), Problem(self.source, line, text, column=column))
        if len(kept) < MAX_PROBLEMS:
            heapq.heappush(kept, entry)
        else:
            self.dropped[heapq.heapreplace(kept, entry)[2]] += 1

    def extend(self, problems: list[Problem]) -> None:
        for p in problems:
            self.add(p.line, p.column, _kind(p.message), p.message)

    @property
    def not_listed(self) -> int:
        return sum(self.dropped.values())

    def listed(self) -> list[Problem]:
        """The kept problems by line, then one line counting the rest by kind."""
        kept = [e[3] for e in sorted(self.kept, key=lambda e: (-e[0], -e[1]))]
        if self.dropped:
            total = self.not_listed
            kinds = ", ".join(f"{n:,} {kind}" + (f" (column {column})" if column else "")
                              for (kind, column), n in self.dropped.most_common())
            kept.append(Problem(self.source, None, f"and {total:,} more problems not listed ({kinds}): fix the "
                                                   f"ones above and read the file again"))
        return kept


def _kind(message: str) -> str:
    """What sort of problem a written message is (the header's): its opening words when they name it."""
    head = re.split(r"['\":(]", message, maxsplit=1)[0].strip()
    return head if 0 < len(head) <= 40 else "other"


class _Reader:
    """One pass over the rows; problems are collected, never raised one at a time."""

    def __init__(self, source: str, ladder: Ladder, as_of: date, date_name: str, options: ReadOptions):
        self.source = source
        self.ladder = ladder
        self.as_of = as_of
        self.date_name = date_name
        self.options = options
        self.problems = _Problems(source)
        self.levels = ladder.levels_by_id
        self.level_names = ladder.level_names
        self.level_of: dict[str, str | None] = {"": None}  # each distinct value as written -> level id, once
        self.hints: dict[str, str] = {}
        # The file's records read again from the start (``_numbered``), for the few details of
        # people who were not built because the file was already refused.
        self.reread: Callable[[], Iterator[tuple[int, list[str] | None, str]]] = lambda: iter(())
        self.name_column = 0
        self.name_parts: list[int] = []
        self.id_column = 0
        self.delimiter = ","

    def names(self, ids: Collection[str], line_of: dict[str, int]) -> dict[str, str]:
        """The names of ``ids``, read again from their lines of the file."""
        wanted = {line_of[pid]: pid for pid in ids}
        found: dict[str, str] = {}
        for line, row, _ in self.reread():
            pid = wanted.get(line)
            if pid is not None and row is not None:
                found[pid] = self.name_in(row)
                if len(found) == len(wanted):
                    break
        return found

    def name_in(self, row: list[str]) -> str:
        """The name a row of the file gives, as reading it would (``_read_rows``)."""
        name = _joined_name(row, self.name_parts) if self.name_parts else (
            row[self.name_column].strip() if self.name_column < len(row) else "")
        return unneutralise(name) if name[:1] == "'" else name

    def id_in(self, row: list[str]) -> str:
        """The id a row of the file gives, as reading it would."""
        pid = row[self.id_column].strip() if self.id_column < len(row) else ""
        return unneutralise(pid) if pid[:1] == "'" else pid

    def problem(self, line: int, column: str | None, kind: str, message: str | Callable[..., str],
                *args: Any) -> None:
        """A problem of ``kind`` (what the count of those not listed calls it); ``message``: see ``_Problems.add``."""
        self.problems.add(line, column, kind, message, *args)

    def closest(self, written: str) -> str:
        """What to do about an unknown level, with the closest one: worked out once per distinct value."""
        hint = self.hints.get(written)
        if hint is None:
            hint = self.hints[written] = _closest_level(written, self.ladder)
        return hint

    def level(self, written: str) -> str | None:
        """The level id a cell means: an id or title of the ladder, or what the level map says."""
        if written in self.level_of:
            return self.level_of[written]
        key = written.lower()
        found = self.level_names.get(key)
        if found is None:
            found = next((rule.level for rule in self.options.level_map if rule.matches(key)), None)
        self.level_of[written] = found
        return found


def read_org_csv(data: str | bytes, source: str, ladder: Ladder, *, as_of: date,
                 mapping: dict[str, str | None] | None = None,
                 progress: Callable[[int], None] | None = None,
                 date_name: str = "the import date", known_teams: Collection[str] = (),
                 options: ReadOptions | None = None, known: KnownRows | None = None,
                 digests: dict[str, str] | None = None) -> OrgSnapshot:
    """The organisation in a CSV file, as a snapshot on ``as_of`` (everyone active).

    ``date_name`` says what ``as_of`` means, for the message about a ``since`` after it
    ("since 2026-03-01 is after 2026-01-01, the import date"); it may go on to say what to do.
    A role's team must be some row's ``team`` or one of ``known_teams`` (the teams that
    already exist, so that a team only led, with nobody working in it, can be imported again).
    ``options`` reads an HR system's export (``mapping`` is the same as ``options.mapping``).
    Raises ``InputError`` listing every problem with its line and column (the first
    ``MAX_PROBLEMS``, then a count of the rest).

    The file is read as a stream of rows, decoded as it goes: a file of bad rows is answered in
    memory that does not grow with its problems, and once it is known to be refused no person
    is built any more, only what the checks across rows need (ids, managers, teams).

    ``digests``, when given, is filled with each person's row digest, for rows that say exactly
    what the organisation will hold (see ``KnownRows``). ``known`` takes such rows as they were
    stored: the snapshot then holds only the rows read (the people, their roles and the teams they
    name), and ``known.taken`` the people whose rows were taken.
    """
    options = options or ReadOptions()
    if mapping is not None:
        options = replace(options, mapping=mapping)
    if known is not None:
        try:
            return _read(data, source, ladder, as_of, progress, date_name, known_teams, options, known, digests)
        except _ReadAgain:
            if digests is not None:
                digests.clear()
            known.taken.clear()
            known.unsettled.clear()
    return _read(data, source, ladder, as_of, progress, date_name, known_teams, options, None, digests)


def _read(data: str | bytes, source: str, ladder: Ladder, as_of: date, progress: Callable[[int], None] | None,
          date_name: str, known_teams: Collection[str], options: ReadOptions, known: KnownRows | None,
          digests: dict[str, str] | None) -> OrgSnapshot:
    feed = _Feed(_lines(data, options.encoding))
    try:
        rows = _reader(feed)
        header_row = next(rows, None)
        while header_row is not None and not any(cell.strip() for cell in header_row):
            header_row = next(rows, None)  # blank lines before the header
    except csv.Error as exc:
        raise InputError([Problem(source, feed.count, f"the header cannot be read as CSV: {exc}")]) from exc
    except UnicodeDecodeError:
        # Raises the problem, with the line of the byte that cannot be read.
        decode(data, source, options.encoding, organisation=True)
        raise
    if header_row is None:
        raise InputError([Problem(source, 1, "the file is empty: it needs a header row "
                                             f"(at least {', '.join(REQUIRED)}) and one row per person")])
    header = _Header(header_row, source, {k.lower(): v for k, v in (options.mapping or {}).items()},
                     feed.count, options.where)
    if any(name not in header.position for name in REQUIRED):
        decode(data, source, options.encoding, organisation=True)  # a file that is not text says so first
        raise InputError(header.problems)  # without id, name and level the rows cannot be checked
    reader = _Reader(source, ladder, as_of, date_name, options)
    reader.problems.extend(header.problems)  # still check the rows: list every problem in one pass
    reader.reread = lambda: _numbered(_rows(data, options.encoding), 0)
    reader.delimiter = rows.dialect.delimiter
    reader.name_column = header.position["name"]
    reader.name_parts = header.name_parts
    reader.id_column = header.position["id"]
    hasher = (_row_hasher(header_row, rows.dialect.delimiter, options, ladder)
              if digests is not None or known is not None else None)
    with gc_paused():
        try:
            return _read_rows(rows, feed, header, reader, progress, known_teams, hasher,
                              None if header.problems else known, digests)
        except UnicodeDecodeError:
            decode(data, source, options.encoding, organisation=True)
            raise


def _rows(data: str | bytes, encoding: str | None) -> csv._reader:  # type: ignore[name-defined]
    """The file's records, separated by what its header line is separated by (``_delimiter``)."""
    return _reader(_lines(data, encoding))


def _reader(lines: Iterator[str]) -> csv._reader:  # type: ignore[name-defined]
    head: list[str] = []
    for line in lines:
        head.append(line)
        if line.strip():
            break
    return csv.reader(itertools.chain(head, lines), delimiter=_delimiter(head[-1]) if head else ",")


def _lines(data: str | bytes, encoding: str | None = None) -> Iterator[str]:
    """The file's lines, decoded as they are read (not the whole text at once), without a byte-order mark.

    Bytes that cannot be read raise ``UnicodeDecodeError`` when reached: ``decode`` then says where."""
    if isinstance(data, str):
        # Read by the CSV reader straight from the text: a generator in between costs a call per line.
        return io.StringIO(data[1:] if data.startswith("\ufeff") else data, newline="")
    return _decoded_lines(data, encoding)


def _decoded_lines(data: bytes, encoding: str | None) -> Iterator[str]:
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=_encoding(data, encoding), newline="")
    first = next(stream, None)
    if first is None:
        return
    yield first.removeprefix("\ufeff")
    yield from stream


# Lines digested and looked up at once (``_Feed``): enough for the work to be done by maps, few enough to keep
# a file's memory bounded.
FEED_BLOCK = 2048
_HEXDIGEST = operator.methodcaller("hexdigest")
_LINE_ENDS = ("\n", "\r")


def _ending(line: str) -> str:
    """The line's ending ("\n", "\r\n" or "\r"), or "" when it has none."""
    return line[len(line.rstrip("\r\n")):]


class _Feed:
    """The file's lines as the CSV reader asks for them, counted (``count``: the lines read so far;
    ``start``: the line the record being read starts on; ``span``: how many lines it has so far).

    A reading that digests rows calls ``digesting``: each line that starts a record is digested
    (``digest``). One that knows rows (``KnownRows``) gives ``known_get`` too: then that line is looked
    up by its digest, and a line known as stored is taken (its person's line noted in ``line_of``,
    the person in ``taken``) and never reaches the reader, which costs most of the time a row takes
    to read. A line can be taken only as it was digested (``digest``): the whole of a one-line record,
    at the start of a record, under the same header and options, so the reader would have read the
    very same row from it. The reader sets ``at_start`` when it has read a record: the next line
    starts one.

    Lines are digested and looked up a block at a time (``FEED_BLOCK``), by maps with no step of Python's
    per line: whether a line starts a record is only known as the reader reads, so every line of a
    block is digested, and only those that start a record are used. A run of known lines is taken at
    once (``_take_run``): on a re-import, nearly the whole file."""

    def __init__(self, lines: Iterator[str]):
        self.lines = lines
        self.count = 0
        self.start = 0
        self.span = 0
        self.at_start = False
        self.digest = ""  # of the line the record being read starts on
        self.ending = "\n"  # of the last line digested with one: a last line without is looked up with it
        self.hasher: Callable[[bytes], Any] | None = None
        self.known_get: Callable[[str], str | None] | None = None
        # The block of lines being read: each line, its digest, its person if known (None: none is), the next
        # line's place in it, and up to where known lines are taken one at a time (``_take_run``).
        self.block: list[str] = []
        self.digests: list[str] = []
        self.pids: list[str | None] | None = None
        self.at = 0
        self.one_by_one = 0
        self.line_of: dict[str, int] = {}
        self.taken: list[str] = []
        self.kept: list[Any] = []  # not empty once the file is refused (``_Problems.kept``): nothing is taken
        self.records = 0  # the people's rows read or taken, for ``progress``
        self.progress: Callable[[int], None] | None = None

    def digesting(self, hasher: Callable[[bytes], Any], known_get: Callable[[str], str | None] | None) -> None:
        """From the next line on, digest lines (and look them up with ``known_get``)."""
        self.hasher, self.known_get = hasher, known_get
        if self.at:
            self.ending = _ending(self.block[self.at - 1]) or self.ending
        self._digest(self.block[self.at:])

    def _digest(self, lines: list[str]) -> None:
        self.block, self.at, self.one_by_one = lines, 0, 0
        hasher = self.hasher
        if hasher is None or not lines:
            self.digests, self.pids = [""] * len(lines), None
            return
        # The block is encoded at once and split again at the same line endings (a line ends at its first "\n",
        # "\r" or "\r\n", as the file's lines are split), each line digested with its ending.
        text = "".join(lines)
        whole = text[-1:] in _LINE_ENDS
        if whole:
            self.ending = _ending(lines[-1])
        else:
            # The last line of a file may end inside a quote that only the end of the file closes, and the same text
            # followed by more lines reads otherwise: it is looked up with the ending the line before it has (as a
            # line taken was stored, a record of one line), but its digest is not kept.
            text += (_ending(lines[-2]) if len(lines) > 1 else "") or self.ending
        encoded = text.encode("utf-8", "surrogatepass").splitlines(keepends=True)
        if len(encoded) != len(lines):  # split otherwise than the file's lines were: each line encoded alone
            encoded = [line.encode("utf-8", "surrogatepass") for line in lines]
        digests = list(map(_HEXDIGEST, map(hasher, encoded)))
        known_get = self.known_get
        self.pids = list(map(known_get, digests)) if known_get is not None else None
        if not whole:
            digests[-1] = ""
        self.digests = digests

    def _take_run(self, pids: list[str | None]) -> bool:
        """Take at once the run of known lines from here, each starting a record as the one before is
        taken whole (a map's work instead of a step per line); False if one of them is not to be taken
        (its person already has a line): then they are taken one at a time."""
        at = self.at
        try:
            end = pids.index(None, at)
        except ValueError:
            end = len(pids)
        run = pids[at:end]
        line_of = self.line_of
        if len(set(run)) != len(run) or not line_of.keys().isdisjoint(run):
            self.one_by_one = end
            return False
        first = self.count + 1
        line_of.update(zip(run, range(first, first + len(run)), strict=True))  # type: ignore[arg-type]
        self.taken.extend(run)  # type: ignore[arg-type]
        self.count += len(run)
        self.at = end
        records = self.records
        self.records = records + len(run)
        if self.progress is not None:
            for done in range(records // PROGRESS_EVERY * PROGRESS_EVERY + PROGRESS_EVERY, self.records + 1,
                              PROGRESS_EVERY):
                self.progress(done)
        return True

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        while True:
            at = self.at
            if at >= len(self.block):
                lines = list(itertools.islice(self.lines, FEED_BLOCK))
                if not lines:
                    if not self.at_start:
                        # The record being read ends with the file, inside a quote that only the end closes: the
                        # same line followed by more lines reads otherwise, so its digest is not kept.
                        self.digest = ""
                    raise StopIteration
                self._digest(lines)
                continue
            pids = self.pids
            pid = pids[at] if pids is not None else None
            if (pid is not None and self.at_start and not self.kept and at >= self.one_by_one
                    and self._take_run(pids)):  # type: ignore[arg-type]
                continue
            self.at = at + 1
            self.count += 1
            line = self.block[at]
            if not self.at_start:
                self.span += 1
                return line
            if pid is not None and pid not in self.line_of:
                if self.kept:
                    raise _ReadAgain  # refused: read again without known rows, for exactly a first reading's problems
                self.line_of[pid] = self.count
                self.taken.append(pid)
                self.records += 1
                if self.progress is not None and self.records % PROGRESS_EVERY == 0:
                    self.progress(self.records)
                continue  # the next line starts a record too
            self.at_start = False
            self.start, self.span = self.count, 1
            self.digest = self.digests[at]
            return line


def _numbered(rows: csv._reader, start: int  # type: ignore[name-defined]
              ) -> Iterator[tuple[int, list[str] | None, str]]:
    """Each record with the line it starts on (a quoted value may span lines); a record that
    cannot be read as CSV comes as None with why, on the line where reading it failed."""
    previous_end = start
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            yield rows.line_num, None, str(exc)
            previous_end = rows.line_num
            continue
        yield previous_end + 1, row, ""
        previous_end = rows.line_num


def _read_rows(rows: csv._reader, feed: _Feed, header: _Header, r: _Reader,  # type: ignore[name-defined]
               progress: Callable[[int], None] | None, known_teams: Collection[str], hasher: Any,
               known: KnownRows | None, digests: dict[str, str] | None) -> OrgSnapshot:
    pos = header.position
    label = header.label
    width = header.width
    separators = DELIMITER_NAMES[r.delimiter]
    date_format = r.options.date_format
    get_pos = pos.get
    i_id, i_name, i_level = pos["id"], pos["name"], pos["level"]
    # A column the file lacks reads the empty cell appended at the end of every row.
    i_email, i_since, i_track, i_team, i_department, i_manager, i_dotted, i_roles, i_outside = (
        get_pos(c, width) for c in ("email", "since", "preferred_track", "team", "department", "manager_id",
                                    "dotted_manager_ids", "roles", "reports_outside"))
    limits = [(pos[c], c, n) for c, n in MAX_LENGTH.items() if c in pos]
    shortest = min(MAX_LENGTH.values())  # a row shorter than this has no value too long
    unnamed = header.unnamed
    name_parts = header.name_parts
    filters = header.filters
    email_ok = EMAIL.match
    control = CONTROL.search
    dates: dict[str, date | None] = {}  # the same few thousand dates recur: parse each once
    as_of = r.as_of
    date_name = r.date_name
    people: dict[str, Person] = {}
    line_of: dict[str, int] = {}  # every id read well -> its line
    by_email: dict[str, str | None] = {}  # e-mail (lower case) -> id; None: two people share it
    # Once the file is refused no person is built: their solid lines are all the checks need.
    managers: dict[str, str] = {}
    left_out: dict[str, int] = {}  # ids, e-mails (lower case) and names (``fold``) of rows --where leaves out -> line
    # team -> department -> the lines that name it (a team belongs to one department)
    departments: dict[str, dict[str | None, list[int]]] = {}
    wanted_roles: list[tuple[int, str, str, str, date | None]] = []  # line, person, team, role, start
    # In file order: (line, person, column, referenced id or e-mail); or, for a person not built,
    # only their id, standing for (their line, id, "manager_id", their manager): a tuple a row
    # is what a file of bad rows would otherwise keep the most of.
    references: list[tuple[int, str, str, str] | str] = []
    problem = r.problems.add
    kept = r.problems.kept  # not empty once any problem is found: nothing will be imported
    level_of = r.level_of
    # Rows digested (``KnownRows``) go into ``digests`` as they are read. Whether a row says exactly what the
    # organisation will hold is known at the end, for these: the people of a team whose rows name no
    # department (their team may have one).
    no_department: list[str] = []
    digest = ""
    # The rows taken as they were stored never reach this loop (``_Feed``): it notes their lines in
    # ``line_of`` and their people in ``taken``, and counts them.
    if hasher is not None:
        feed.digesting(hasher, known.people.get if known is not None else None)
    feed.line_of = line_of
    feed.kept = kept
    feed.progress = progress
    taken = feed.taken
    read_ids: list[str] = []  # beside them, the people whose rows were read
    feed.at_start = True
    while True:  # ``_numbered``, written out: this loop runs once per row
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            feed.at_start = True
            problem(feed.count, None, "cannot be read as CSV",
                    lambda error: f"this row cannot be read as CSV ({error}): check its quotes", exc)
            continue
        feed.at_start = True
        line = feed.start
        if hasher is not None:
            digest = feed.digest if feed.span == 1 else ""  # a row over several lines is never taken
        row = [c.strip() for c in row]
        if not any(row):
            continue  # blank lines are allowed anywhere
        if filters:
            if not all(i < len(row) and row[i].lower() in values for i, values in filters):
                if i_id < len(row) and row[i_id]:
                    left_out.setdefault(row[i_id], line)
                if i_email < len(row) and row[i_email]:
                    left_out.setdefault(row[i_email].lower(), line)
                left_name = _joined_name(row, name_parts) if name_parts else row[i_name] if i_name < len(row) else ""
                if left_name:
                    left_out.setdefault(fold(left_name), line)
                continue
        feed.records += 1
        if progress is not None and feed.records % PROGRESS_EVERY == 0:
            progress(feed.records)
        if len(row) != width:
            if len(row) > width and not any(row[width:]):
                row = row[:width]  # trailing empty cells, as spreadsheets sometimes add
            else:
                problem(line, None, "wrong number of fields", lambda n: (
                    f"this row has {n} fields, {'more' if n > width else 'fewer'} than the header's {width}: "
                    f"quote values that contain {separators}"), len(row))
                continue
        row.append("")
        if name_parts:
            row[i_name] = _joined_name(row, name_parts)
        for i in unnamed:
            if row[i]:
                problem(line, f"#{i + 1}", "a value in a column with no name", lambda n: (
                    f"column {n} has a value but no name in the header: name the column or remove the value"), i + 1)
        joined = "".join(row)  # one scan of the whole row for what is rare in any cell
        if "'" in joined:
            row = [unneutralise(c) if c[:1] == "'" else c for c in row]  # cells kept from being run as formulas
        ok = True
        if not joined.isprintable() and control(joined):  # every control character is unprintable
            for column, i in pos.items():
                found = control(row[i])
                if found:
                    problem(line, label[column], "a control character", lambda char: (
                        f"the value contains the control character U+{char:04X}, which has no place in an "
                        "organisation file: remove it"), ord(found.group()))
                    ok = ok and column != "id"
        for i, column, most in limits if len(joined) > shortest and max(map(len, row)) > shortest else ():
            if len(row[i]) > most:
                problem(line, label[column], "a value too long", lambda size, column, most: (
                    f"the value is {size:,} characters long; a {column} has at most {most}: shorten it"),
                    len(row[i]), column, most)
                ok = ok and column != "id"

        pid = row[i_id]
        name = row[i_name]
        written_level = row[i_level]
        level = level_of[written_level] if written_level in level_of else r.level(written_level)
        if not pid:
            problem(line, label["id"], "the id is missing", "the id is missing: every person needs a unique id")
            ok = False
        elif LIST_SEPARATOR in pid:
            problem(line, label["id"], "an id with ';'",
                    lambda pid: f"the id '{pid}' contains ';', which separates ids in lists: choose another id", pid)
            ok = False
        elif "/" in pid and BAD_PATH.search(pid):
            problem(line, label["id"], "an id a web address cannot hold", lambda pid: (
                f"the id '{pid}' has an empty, '.' or '..' part between slashes, or ends in one of "
                f"{_ENDINGS_TEXT}, which a web address cannot hold: choose another id"), pid)
            ok = False
        # An id read well is noted with its line here, where it is looked up: one step for both.
        elif (line_of.setdefault(pid, line) if ok else line_of.get(pid, line)) != line:
            problem(line, label["id"], "duplicate id",
                    lambda pid: f"duplicate id '{pid}' (first on line {line_of[pid]}): ids must be unique", pid)
            ok = False
        if not name:
            problem(line, label["name"], "the name is missing", "the name is missing")
        if not written_level:
            problem(line, label["level"], "the level is missing",
                    "the level is missing: give a level id or title of the ladder")
        elif level is None:
            problem(line, label["level"], "unknown level",
                    lambda written: f"unknown level '{written}': {r.closest(written)}", written_level)

        email = row[i_email]
        if email and not email_ok(email):
            problem(line, label["email"], "not an e-mail address",
                    lambda email: f"'{email}' is not an email address (expected name@domain.example)", email)

        since: date | None = None
        raw_since = row[i_since]
        if raw_since:
            known_date = dates.get(raw_since, dates)
            if known_date is not dates:
                since = known_date  # type: ignore[assignment]
            else:
                try:
                    if date_format is not None:
                        since = datetime.strptime(raw_since, date_format).date()
                    else:
                        since = date.fromisoformat(raw_since) if len(raw_since) == 10 else None
                except ValueError:
                    since = None
                if len(dates) < MAX_DATES:
                    dates[raw_since] = since
            if since is None:
                problem(line, label["since"], "not a date", lambda written: (
                    f"'{written}' is not a date in the file's format {date_format}: check --date-format"
                    if date_format is not None else f"'{written}' is not a date: write it as YYYY-MM-DD, or give "
                    "the file's date format with --date-format (for example %d/%m/%Y)"), raw_since)
            elif since > as_of:
                problem(line, label["since"], "since after the date of the import",
                        lambda written: f"since {written} is after {as_of.isoformat()}, {date_name}", raw_since)

        track = row[i_track].lower() or UNDECIDED
        if track not in PREFERRED_TRACKS:
            problem(line, label["preferred_track"], "unknown preferred track", lambda track: (
                f"unknown preferred track '{track}': use one of {', '.join(PREFERRED_TRACKS)} or leave it empty"),
                track)

        outside = False
        if row[i_outside]:
            flag = row[i_outside].lower()
            outside = flag in YES
            if not outside and flag not in NO:
                problem(line, label["reports_outside"], "not yes or no", lambda written: (
                    f"'{written}' is not yes or no: write yes when the person reports to someone outside "
                    "the organisation"), row[i_outside])

        team: str | None = row[i_team] or None
        department = row[i_department] or None
        if team is not None:
            if LIST_SEPARATOR in team:
                problem(line, label["team"], "a team name with ';'",
                        lambda team: f"the team name '{team}' contains ';', which separates roles: rename it", team)
            elif "/" in team and BAD_PATH.search(team):
                problem(line, label["team"], "a team name a web address cannot hold", lambda team: (
                    f"the team name '{team}' has an empty, '.' or '..' part between slashes, or ends in one of "
                    f"{_ENDINGS_TEXT}, which a web address cannot hold: rename it"), team)
            named = departments.get(team)
            if named is None:
                departments[team] = {department: [line]}
            else:
                lines = named.get(department)
                if lines is None:
                    named[department] = [line]
                else:
                    lines.append(line)
        elif department is not None:
            problem(line, label["department"], "a department without a team", (
                "a department is given but no team: the department belongs to the team, so give the team or "
                "leave the department empty"))

        manager = row[i_manager] or None
        if manager is not None:
            if ok and kept:
                managers[pid] = manager
                references.append(pid)
            else:
                references.append((line, pid, "manager_id", manager))
            if outside:
                problem(line, label["reports_outside"], "a manager in the file and outside", (
                    "the person has a manager in the file and is said to report outside the organisation: "
                    "leave one of the two empty"))
        dotted: set[str] = set()
        if row[i_dotted]:
            for item in row[i_dotted].split(LIST_SEPARATOR):
                item = item.strip()
                if item:
                    dotted.add(item)
                    references.append((line, pid, "dotted_manager_ids", item))

        for token in row[i_roles].split(LIST_SEPARATOR) if row[i_roles] else ():
            token = token.strip()
            if not token:
                continue
            role, mark, role_team = token.partition(TEAM_MARK)
            role = role.strip().lower()
            role_team = role_team.strip()
            if role not in ROLES:
                problem(line, label["roles"], "unknown role", lambda role: (
                    f"unknown role '{role}': use {' or '.join(ROLES)}, optionally with {TEAM_MARK}TEAM"), role)
                continue
            target = role_team if mark else team
            if not target:
                where = "names no team after '@'" if mark else "applies to the person's own team, and no team is given"
                problem(line, label["roles"], "a role without a team", lambda token, where, role: (
                    f"the role '{token}' {where}: give the team or write {role}@TEAM"), token, where, role)
                continue
            wanted_roles.append((line, pid, target, role, since))

        if ok:  # the line is noted (``line_of``)
            if digest and digests is not None:
                digests[pid] = digest
                if department is None and team is not None:
                    no_department.append(pid)
            if known is not None:
                read_ids.append(pid)
            if kept:
                if email:  # not built: the e-mail is kept for the references by e-mail (``_by_email``)
                    _note_e_mail(by_email, email, pid)
                if manager is not None:
                    managers.setdefault(pid, manager)
            else:
                # Positional: this runs once per person, and keywords cost measurably at 100,000.
                people[pid] = Person(pid, name, level or "", email, track, manager,
                                     tuple(sorted(dotted)) if dotted else (), team, True, since, outside)
    if progress is not None:
        progress(feed.records)
    if feed.records == 0:
        what = "no rows match --where" if filters else "the file has a header but no people"
        problem(header.line, None, "no people", f"{what}: an import would mark everyone as left")

    no_managers: dict[str, str | None] = {}
    stored_manager = (known.manager_of if known is not None else no_managers).get
    if taken:
        assert known is not None
        departments = _join_taken(taken, known, line_of, departments, wanted_roles)
    label_of = label.get
    resolved: dict[tuple[str, str, str], str | None] = {}
    # Usually every reference is the id of someone else in the file: nothing to look up, no problem to find
    # (told by maps, without a look at each).
    if kept or not all(map(line_of.__contains__, map(_FOURTH, references))) or any(
            map(operator.eq, map(_FOURTH, references), map(_SECOND, references))):
        # A reference kept as the person's id alone (a refused file's) stands for their manager as written.
        if any(TEAM_MARK in (managers[item] if isinstance(item, str) else item[3]) for item in references):
            _by_email(people, by_email)
            if taken:
                assert known is not None
                _taken_e_mails(taken, known, by_email)  # a manager named by e-mail may be one of them
        by_name = _names(references, managers, line_of, people, taken, known, r)
        resolved = _resolve_managers(people, line_of, by_email, by_name, references, managers, left_out, r,
                                     label_of)

    def manager_of(pid: str) -> str | None:
        # A refused file's people keep their managers as written (an e-mail, say): resolve them the same way.
        # A taken row's manager is the one stored.
        written = (people[pid].manager_id if pid in people else managers[pid] if pid in managers
                   else stored_manager(pid))
        return resolved.get((pid, "manager_id", written), written) if written is not None else None

    # A file with no problem (the usual case): everyone is built with their managers resolved, and
    # their solid lines are a dict, whose lookup is the fastest there is.
    # The rows taken as known keep the solid lines the organisation holds, which has no cycle: a cycle
    # now goes through a row that was read, and is found by starting from those alone.
    starts = read_ids if taken else None
    solid = (dict(zip(people, map(_MANAGER, people.values()), strict=True)) if not r.problems and starts is None
             else None)
    if solid is None or not _without_cycles(solid):
        _check_cycles(line_of, manager_of if solid is None else solid.get, people, r,
                      label_of("manager_id", "manager_id"), starts)

    teams: dict[str, Team] = {}
    for name, named in departments.items():
        teams[name] = Team(name, _one_department(name, named, r, label_of("department", "department")))
    seen_roles: set[tuple[str, str, str]] = set()
    roles: list[RoleSpan] = []
    candidates: list[str] = []  # for close matches to an unknown team, gathered at the first one
    for line, pid, team_name, role, start in wanted_roles:
        if (pid, team_name, role) in seen_roles:
            continue
        seen_roles.add((pid, team_name, role))
        if team_name not in teams:
            if team_name not in known_teams:
                def unknown(role: str, team_name: str) -> str:
                    nonlocal candidates
                    candidates = candidates or sorted(set(departments) | set(known_teams))
                    return _unknown_team(role, team_name, candidates)

                problem(line, label["roles"], "a role on an unknown team", unknown, role, team_name)
                continue
            teams[team_name] = Team(team_name)  # an existing team that is only led, not worked in
        roles.append(RoleSpan(pid, team_name, role, start))
    if r.problems:
        if taken:
            raise _ReadAgain
        raise InputError(r.problems.listed())
    roles.sort(key=lambda s: (s.person_id, s.team, s.role))
    if digests is not None:
        # A row says exactly what the organisation will hold when its managers are written as the ids
        # they are (not e-mails, nor someone outside) and its department as its team's (a row that names
        # another department than its team's is a problem).
        for pid in {key[0] for key in resolved}:
            digests.pop(pid, None)
        for pid in no_department:
            team = people[pid].team
            if team is not None and teams[team].department is not None:
                digests.pop(pid, None)  # perhaps gone already, its manager rewritten
    if taken:
        assert known is not None
        # A taken row says its team's department as stored: no longer so if the team now has another.
        moved = {name for name, team_now in teams.items()
                 if name in known.departments and team_now.department != known.departments[name]}
        if moved:
            known.unsettled.update(pid for pid, _ in known.members(moved) if pid in known.taken)
    return OrgSnapshot(as_of=as_of, people=people, teams=teams, roles=roles, columns=frozenset(pos))


def _join_taken(taken: list[str], known: KnownRows, line_of: dict[str, int],
                departments: dict[str, dict[str | None, list[int]]],
                wanted_roles: list[tuple[int, str, str, str, date | None]]) -> dict[str, dict[str | None, list[int]]]:
    """What the checks across rows need of the rows taken as stored: their lines among the rows that
    name the teams the rows read name (in members or in roles), as reading them would have given;
    returns the teams named, in the order they first appear in the file.

    A taken row says its team's department as stored, its managers and roles as stored: a team the
    rows read do not name is as stored, whatever the taken rows say of it (they say what was
    stored), and the taken rows' roles are on teams that exist (``known_teams``) and stay as they are.

    Raises ``_ReadAgain`` when a taken row names a manager who is no longer in the file: a problem,
    or with ``--outside-managers top`` someone now reporting outside, either way a row to read."""
    # Set by set: there is a taken row for nearly every person.
    taken_ids = known.taken
    taken_ids.update(taken)
    gone = known.managers() - line_of.keys()
    if gone and not taken_ids.isdisjoint(known.reports_of(gone)):
        raise _ReadAgain
    for pid, dotted in known.dotted_of.items():
        if pid in taken_ids and not all(map(line_of.__contains__, dotted)):
            raise _ReadAgain
    named = set(departments).union(team for _, _, team, _, _ in wanted_roles)
    if not named:
        return departments
    stored = known.departments
    members = [(pid, team) for pid, team in known.members(named) if pid in taken_ids]
    if not members:
        return departments
    for pid, team in members:
        departments.setdefault(team, {}).setdefault(stored.get(team), []).append(line_of[pid])
    for lines_of in departments.values():
        for lines in lines_of.values():
            lines.sort()
    # The order teams first appear in the file, rows taken included (a plan lists new and changed
    # teams in that order).
    return dict(sorted(departments.items(), key=lambda item: min(lines[0] for lines in item[1].values())))


def _names(references: list[tuple[int, str, str, str] | str], managers: dict[str, str], line_of: dict[str, int],
           people: dict[str, Person], taken: list[str], known: KnownRows | None, r: _Reader) -> dict[str, str | None]:
    """The names that some reference may be (neither an id in the file nor an e-mail), ``fold``-ed
    -> the id of the one person in the file with that name (None: several have it).

    Only the names referenced are kept, whatever the size of the file. The names of people not
    built (the file was refused first) are read again from it, those of the rows taken as stored
    from ``KnownRows.name_of``."""
    written = (item[3] if not isinstance(item, str) else managers[item] for item in references)
    wanted = {fold(ref) for ref in written if ref not in line_of and TEAM_MARK not in ref}
    by_name: dict[str, str | None] = {}
    if not wanted:
        return by_name

    def add(name: str, pid: str) -> None:
        key = fold(name)
        if key in wanted:
            by_name[key] = None if key in by_name else pid

    for pid, person in people.items():
        add(person.name, pid)
    held: Collection[str] = known.taken if known is not None else ()  # filled by ``_join_taken``
    if len(people) + len(held) < len(line_of):  # some were not built: their names are read again
        for line, row, _ in r.reread():
            if row is not None:
                pid = r.id_in(row)
                if line_of.get(pid) == line and pid not in people and pid not in held:
                    add(r.name_in(row), pid)
    if taken:
        assert known is not None
        name_of = known.name_of
        for pid in taken:
            add(name_of.get(pid, ""), pid)
    return by_name


_MANAGER = operator.attrgetter("manager_id")
_FOURTH = operator.itemgetter(3)  # of a reference: what it names
_SECOND = operator.itemgetter(1)  # of a reference: whose it is


def _by_email(people: dict[str, Person], by_email: dict[str, str | None]) -> None:
    """Add the e-mails of the people built (lower case) -> their ids; None: two people share it. Only a file
    that names a manager by e-mail needs them."""
    for pid, person in people.items():
        if person.email:
            _note_e_mail(by_email, person.email, pid)


def _taken_e_mails(taken: list[str], known: KnownRows, by_email: dict[str, str | None]) -> None:
    e_mail_of = known.e_mail_of
    for pid in taken:
        email = e_mail_of.get(pid)
        if email:
            _note_e_mail(by_email, email, pid)


def _note_e_mail(by_email: dict[str, str | None], email: str, pid: str) -> None:
    """``email`` (any case) -> ``pid`` in ``by_email``; None once two people have it."""
    key = email.lower()
    by_email[key] = None if key in by_email else pid


def _joined_name(row: list[str], parts: list[int]) -> str:
    """A name written in several columns (``_Header.name_parts``): the parts given, in order, with a space."""
    return " ".join(part for part in (row[i].strip() for i in parts if i < len(row)) if part)


def _one_department(team: str, named: dict[str | None, list[int]], r: _Reader, column: str) -> str | None:
    """The team's department: the one most of its rows name; the rows that name another are the problems.

    An empty department says nothing (a row may leave it out)."""
    given = {dep: lines for dep, lines in named.items() if dep is not None}
    if not given:
        return None
    # Most rows first; on a tie, the department named first in the file.
    usual = max(given, key=lambda dep: (len(given[dep]), -given[dep][0]))
    if len(given) > 1:
        first = given[usual][0]
        others = len(given[usual]) - 1
        rest = f" and {others} other {'row' if others == 1 else 'rows'}" if others else ""
        for dep, lines in given.items():
            if dep == usual:
                continue
            for line in lines:
                r.problem(line, column, "a team in two departments", lambda dep: (
                    f"team '{team}' is in department '{dep}' here but in '{usual}' on line {first}{rest}: "
                    "a team belongs to one department"), dep)
    return usual


def _resolve_managers(people: dict[str, Person], line_of: dict[str, int], by_email: dict[str, str | None],
                      by_name: dict[str, str | None], references: list[tuple[int, str, str, str] | str],
                      managers: dict[str, str], left_out: dict[str, int], r: _Reader,
                      label_of: Callable[[str, str], str]) -> dict[tuple[str, str, str], str | None]:
    """Managers by id, by the e-mail of someone in the file, or by the name of the one person in the
    file who has it (in any case); those missing are one problem each, or, with
    ``--outside-managers top``, the people reporting to them report outside the organisation.

    ``line_of`` holds every id read well (``people`` only those built before the file was known to be
    refused). Returns what each reference that is not simply an id resolved to (None: outside)."""
    # reference -> the column that first names it, and the lines naming it (in file order, each once)
    missing: dict[str, tuple[str, list[int]]] = {}
    resolved: dict[tuple[str, str, str], str | None] = {}  # (person, column, reference) -> id; None: outside
    top = r.options.outside_managers == "top"
    # A reference by the id of someone else in the file (nearly all of them) resolves to itself: only
    # the others are looked at, each in turn.
    others = [item for item in references if isinstance(item, str) or item[3] not in line_of or item[3] == item[1]]
    for item in others:
        line, pid, column, ref = item if isinstance(item, tuple) else (line_of[item], item, "manager_id",
                                                                         managers[item])
        target: str | None = ref if ref in line_of else None
        if target is None and TEAM_MARK in ref:
            key = ref.lower()
            if key in by_email and by_email[key] is None:
                r.problem(line, label_of(column, column), "an e-mail two people share",
                          lambda ref: f"two people in the file have the e-mail '{ref}': name the manager by id", ref)
                continue
            target = by_email.get(key)
        if target is None and TEAM_MARK not in ref:
            key = fold(ref)
            if key in by_name and by_name[key] is None:
                r.problem(line, label_of(column, column), "a name two people share", lambda ref: (
                    f"two people in the file are named '{ref}': name the manager by id or e-mail"), ref)
                continue
            target = by_name.get(key)
        if target is None:
            lines = missing.setdefault(ref.lower() if TEAM_MARK in ref else ref, (column, []))[1]
            if not lines or lines[-1] != line:
                lines.append(line)
        elif target == pid:
            what = "their own manager" if column == "manager_id" else "their own dotted manager"
            r.problem(line, label_of(column, column), "reports to themself",
                      lambda pid, what: f"'{pid}' is {what}: a person cannot report to themself", pid, what)
            continue
        # A reference to someone missing matters only with --outside-managers top (otherwise the file is refused).
        if pid in line_of and (target != ref if target is not None else top):
            resolved[(pid, column, ref)] = target
    if missing and not top:
        for ref, (column, lines) in missing.items():
            def message(ref: str, lines: list[int]) -> str:
                shown = (", ".join(str(n) for n in lines[:10]) + f" and {len(lines) - 10} more" if len(lines) > 10
                         else ", ".join(str(n) for n in lines[:-1]) + f" and {lines[-1]}" if len(lines) > 1
                         else str(lines[0]))
                refer = f"line {shown} refers" if len(lines) == 1 else f"lines {shown} refer"
                gone = left_out.get(ref, left_out.get(ref.lower(), left_out.get(fold(ref))))
                where = (f"(line {gone} is, but --where leaves it out)" if gone is not None
                         else "(by id, e-mail or name)")
                return (f"there is no person '{ref}' in this file {where}; {refer} to them: add them, or import "
                        "with --outside-managers top to record that these people report outside the organisation")

            r.problem(lines[0], label_of(column, column), "a manager missing from the file", message, ref, lines)
    if r.problems:
        return resolved  # refused: no person is built, the cycles are checked from ``resolved``
    for pid in {key[0] for key in resolved}:
        p = people[pid]
        manager = p.manager_id
        outside = p.reports_outside
        if manager is not None and (pid, "manager_id", manager) in resolved:
            manager = resolved[(pid, "manager_id", manager)]
            outside = outside or (manager is None and top)
        dotted = tuple(sorted({resolved.get((pid, "dotted_manager_ids", m), m) or "" for m in p.dotted_manager_ids}
                              - {""}))
        people[pid] = replace(p, manager_id=manager, dotted_manager_ids=dotted, reports_outside=outside)
    return resolved


def _unknown_team(role: str, team: str, names: list[str]) -> str:
    guesses = difflib.get_close_matches(team, names, n=3)
    hint = f"did you mean {' or '.join(repr(g) for g in guesses)}? " if guesses else ""
    return (f"the role '{role}{TEAM_MARK}{team}' is on an unknown team: no row works in '{team}' and the "
            f"organisation has no such team; {hint}correct the team's name, or give the team to its members "
            "in the team column")


# Rounds ``_without_cycles`` takes at most: one per level of management, counted from the bottom.
CYCLE_ROUNDS = 64


def _without_cycles(manager_of: dict[str, str | None]) -> bool:
    """Whether no solid line in ``manager_of`` goes round in a circle. False may still mean no cycle,
    only a chain longer than ``CYCLE_ROUNDS``: ``_check_cycles`` then looks person by person.

    Whoever nobody reports to is in no cycle, and is left out; then again, among those left. People
    in a cycle always have someone left who reports to them, and if nothing but cycles is left, no
    one can be left out. Most people manage nobody, so each round leaves a fraction of the one
    before: a few maps built whole instead of a step of Python's per person (at 100,000 people, a
    fifth of the time of the walk person by person)."""
    left = manager_of
    for _ in range(CYCLE_ROUNDS):
        managers = set(left.values())
        remaining = {pid: manager for pid, manager in left.items() if pid in managers}
        if len(remaining) == len(left):
            return not remaining
        left = remaining
    return not left


def _check_cycles(line_of: dict[str, int], manager_of: Callable[[str], str | None], people: dict[str, Person],
                  r: _Reader, column: str, starts: list[str] | None = None) -> None:
    """Every solid-line cycle once, naming the people in it (each id is visited once: linear time).

    ``starts``: the people every cycle goes through, if that is known (all of them otherwise).
    The names of people not built (the file was already refused when they were read) are read
    again from the file, once, and only for the cycles that are listed."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []
    for start in line_of if starts is None else starts:
        if start in state or manager_of(start) not in line_of:
            continue  # done, or reports to nobody in the file: in no cycle (and no state to keep for it)
        path: list[str] = []
        node: str | None = start
        while node is not None and node in line_of and node not in state:
            state[node] = 1
            path.append(node)
            node = manager_of(node)
        if node is not None and state.get(node) == 1:
            cycles.append(path[path.index(node):])
        for pid in path:
            state[pid] = 2
    firsts = [min(cycle, key=lambda pid: line_of[pid]) for cycle in cycles]
    unnamed = {pid for cycle, first in zip(cycles, firsts, strict=True) if r.problems.keeps(line_of[first])
               for pid in cycle if pid not in people}
    names = r.names(unnamed, line_of) if unnamed else {}
    for cycle, first in zip(cycles, firsts, strict=True):
        r.problem(line_of[first], column, "a reporting cycle", _cycle_message, cycle, people, names)


def _cycle_message(cycle: list[str], people: dict[str, Person], names: dict[str, str]) -> str:
    named = " -> ".join(f"{people[p].name if p in people else names[p]} ({p})" for p in [*cycle, cycle[0]])
    return f"reporting cycle: {named}; someone in it must report elsewhere"


def write_org_csv(snapshot: OrgSnapshot, *, include_preferred_track: bool = True) -> str:
    """The active people as CSV, sorted by id: the same text for the same organisation, always.

    No cell starts as a spreadsheet formula would (``neutralise``), and reading the text back
    gives the same organisation. ``reports_outside`` is written only when someone does."""
    active = snapshot.active_people
    outside = any(p.reports_outside for p in active.values())
    columns = [c for c in COLUMNS if (include_preferred_track or c != "preferred_track")
               and (outside or c != "reports_outside")]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    teams = snapshot.teams
    roles_by_person = snapshot.roles_by_person
    risky = _RISKY
    for pid in sorted(active):
        p = snapshot.people[pid]
        team = teams.get(p.team) if p.team is not None else None
        tokens = sorted(
            ((0, s.role, "") if s.team == p.team else (1, s.role, s.team) for s in roles_by_person.get(pid, ())),
        )
        roles = LIST_SEPARATOR.join(role if not on else f"{role}{TEAM_MARK}{name}" for on, role, name in tokens)
        values = [
            pid, p.name, p.email, p.level, p.manager_id or "", LIST_SEPARATOR.join(p.dotted_manager_ids),
            p.team or "", (team.department or "") if team else "", roles,
        ]
        if include_preferred_track:
            values.append(p.preferred_track)
        values.append(p.level_since.isoformat() if p.level_since else "")
        if outside:
            values.append("yes" if p.reports_outside else "")
        writer.writerow([neutralise(v) if v[:1] in risky else v for v in values])
    return buffer.getvalue()


_RISKY = frozenset((*FORMULA_START, "'"))
