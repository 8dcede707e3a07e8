"""The organisation CSV: read it (checking every rule, listing every problem) and write it.

The contract is documented in docs/org-csv.md. Reading is all-or-nothing: any problem
raises ``InputError`` with every problem found, each with its line and column, so a
user fixes a file in one pass instead of one error per attempt.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable, Collection
from datetime import date
from pathlib import Path

from trellis.ladder.model import Ladder
from trellis.lib.gcpause import gc_paused
from trellis.lib.problems import InputError, Problem
from trellis.org.model import PREFERRED_TRACKS, ROLES, OrgSnapshot, Person, RoleSpan, Team

# The columns in the order the writer puts them; the reader accepts any order.
COLUMNS: tuple[str, ...] = (
    "id", "name", "email", "level", "manager_id", "dotted_manager_ids",
    "team", "department", "roles", "preferred_track", "since",
)
REQUIRED: tuple[str, ...] = ("id", "name", "level")
LIST_SEPARATOR = ";"
TEAM_MARK = "@"
UNDECIDED = "undecided"
PROGRESS_EVERY = 5000

# Deliberately loose: it catches the usual slips (no @, spaces, no domain dot) without
# rejecting the odd but valid addresses real directories hold.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def decode(data: str | bytes, source: str) -> str:
    """Text of the file, without a byte-order mark; non-UTF-8 bytes are a located problem."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise InputError([Problem(source, line, "the file is not UTF-8 text (a byte here cannot be read): "
                                                    "save it as CSV UTF-8")]) from exc
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

    def __init__(self, row: list[str], source: str, mapping: dict[str, str | None], line: int):
        self.line = line
        self.width = len(row)
        self.position: dict[str, int] = {}
        self.label: dict[str, str] = {}
        self.unnamed: list[int] = []  # headerless columns: fine while every cell in them is empty
        self.problems: list[Problem] = []
        used: set[str] = set()
        for i, raw in enumerate(row):
            written = raw.strip()
            key = written.lower()
            if not written:
                self.unnamed.append(i)
                continue
            if key in mapping:
                used.add(key)
                target = mapping[key]
                if target is None:
                    continue  # ignored on purpose
            else:
                target = key
            if target not in COLUMNS:
                guess = difflib.get_close_matches(key, COLUMNS, n=1)
                hint = f"did you mean '{guess[0]}'? " if guess else ""
                self.problems.append(Problem(
                    source, line, f"unknown column '{written}': {hint}rename it to one of {', '.join(COLUMNS)}, "
                               f"or map it with --map \"{written}=COLUMN\" (an empty COLUMN ignores it)",
                    column=written))
            elif target in self.position:
                self.problems.append(Problem(
                    source, line, f"column '{target}' appears twice (as '{self.label[target]}' and '{written}'): "
                               "keep one", column=written))
            else:
                self.position[target] = i
                self.label[target] = written
        for name in REQUIRED:
            if name not in self.position:
                self.problems.append(Problem(source, line, f"the required column '{name}' is missing from the header "
                                                        f"(required: {', '.join(REQUIRED)})"))
        for key in sorted(set(mapping) - used):
            self.problems.append(Problem(source, line, f"the mapping names column '{key}', which the header does not "
                                                    "have: check its spelling"))


class _Reader:
    """One pass over the rows; problems are collected, never raised one at a time."""

    def __init__(self, source: str, ladder: Ladder, as_of: date, date_name: str):
        self.source = source
        self.ladder = ladder
        self.as_of = as_of
        self.date_name = date_name
        self.problems: list[Problem] = []
        self.levels = ladder.levels_by_id

    def problem(self, line: int, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.source, line, message, column=column))


def read_org_csv(data: str | bytes, source: str, ladder: Ladder, *, as_of: date,
                 mapping: dict[str, str | None] | None = None,
                 progress: Callable[[int], None] | None = None,
                 date_name: str = "the import date", known_teams: Collection[str] = ()) -> OrgSnapshot:
    """The organisation in a CSV file, as a snapshot on ``as_of`` (everyone active).

    ``date_name`` says what ``as_of`` means, for the message about a ``since`` after it
    ("since 2026-03-01 is after 2026-01-01, the import date"); it may go on to say what to do.
    A role's team must be some row's ``team`` or one of ``known_teams`` (the teams that
    already exist, so that a team only led, with nobody working in it, can be imported again).
    Raises ``InputError`` listing every problem with its line and column.
    """
    text = decode(data, source)
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header_row = next(rows, None)
        while header_row is not None and not any(cell.strip() for cell in header_row):
            header_row = next(rows, None)  # blank lines before the header
    except csv.Error as exc:
        raise InputError([Problem(source, rows.line_num, f"the header cannot be read as CSV: {exc}")]) from exc
    if header_row is None:
        raise InputError([Problem(source, 1, "the file is empty: it needs a header row "
                                             f"(at least {', '.join(REQUIRED)}) and one row per person")])
    header = _Header(header_row, source, {k.lower(): v for k, v in (mapping or {}).items()}, rows.line_num)
    if any(name not in header.position for name in REQUIRED):
        raise InputError(header.problems)  # without id, name and level the rows cannot be checked
    reader = _Reader(source, ladder, as_of, date_name)
    reader.problems.extend(header.problems)  # still check the rows: list every problem in one pass
    with gc_paused():
        return _read_rows(rows, header, reader, progress, known_teams)


