"""``trellis org``: import and export the organisation; ``trellis demo-org``: generate one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from trellis.cli.common import err, fail, out, require_tables, tables_exist, write_text
from trellis.lib import clock
from trellis.lib.problems import InputError, Problem, gather
from trellis.org.plan import future_import_date

if TYPE_CHECKING:
    from trellis.org.csvio import LevelRule, ReadOptions

app = typer.Typer(help="Import and export the organisation (people, teams, roles, reporting lines).",
                  no_args_is_help=True)

PROGRESS_FROM = 5000  # rows; smaller files are done before a bar would be drawn


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail([Problem(option, None, f"'{value}' is not a date: write it as YYYY-MM-DD")])


def _share(value: str | None) -> float | None:
    from trellis.org.plan import parse_share

    if value is None:
        return None
    try:
        return parse_share(value)
    except ValueError as exc:
        fail([Problem("--mass-leave-share", None, str(exc))])


AsOf = Annotated[str | None, typer.Option("--as-of", help="Date as YYYY-MM-DD (default: today).")]


ORGANISATION_TABLE = "org_person"


def organisation_tables_exist() -> bool:
    """True once the organisation tables exist."""
    return tables_exist(ORGANISATION_TABLE)


def _database() -> None:
    # Through organisation_tables_exist, which tests replace to stand for a database not yet migrated.
    require_tables(ORGANISATION_TABLE, "organisation", exists=lambda _table: organisation_tables_exist())


def _mapping(map_text: str | None, map_file: str | None) -> dict[str, str | None] | None:
    from trellis.org.csvio import parse_mapping, read_mapping_file

    if map_text is None and map_file is None:
        return None
    mapping: dict[str, str | None] = {}
    problems: list[Problem] = []
    try:
        if map_file is not None:
            mapping.update(read_mapping_file(map_file))
    except InputError as exc:
        problems += exc.problems
    try:
        if map_text is not None:
            mapping.update(parse_mapping(map_text))  # --map refines the file's pairs
    except InputError as exc:
        problems += exc.problems
    if problems:
        fail(problems)
    return mapping


def _read_options(map_text: str | None, map_file: str | None, level_map: str | None, where: list[str] | None,
                  outside_managers: str | None, encoding: str | None = None,
                  date_format: str | None = None) -> ReadOptions:
    """How to read the file: column names, levels, which rows, managers outside it, its encoding and its
    dates; every problem at once."""
    from trellis.org.csvio import (
        ReadOptions,
        parse_date_format,
        parse_encoding,
        parse_outside_managers,
        parse_where,
        read_level_map,
    )

    problems: list[Problem] = []
    mapping = _mapping(map_text, map_file)
    rules: tuple[LevelRule, ...] = ()
    no_filters: tuple[tuple[str, frozenset[str]], ...] = ()
    filters = gather(problems, lambda: parse_where(where or []), no_filters)
    outside = gather(problems, lambda: parse_outside_managers(outside_managers), "error")
    chosen_encoding = gather(problems, lambda: parse_encoding(encoding), None)
    chosen_date_format = gather(problems, lambda: parse_date_format(date_format), None)
    if level_map is not None:
        try:
            data = Path(level_map).read_bytes()
        except OSError as exc:
            problems.append(Problem(level_map, None, f"cannot read the level map ({exc.strerror}): check the path"))
        else:
            _database()
            from trellis.web.ladders.services import active_ladder

            try:
                rules = read_level_map(data, level_map, active_ladder())
            except InputError as exc:
                problems += exc.problems
    if problems:
        fail(problems)
    return ReadOptions(mapping=mapping, level_map=rules, where=filters, outside_managers=outside,
                       encoding=chosen_encoding, date_format=chosen_date_format)


@contextmanager
def _progress_bar(total_rows: int) -> Iterator[Callable[[int], None] | None]:
    """A bar on standard error for large files, fed by the reader every few thousand rows."""
    if total_rows < PROGRESS_FROM:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("reading rows", total=total_rows)

        def update(done: int) -> None:
            # The reader reports the last count once every row is read; the plan and the
            # writes follow, so say so instead of leaving a full bar that seems stuck.
            finished = done >= total_rows or done % 5000 != 0
            bar.update(task, completed=done, total=max(total_rows, done),
                       description="checking and writing" if finished else "reading rows")

        yield update


@app.command("import")
def import_(
    file: Annotated[str, typer.Argument(help="The organisation CSV file (docs/org-csv.md).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    as_of: AsOf = None,
    allow_mass_leave: Annotated[bool, typer.Option(
        "--allow-mass-leave", help="Confirm an import that marks more people as left than the mass-leave share.")]
    = False,
    mass_leave_share: Annotated[str | None, typer.Option(
        "--mass-leave-share", help="The share of people an import may mark as left without --allow-mass-leave: "
                                   "0.1 or 10% (default: TRELLIS_MASS_LEAVE_SHARE, or 10%).")] = None,
    map_text: Annotated[str | None, typer.Option(
        "--map", help='Rename the file\'s columns: "Employee ID=id,Full Name=name,Cost Center=".')] = None,
    map_file: Annotated[str | None, typer.Option("--map-file", help="The same pairs, one per line.")] = None,
    level_map: Annotated[str | None, typer.Option(
        "--level-map", help="A CSV with columns value,level mapping the file's levels (exact or a pattern such as "
                            "'Staff *', case-insensitive; first match wins) to the ladder's.")] = None,
    where: Annotated[list[str] | None, typer.Option(
        "--where", help='Keep only matching rows: "COLUMN=VALUE|VALUE", the column as the file names it '
                        "(repeatable; every filter must match).")] = None,
    outside_managers: Annotated[str | None, typer.Option(
        "--outside-managers", help="error (default): a manager missing from the file is an error; top: the "
                                   "people reporting to one report outside the organisation.")] = None,
    encoding: Annotated[str | None, typer.Option(
        "--encoding", help="The file's text encoding when it is not UTF-8: cp1252 for most Windows exports, "
                           "latin-1, ... (UTF-16 with its byte-order mark is recognised).")] = None,
    date_format: Annotated[str | None, typer.Option(
        "--date-format", help="How the file writes dates when not YYYY-MM-DD: %d/%m/%Y, %m/%d/%Y, ...")] = None,
    prefer_file: Annotated[bool, typer.Option(
        "--prefer-file", help="Where the file differs from an edit made in Trellis, apply the file (the edit is "
                              "reverted).")] = False,
    prefer_trellis: Annotated[bool, typer.Option(
        "--prefer-trellis", help="Where the file differs from an edit made in Trellis, keep the edit (it stays "
                                 "pending) and apply everything else.")] = False,
) -> None:
    """Import the whole organisation from a CSV file: all or nothing, every change recorded."""
    if prefer_file and prefer_trellis:
        fail([Problem("--prefer-file", None, "choose one side for conflicts: --prefer-file or --prefer-trellis")])
    prefer = "file" if prefer_file else "trellis" if prefer_trellis else None
    day = parse_day(as_of, "--as-of") or clock.today()
    future = future_import_date(day, clock.today(), "--as-of")
    if future is not None:
        fail([future])
    share = _share(mass_leave_share)
    options = _read_options(map_text, map_file, level_map, where, outside_managers, encoding, date_format)
    try:
        data = Path(file).read_bytes()
    except OSError as exc:
        fail([Problem(file, None, f"cannot read the file ({exc.strerror}): check the path")])
    _database()
    from trellis.web.org.services import apply_import, mass_leave_refusal, preview_import

    try:
        with _progress_bar(data.count(b"\n") - 1) as progress:  # the header is not a person
            if dry_run:
                plan = preview_import(data, file, as_of=day, options=options, progress=progress, prefer=prefer)
            else:
                plan = apply_import(data, file, as_of=day, options=options, allow_mass_leave=allow_mass_leave,
                                    mass_leave_share=share, progress=progress, prefer=prefer)
    except InputError as exc:
        fail(exc.problems)
    for line in plan.summary_lines():
        out.print(line, markup=False)  # names and teams may contain [brackets]
    for conflict in plan.conflicts:
        kept = "kept, still pending" if prefer == "trellis" else "the file's value applied, the edit reverted"
        out.print(f"Conflict ({kept}): {conflict.describe()}", markup=False)
    people = plan.active_after
    if dry_run:
        out.print(f"Dry run: nothing was written. After the import, {people} people would be active.",
                  markup=False)
        refusal = mass_leave_refusal(plan, share, file)
        if refusal is not None and allow_mass_leave:
            out.print(f"The import {refusal.what}; --allow-mass-leave confirms that they really left.", markup=False)
        elif refusal is not None:
            out.print(f"Without --allow-mass-leave the real import would be refused: it {refusal.what}. If the file "
                      "is complete and they really left, import it with --allow-mass-leave; if it was cut short, "
                      "export it again.", markup=False)
    elif not plan.is_empty:
        n = len(plan.changes)
        out.print(f"Imported {file} as of {day.isoformat()}: {people} active people, "
                  f"{n} change{'s' if n != 1 else ''} recorded.", markup=False)


@app.command()
def export(
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write to FILE (default: standard output).")]
    = None,
    as_of: AsOf = None,
) -> None:
    """Write the organisation (now, or on --as-of) as CSV, sorted by id."""
    day = parse_day(as_of, "--as-of")
    if day is not None and day > clock.today():
        fail([Problem("--as-of", None, f"{day.isoformat()} is after today ({clock.today().isoformat()}): the "
                                       "organisation is known up to today, so export as of today or an earlier day")])
    _database()
    from trellis.web.org.services import export_csv

    try:
        text = export_csv(day)
    except InputError as exc:  # a date before the records begin
        fail([Problem("--as-of", None, p.message) for p in exc.problems])
    write_text(text, output)


def _role_pairs(values: list[str] | None, option: str, problems: list[Problem]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values or []:
        role, mark, team = value.partition("@")
        if not mark or not role.strip() or not team.strip():
            problems.append(Problem(option, None, f"'{value}' is not ROLE@TEAM: write tech_lead@Payments or "
                                                  "people_manager@Payments"))
            continue
        pairs.append((role.strip().lower(), team.strip()))
    return tuple(pairs)


def _none_or(value: str | None) -> str | None:
    """``none`` clears a field (written as an empty value); anything else is kept as written."""
    if value is None:
        return None
    return "" if value.strip().lower() == "none" else value


@app.command()
def change(
    person: Annotated[str | None, typer.Argument(help="The person's id.")] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the history).")] = "",
    level: Annotated[str | None, typer.Option("--level", help="A level id of the active ladder.")] = None,
    manager: Annotated[str | None, typer.Option("--manager", help="The solid-line manager's id, or none.")] = None,
    dotted: Annotated[str | None, typer.Option("--dotted", help="Dotted-line managers' ids, ID,ID, or none.")]
    = None,
    team: Annotated[str | None, typer.Option("--team", help="The team the person works in, or none.")] = None,
    add_role: Annotated[list[str] | None, typer.Option("--add-role", help="ROLE@TEAM to give (repeatable).")]
    = None,
    remove_role: Annotated[list[str] | None, typer.Option("--remove-role", help="ROLE@TEAM to take away "
                                                                                "(repeatable).")] = None,
    preferred_track: Annotated[str | None, typer.Option("--preferred-track",
                                                        help="technical, management or undecided.")] = None,
    leave: Annotated[bool, typer.Option("--leave", help="Mark the person as left (never deleted).")] = False,
    come_back: Annotated[bool, typer.Option("--return", help="Mark a person who had left as back.")] = False,
    rename_team: Annotated[str | None, typer.Option("--rename-team", help="With --of-team: the team's new name.")]
    = None,
    department: Annotated[str | None, typer.Option("--department", help="With --of-team: the team's department, "
                                                                        "or none.")] = None,
    of_team: Annotated[str | None, typer.Option("--of-team", help="Change a team (its name or department) "
                                                                  "instead of a person.")] = None,
    as_of: AsOf = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the changes and their effect on org health; "
                                                            "write nothing.")] = False,
) -> None:
    """Change one person (or, with --of-team, one team): checked like an import, all or nothing, recorded."""
    from trellis.org.edit import PersonEdit, TeamEdit

    problems: list[Problem] = []
    day = parse_day(as_of, "--as-of")
    if not reason.strip():
        problems.append(Problem("--reason", None, "say why with --reason TEXT: it is kept in the history"))
    if (person is None) == (of_team is None):
        problems.append(Problem("PERSON", None, "name one person (PERSON) or one team (--of-team TEAM)"))
    adds = _role_pairs(add_role, "--add-role", problems)
    removes = _role_pairs(remove_role, "--remove-role", problems)
    if problems:
        fail(problems)
    _database()
    from django.core.exceptions import PermissionDenied

    from trellis.web.org import services
    from trellis.web.org.access import Viewer

    try:
        if of_team is not None:
            outcome = services.edit_team(TeamEdit(of_team, name=rename_team, department=_none_or(department)),
                                         viewer=Viewer.operator(), reason=reason, as_of=day, dry_run=dry_run)
        else:
            assert person is not None
            dotted_ids = None if dotted is None else tuple(
                d for d in ([] if _none_or(dotted) == "" else dotted.split(",")))
            edit = PersonEdit(person, level=level, manager_id=_none_or(manager), dotted_manager_ids=dotted_ids,
                              team=_none_or(team), add_roles=adds, remove_roles=removes,
                              preferred_track=preferred_track, leave=leave, rejoin=come_back)
            outcome = services.edit_person(edit, viewer=Viewer.operator(), reason=reason, as_of=day,
                                           dry_run=dry_run)
    except InputError as exc:
        fail(exc.problems)
    except PermissionDenied as exc:  # the command line holds every right; kept for a clear message all the same
        fail([Problem("trellis org change", None, str(exc))])
    for line in outcome.plan.summary_lines():
        out.print(line, markup=False)
    if outcome.health is not None:
        for f in outcome.health.appeared:
            out.print(f"Health, would appear: {f.code}: {f.message}" if dry_run else
                      f"Health, appeared: {f.code}: {f.message}", markup=False)
        for f in outcome.health.disappeared:
            out.print(f"Health, would go: {f.code}: {f.message}" if dry_run else
                      f"Health, gone: {f.code}: {f.message}", markup=False)
    if dry_run:
        out.print("Dry run: nothing was written.", markup=False)
    elif outcome.applied:
        out.print(f"Recorded as edit {outcome.edit_id}; the new values stay pending until an imported file "
                  "agrees.", markup=False)


@app.command()
def history(
    person: Annotated[str | None, typer.Argument(help="The person's id.")] = None,
    team: Annotated[str | None, typer.Option("--team", help="A team's history instead of a person's.")] = None,
    format_: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Every recorded change of one person or team: its date, what changed, and where it came from."""
    import json

    from rich.table import Table
    from rich.text import Text

    if (person is None) == (team is None):
        fail([Problem("PERSON", None, "name one person (PERSON) or one team (--team TEAM)")])
    if format_ not in ("table", "json"):
        fail([Problem("--format", None, f"unknown format '{format_}': use table or json")])
    _database()
    from trellis.web.org import services
    from trellis.web.org.models import Person, Team

    if person is not None and not Person.objects.filter(external_id=person).exists():
        fail([Problem("PERSON", None, f"there is no person with id '{person}'")])
    if team is not None and not Team.objects.filter(name=team).exists():
        fail([Problem("--team", None, f"there is no team '{team}'")])
    changes = services.history_for_person(person) if person is not None else services.history_for_team(team or "")
    if format_ == "json":
        write_text(json.dumps([{"effective": c.effective.isoformat(), "kind": c.kind, "person_id": c.person_id,
                                "team": c.team, "old": c.old, "new": c.new, "source": c.source}
                               for c in changes], indent=2, ensure_ascii=False) + "\n", None)
        return
    table = Table("date", "what", "who or which team", "from", "to", "source")
    for c in changes:
        # Text cells: names and reasons may contain [brackets], never markup.
        table.add_row(*(Text(v) for v in (c.effective.isoformat(), c.kind, c.person_id or c.team or "", c.old or "",
                                          c.new or "", c.source or "before sources were recorded")))
    out.print(table, markup=False)


def register(root: typer.Typer) -> None:
    @root.command("demo-org")
    def demo_org(
        people: Annotated[int, typer.Option(help="How many people.")] = 200,
        seed: Annotated[int, typer.Option(help="The same seed gives the same organisation.")] = 1,
        output: Annotated[str | None, typer.Option("--output", "-o", help="Write to FILE (default: standard "
                                                                            "output).")] = None,
    ) -> None:
        """Write a realistic generated organisation CSV, with a few planted problems for org health."""
        from trellis.org.generate import MIN_PEOPLE, generate_org_csv

        if people < MIN_PEOPLE:
            fail([Problem("--people", None, f"{people} is too few: a demo organisation needs at least "
                                            f"{MIN_PEOPLE} people")])
        write_text(generate_org_csv(people, seed), output)
