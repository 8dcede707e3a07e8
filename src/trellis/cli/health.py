"""``trellis health``: the org-health report, from the database or a CSV file, now or on a past date,
and what planned changes would do to it."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console, RenderableType

from trellis.cli.common import database_is_ready, fail, out, print_problems, write_text
from trellis.health.asof import parse_as_of
from trellis.health.engine import evaluate
from trellis.health.policy import Policy, check_policy, load_policy
from trellis.health.render import report_html, report_json, report_table, what_if_html, what_if_json, what_if_table
from trellis.health.whatif import Simulation, WhatIf, parse_what_if_file, parse_what_if_options
from trellis.ladder.load import load_default, load_file
from trellis.ladder.model import Ladder
from trellis.lib import clock
from trellis.lib.problems import InputError, Problem
from trellis.org.model import OrgSnapshot


class Format(StrEnum):
    table = "table"
    json = "json"
    html = "html"


def register(app: typer.Typer) -> None:
    app.command("health")(health)


def health(
    from_csv: Annotated[str | None, typer.Option(
        "--from-csv", help="Read the organisation from this CSV file (docs/org-csv.md); no database needed.")] = None,
    ladder_file: Annotated[str | None, typer.Option(
        "--ladder", help="A ladder file (default: the active ladder, or the built-in one with --from-csv).")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Judge the organisation as it was on this date, YYYY-MM-DD (default: today).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table, json or html.")] = Format.table,
    output: Annotated[str | None, typer.Option("--output", help="Write to this file instead of the terminal.")] = None,
    policy_file: Annotated[str | None, typer.Option(
        "--policy", help="A policy file overriding the default thresholds (docs/health.md).")] = None,
    what_if: Annotated[list[str] | None, typer.Option(
        "--what-if", help='A planned change, e.g. "promote alice engineering-manager"; repeat for more.')] = None,
    what_if_file: Annotated[str | None, typer.Option(
        "--what-if-file", help="A YAML file listing planned changes (docs/health.md).")] = None,
) -> None:
    """Find where technical leadership is missing or failing, and what planned changes would do.

    Exit code 0 even when there are findings; 1 only for bad input, with every problem listed.
    """
    problems: list[Problem] = []
    day = _parse_day(as_of, problems)
    from_database = from_csv is None and database_is_ready()
    ladder = _ladder(ladder_file, from_database, problems)
    policy = _policy(policy_file, ladder, problems)
    changes = _changes(what_if or [], what_if_file, problems)
    snapshot = _snapshot(from_csv, from_database, ladder, day, problems) if ladder is not None else None
    if problems or snapshot is None or ladder is None:
        fail(problems)
    if changes:
        try:
            result = Simulation(snapshot, ladder, policy).run(changes)
        except InputError as exc:
            fail(exc.problems)
        _emit(fmt, output, lambda: what_if_table(result), lambda: what_if_json(result), lambda: what_if_html(result))
        return
    report = evaluate(snapshot, ladder, policy)
    _emit(fmt, output, lambda: report_table(report), lambda: report_json(report), lambda: report_html(report))


def _emit(fmt: Format, output: str | None, table: Callable[[], RenderableType], as_json: Callable[[], str],
          as_html: Callable[[], str]) -> None:
    if fmt is Format.json:
        write_text(as_json(), output)
    elif fmt is Format.html:
        write_text(as_html(), output)
        if output not in (None, "-"):
            out.print(f"Wrote {output}.")
    elif output in (None, "-"):
        out.print(table())
    else:
        buffer = io.StringIO()
        Console(file=buffer, width=140, no_color=True, highlight=False).print(table())
        write_text(buffer.getvalue(), output)


class _EveryTeam:
    """Any team a role names counts as known: the file is being judged, not imported, and an export
    of the organisation may name a team that is led but has nobody working in it."""

    def __contains__(self, name: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def _parse_day(value: str | None, problems: list[Problem]) -> date | None:
    try:
        return parse_as_of(value, "--as-of", today=clock.today(), hint="; to judge a planned change, use --what-if")
    except InputError as exc:
        problems += exc.problems
        return None


def _ladder(path: str | None, from_database: bool, problems: list[Problem]) -> Ladder | None:
    """The ladder file given, else the database's active ladder, else the built-in one."""
    try:
        if path is not None:
            return load_file(path).ladder
    except InputError as exc:
        problems += exc.problems
        return None
    if not from_database:
        return load_default().ladder
    from trellis.web.ladders import services

    return services.active_ladder()


def _policy(path: str | None, ladder: Ladder | None, problems: list[Problem]) -> Policy:
    if path is None:
        policy = Policy()
        if ladder is not None:
            # The defaults name the built-in ladder's levels; another ladder may not have them.
            print_problems(replace(problem, source="default policy", severity="warning")
                           for problem in check_policy(policy, ladder))
        return policy
    try:
        return load_policy(path, ladder)
    except InputError as exc:
        problems += exc.problems
        return Policy()


def _changes(texts: list[str], path: str | None, problems: list[Problem]) -> list[WhatIf]:
    changes: list[WhatIf] = []
    try:
        changes += parse_what_if_options(texts)
    except InputError as exc:
        problems += exc.problems
    if path is not None:
        try:
            changes += parse_what_if_file(path)
        except InputError as exc:
            problems += exc.problems
    return changes


def _snapshot(from_csv: str | None, from_database: bool, ladder: Ladder, day: date | None,
              problems: list[Problem]) -> OrgSnapshot | None:
    if from_csv is not None:
        from trellis.org.csvio import read_org_csv

        try:
            data = Path(from_csv).read_bytes()
            return read_org_csv(data, from_csv, ladder, as_of=day or clock.today(), known_teams=_EveryTeam(),
                                date_name=(
                "the --as-of date (a CSV file has no history: give the file as it stood on that date, "
                "or leave out --as-of)" if day else "today"))
        except OSError as exc:
            problems.append(Problem(from_csv, None, f"cannot read the file ({exc.strerror}): check the path"))
            return None
        except InputError as exc:
            problems += exc.problems
            return None
    if not from_database:
        problems.append(Problem("database", None, "there is no organisation database yet: run 'trellis migrate' and "
                                                  "'trellis org import FILE.csv', or give --from-csv FILE"))
        return None
    from trellis.web.org import services

    return services.load_snapshot(day)