def _read_rows(rows: csv._reader, header: _Header, r: _Reader,  # type: ignore[name-defined]
               progress: Callable[[int], None] | None, known_teams: Collection[str]) -> OrgSnapshot:
    pos = header.position
    label = header.label
    width = header.width
    get_pos = pos.get
    i_id, i_name, i_level = pos["id"], pos["name"], pos["level"]
    # A column the file lacks reads the empty cell appended at the end of every row.
    i_email, i_since, i_track, i_team, i_department, i_manager, i_dotted, i_roles = (
        get_pos(c, width) for c in ("email", "since", "preferred_track", "team", "department", "manager_id",
                                    "dotted_manager_ids", "roles"))
    unnamed = header.unnamed
    email_ok = EMAIL.match
    dates: dict[str, date | None] = {}  # the same few thousand dates recur: parse each once
    levels = r.levels
    as_of = r.as_of
    date_name = r.date_name
    people: dict[str, Person] = {}
    line_of: dict[str, int] = {}
    team_line: dict[str, tuple[int, str | None]] = {}  # team -> (line that named its department, department)
    wanted_roles: list[tuple[int, str, str, str, date | None]] = []  # line, person, team, role, start
    references: list[tuple[int, str, str, str]] = []  # line, person, column, referenced id
    previous_end = rows.line_num
    count = 0
    problem = r.problem

    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            problem(rows.line_num, None, f"this row cannot be read as CSV ({exc}): check its quotes")
            previous_end = rows.line_num
            continue
        line = previous_end + 1
        previous_end = rows.line_num
        row = [c.strip() for c in row]
        if not any(row):
            continue  # blank lines are allowed anywhere
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
        if len(row) != width:
            if len(row) > width and not any(row[width:]):
                row = row[:width]  # trailing empty cells, as spreadsheets sometimes add
            else:
                what = "more" if len(row) > width else "fewer"
                problem(line, None, f"this row has {len(row)} fields, {what} than the header's {width}: "
                                    "quote values that contain commas")
                continue
        row.append("")
        for i in unnamed:
            if row[i]:
                problem(line, f"#{i + 1}", f"column {i + 1} has a value but no name in the header: "
                                           "name the column or remove the value")

        pid = row[i_id]
        name = row[i_name]
        level = row[i_level].lower()
        ok = True
        if not pid:
            problem(line, label["id"], "the id is missing: every person needs a unique id")
            ok = False
        elif LIST_SEPARATOR in pid:
            problem(line, label["id"], f"the id '{pid}' contains ';', which separates ids in lists: choose another id")
            ok = False
        elif pid in line_of:
            problem(line, label["id"], f"duplicate id '{pid}' (first on line {line_of[pid]}): ids must be unique")
            ok = False
        if not name:
            problem(line, label["name"], "the name is missing")
        if not level:
            problem(line, label["level"], "the level is missing: give a level id of the ladder")
        elif level not in levels:
            problem(line, label["level"], f"unknown level '{level}': use one of {', '.join(levels)}")

        email = row[i_email]
        if email and not email_ok(email):
            problem(line, label["email"], f"'{email}' is not an email address (expected name@domain.example)")

        since: date | None = None
        raw_since = row[i_since]
        if raw_since:
            if raw_since in dates:
                since = dates[raw_since]
            else:
                try:
                    since = date.fromisoformat(raw_since) if len(raw_since) == 10 else None
                except ValueError:
                    since = None
                dates[raw_since] = since
            if since is None:
                problem(line, label["since"], f"'{raw_since}' is not a date: write it as YYYY-MM-DD")
            elif since > as_of:
                problem(line, label["since"], f"since {raw_since} is after {as_of.isoformat()}, {date_name}")

        track = row[i_track].lower() or UNDECIDED
        if track not in PREFERRED_TRACKS:
            problem(line, label["preferred_track"],
                    f"unknown preferred track '{track}': use one of {', '.join(PREFERRED_TRACKS)} or leave it empty")

        team: str | None = row[i_team] or None
        department = row[i_department] or None
        if team is not None:
            if LIST_SEPARATOR in team:
                problem(line, label["team"], f"the team name '{team}' contains ';', which separates roles: rename it")
            known = team_line.get(team)
            if known is None or (known[1] is None and department is not None):
                team_line[team] = (line, department)
            elif department is not None and known[1] != department:
                problem(line, label["department"],
                        f"team '{team}' is in department '{department}' here but in '{known[1]}' on line "
                        f"{known[0]}: a team belongs to one department")
        elif department is not None:
            problem(line, label["department"], "a department is given but no team: the department belongs to the "
                                               "team, so give the team or leave the department empty")

        manager = row[i_manager] or None
        if manager is not None:
            references.append((line, pid, "manager_id", manager))
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
                problem(line, label["roles"], f"unknown role '{role}': use {' or '.join(ROLES)}, "
                                              f"optionally with {TEAM_MARK}TEAM")
                continue
            target = role_team if mark else team
            if not target:
                where = "names no team after '@'" if mark else "applies to the person's own team, and no team is given"
                problem(line, label["roles"], f"the role '{token}' {where}: give the team or write {role}@TEAM")
                continue
            wanted_roles.append((line, pid, target, role, since))

        if ok:
            line_of[pid] = line
            # Positional: this runs once per person, and keywords cost measurably at 100,000.
            people[pid] = Person(pid, name, level, email, track, manager, tuple(sorted(dotted)) if dotted else (),
                                 team, True, since)
    if progress is not None:
        progress(count)
    if count == 0:
        r.problem(header.line, None, "the file has a header but no people: an import would mark everyone as left")

    label_of = label.get
    for line, pid, column, ref in references:
        if ref == pid:
            what = "their own manager" if column == "manager_id" else "their own dotted manager"
            problem(line, label_of(column, column), f"'{pid}' is {what}: a person cannot report to themself")
        elif ref not in people:
            problem(line, label_of(column, column), f"there is no person with id '{ref}' in this file")
    _check_cycles(people, line_of, r, label_of("manager_id", "manager_id"))

    teams: dict[str, Team] = {name: Team(name, dep) for name, (_, dep) in team_line.items()}
    seen_roles: set[tuple[str, str, str]] = set()
    roles: list[RoleSpan] = []
    candidates: list[str] = []  # for close matches to an unknown team, gathered at the first one
    for line, pid, team_name, role, start in wanted_roles:
        key = (pid, team_name, role)
        if key in seen_roles:
            continue
        seen_roles.add(key)
        if team_name not in teams:
            if team_name not in known_teams:
                candidates = candidates or sorted(set(team_line) | set(known_teams))
                problem(line, label["roles"], _unknown_team(role, team_name, candidates))
                continue
            teams[team_name] = Team(team_name)  # an existing team that is only led, not worked in
        roles.append(RoleSpan(pid, team_name, role, start))
    if r.problems:
        r.problems.sort(key=lambda p: p.line or 0)
        raise InputError(r.problems)
    roles.sort(key=lambda s: (s.person_id, s.team, s.role))
    return OrgSnapshot(as_of=as_of, people=people, teams=teams, roles=roles, columns=frozenset(pos))


def _unknown_team(role: str, team: str, names: list[str]) -> str:
    guesses = difflib.get_close_matches(team, names, n=3)
    hint = f"did you mean {' or '.join(repr(g) for g in guesses)}? " if guesses else ""
    return (f"the role '{role}{TEAM_MARK}{team}' is on an unknown team: no row works in '{team}' and the "
            f"organisation has no such team; {hint}correct the team's name, or give the team to its members "
            "in the team column")


def _check_cycles(people: dict[str, Person], line_of: dict[str, int], r: _Reader, column: str) -> None:
    """Every solid-line cycle once, naming the people in it (each id is visited once: linear time)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in people:
        if start in state:
            continue
        path: list[str] = []
        node: str | None = start
        while node is not None and node in people and node not in state:
            state[node] = 1
            path.append(node)
            node = people[node].manager_id
        if node is not None and state.get(node) == 1:
            cycle = path[path.index(node):]
            first = min(cycle, key=lambda pid: line_of[pid])
            names = " -> ".join(f"{people[p].name} ({p})" for p in [*cycle, cycle[0]])
            r.problem(line_of[first], column, f"reporting cycle: {names}; someone in it must report elsewhere")
        for pid in path:
            state[pid] = 2


def write_org_csv(snapshot: OrgSnapshot, *, include_preferred_track: bool = True) -> str:
    """The active people as CSV, sorted by id: the same text for the same organisation, always."""
    columns = [c for c in COLUMNS if include_preferred_track or c != "preferred_track"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    teams = snapshot.teams
    roles_by_person = snapshot.roles_by_person
    for pid in sorted(snapshot.active_people):
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
        writer.writerow(values)
    return buffer.getvalue()
