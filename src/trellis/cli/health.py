"""``trellis health``: the org-health report, from the database or a CSV file, now or on a past date,
and what planned changes would do to it."""

from __future__ import annotations

import getpass
import io
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console, RenderableType
from rich.markup import escape
from rich.table import Table

from trellis.cli.common import database_is_ready, err, fail, out, print_problems, write_text
from trellis.health.acknowledge import acknowledged
from trellis.health.asof import parse_as_of
from trellis.health.engine import CODES, evaluate
from trellis.health.policy import Policy, check_policy, load_policy
from trellis.health.render import report_html, report_json, report_table, what_if_html, what_if_json, what_if_table
from trellis.health.whatif import Simulation, WhatIf, read_what_if_file, read_what_if_options
from trellis.ladder.load import load_default, load_file
from trellis.ladder.model import Ladder
from trellis.lib import clock
from trellis.lib.problems import InputError, Problem
from trellis.org.model import OrgSnapshot


class Format(StrEnum):
    table = "table"
    json = "json"
    html = "html"


app = typer.Typer(help="Org health: findings, acknowledgements and what-if.", add_completion=False)


def register(main: typer.Typer) -> None:
    main.add_typer(app, name="health")


class Severity(StrEnum):
    critical = "critical"
    warning = "warning"
    info = "info"


@app.callback(invoke_without_command=True)
def health(
    ctx: typer.Context,
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
    code: Annotated[str | None, typer.Option("--code", help="Only findings of this code.")] = None,
    team: Annotated[str | None, typer.Option("--team", help="Only findings about this team (its name).")] = None,
    person: Annotated[str | None, typer.Option("--person", help="Only findings about this person (their id).")] = None,
    severity: Annotated[Severity | None, typer.Option("--severity", help="Only findings of this severity.")] = None,
    scenario: Annotated[str | None, typer.Option(
        "--scenario", help="Run a saved what-if scenario (its name, or #NUMBER) against today's organisation "
                           "in the database ('trellis health scenarios' lists them).")] = None,
) -> None:
    """Find where technical leadership is missing or failing, and what planned changes would do.

    Exit code 0 even when there are findings; 1 only for bad input, with every problem listed.
    """
    if ctx.invoked_subcommand is not None:
        return
    if scenario is not None:
        given = {"--from-csv": from_csv, "--ladder": ladder_file, "--as-of": as_of, "--policy": policy_file,
                 "--what-if": what_if, "--what-if-file": what_if_file, **_filters(code, team, person, severity)}
        _scenario(scenario, fmt, output, [name for name, value in given.items() if value])
        return
    problems: list[Problem] = []
    if what_if or what_if_file:  # said first, with every other problem: a filter would hide what a change does
        problems += [Problem(name, None, "a what-if shows every finding that appears or disappears: leave out "
                                         f"{name}, which filters a report")
                     for name, value in _filters(code, team, person, severity).items() if value]
    elif code is not None and code not in CODES:
        problems.append(Problem("--code", None, f"unknown finding code '{code}'; codes are: {', '.join(CODES)}"))
    day = _parse_day(as_of, problems)
    from_database = from_csv is None and database_is_ready()
    ladder = _ladder(ladder_file, from_database, problems)
    policy = _policy(policy_file, ladder, problems)
    # Changes that do not read are reported with those that do not apply, every problem at once.
    change_problems: list[Problem] = []
    changes = _changes(what_if or [], what_if_file, change_problems)
    snapshot = _snapshot(from_csv, from_database, ladder, day, problems) if ladder is not None else None
    if problems or snapshot is None or ladder is None:
        fail(problems + change_problems)
    if changes or change_problems:
        try:
            result = Simulation(snapshot, ladder, policy, team_keys=_team_keys(from_database)).run(
                changes, problems=change_problems)
        except InputError as exc:
            fail(exc.problems)
        _emit(fmt, output, lambda: what_if_table(result), lambda: what_if_json(result), lambda: what_if_html(result))
        return
    report = evaluate(snapshot, ladder, policy)
    if from_database:
        from trellis.web.health import services

        report = acknowledged(report, services.acknowledgements(), clock.today())
    report = report.filtered(code=code, team=team, person=person, severity=severity.value if severity else None)
    _emit(fmt, output, lambda: report_table(report), lambda: report_json(report), lambda: report_html(report))


def _filters(code: str | None, team: str | None, person: str | None,
             severity: Severity | None) -> dict[str, object]:
    """The options that filter a report's findings."""
    return {"--code": code, "--team": team, "--person": person, "--severity": severity}


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
    changes, found = read_what_if_options(texts)
    problems += found
    if path is not None:
        from_file, found = read_what_if_file(path)
        changes += from_file
        problems += found
    return changes


def _team_keys(from_database: bool) -> dict[str, str]:
    if not from_database:
        return {}
    from trellis.web.health import services

    return services.team_keys()


def _snapshot(from_csv: str | None, from_database: bool, ladder: Ladder, day: date | None,
              problems: list[Problem]) -> OrgSnapshot | None:
    if from_csv is not None:
        from trellis.org.csvio import read_org_csv

        try:
            data = Path(from_csv).read_bytes()
            # The import's own checks, as a first import of the file would make them: a role on a team that
            # no row works in is refused (a misspelt team is not judged as a team with no tech lead).
            return read_org_csv(data, from_csv, ladder, as_of=day or clock.today(),
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

    try:
        return services.load_snapshot(day)
    except services.BeforeTheRecords as exc:
        problems += [Problem("--as-of", None, p.message) for p in exc.problems]
        return None


@app.command("acknowledge")
def acknowledge(
    code: Annotated[str, typer.Argument(help="The finding's code, e.g. span-of-control.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the finding is deliberate, in words.")],
    team: Annotated[str | None, typer.Option("--team", help="The team the finding is about (its name).")] = None,
    person: Annotated[str | None, typer.Option("--person", help="The person it is about (their id).")] = None,
    level: Annotated[str | None, typer.Option("--level", help="The level it is about (thin-bench).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Until this date, YYYY-MM-DD (default: until the "
                                                              "evidence changes).")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who acknowledges it (default: the account running "
                                                        "the command).")] = None,
) -> None:
    """Acknowledge today's finding as deliberate: it leaves the counts until it expires or its evidence changes."""
    if not database_is_ready():
        fail([Problem("database", None, "there is no organisation database yet: acknowledgements are kept in it")])
    from trellis.web.health import services
    from trellis.web.org.access import Viewer

    problems: list[Problem] = []
    day = None
    if until is not None:
        try:
            day = date.fromisoformat(until.strip())
        except ValueError:
            problems.append(Problem("--until", None, f"'{until}' is not a date: write it as YYYY-MM-DD"))
    if not (team or person or level):
        problems.append(Problem("acknowledge", None, "say what the finding is about: --team NAME, --person ID "
                                                     "or --level ID"))
    if problems:
        fail(problems)
    who = by or f"{getpass.getuser()} (command line)"
    try:
        ack = services.acknowledge(Viewer.operator(), code=code, team=team, person=person, level=level,
                                   reason=reason, until=day, by=who, source="trellis health acknowledge")
    except InputError as exc:
        fail(exc.problems)
    until_text = f" until {ack.until.isoformat()}" if ack.until else " until its evidence changes"
    out.print(f"Acknowledged {ack.code} about {ack.team or ack.person or ack.level}{until_text} (#{ack.id}): "
              f"{ack.reason}", markup=False)


@app.command("acknowledgements")
def acknowledgements(
    fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
) -> None:
    """List acknowledgements: who, when, why, until when, and whether each still covers its finding."""
    if not database_is_ready():
        fail([Problem("database", None, "there is no organisation database yet: acknowledgements are kept in it")])
    from trellis.web.health import services

    rows = services.acknowledgement_status()
    if fmt is Format.json:
        write_text(json.dumps([{**ack.to_dict(), "status": status} for ack, status in rows], indent=2,
                              ensure_ascii=False) + "\n", None)
        return
    if not rows:
        out.print("No acknowledgements.")
        return
    table = Table(title="Acknowledgements", title_justify="left", show_lines=True, expand=True)
    for column in ("#", "Finding", "About", "By, on", "Until", "Reason", "Status"):
        table.add_column(column)
    for ack, status in rows:
        table.add_row(str(ack.id), ack.code, ack.team or ack.person or ack.level or "the organisation",
                      f"{ack.by}, {clock.day_of(ack.at).isoformat()}", ack.until.isoformat() if ack.until else "–",
                      ack.reason, status)
    out.print(table)


@app.command("unacknowledge")
def unacknowledge(
    ack_id: Annotated[int, typer.Argument(metavar="ID", help="The acknowledgement's number, as "
                                                             "'trellis health acknowledgements' lists it.")],
    by: Annotated[str | None, typer.Option("--by", help="Who withdraws it (default: the account running "
                                                        "the command).")] = None,
) -> None:
    """Withdraw an acknowledgement: its finding is open again and counted (the record of it is kept)."""
    if not database_is_ready():
        fail([Problem("database", None, "there is no organisation database yet: acknowledgements are kept in it")])
    from trellis.web.health import services
    from trellis.web.org.access import Viewer

    who = by or f"{getpass.getuser()} (command line)"
    try:
        ack = services.withdraw(Viewer.operator(), ack_id, who)
    except InputError as exc:
        fail([replace(p, source="trellis health unacknowledge") for p in exc.problems])
    about = ack.team or ack.person or ack.level or "the organisation"
    out.print(f"Withdrew acknowledgement #{ack.id} of {ack.code} about {about}: the finding is open again.",
              markup=False)


@app.command("keep")
def keep(
    again: Annotated[bool, typer.Option(
        "--again", help="Judge even when today's report is kept already: after a change made to the database "
                        "outside Trellis.")] = False,
) -> None:
    """Judge the organisation as it stands today and keep the report every page reads: run it just after
    midnight (the first page of a new day would otherwise judge it). Nothing is judged when today's report
    is kept already, unless --again."""
    if not database_is_ready():
        fail([Problem("database", None, "there is no organisation database yet: run 'trellis manage migrate' "
                                        "and import an organisation first")])
    from trellis.web.health import services

    judged = services.keep_report(again=again)
    out.print(f"Judged and kept {judged} report{'s' if judged != 1 else ''}." if judged
              else "Today's reports were kept already: nothing judged.", markup=False)


def _scenario(name: str, fmt: Format, output: str | None, others: list[str]) -> None:
    """Run a saved scenario against today's organisation in the database, as ``--what-if`` shows its changes."""
    problems = [Problem("--scenario", None, f"a saved scenario runs against today's organisation in the database: "
                                            f"leave out {other}") for other in others]
    if not database_is_ready():
        problems.append(Problem("database", None, "there is no organisation database yet: scenarios are kept in it"))
    if problems:
        fail(problems)
    from trellis.web.health import scenarios
    from trellis.web.org.access import Viewer

    try:
        ran = scenarios.run(scenarios.named(Viewer.operator(), name))
    except InputError as exc:
        fail(exc.problems)
    row, result = ran.scenario, ran.result
    saved = clock.day_of(row.created_at).isoformat()
    err.print(f"Scenario '{row.name}' (#{row.pk}), saved by {row.by} on {saved}, run "
              f"again against today's organisation ({clock.today().isoformat()}).", markup=False)
    print_problems(Problem(f"scenario '{row.name}'", change.line, f"left out, it no longer applies: "
                                                                 f"{change.describe()}: {p.message}", "warning")
                   for change, found in result.skipped for p in found)
    _emit(fmt, output, lambda: what_if_table(result), lambda: what_if_json(result), lambda: what_if_html(result))


@app.command("scenarios")
def scenario_list(
    fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
) -> None:
    """List saved what-if scenarios, most recently saved first: number, name, who saved it, when, its changes."""
    if not database_is_ready():
        fail([Problem("database", None, "there is no organisation database yet: scenarios are kept in it")])
    from trellis.web.health import scenarios
    from trellis.web.org.access import Viewer

    rows = scenarios.visible(Viewer.operator())
    if fmt is Format.json:
        write_text(json.dumps([{"id": row.pk, "name": row.name, "note": row.note, "changes": row.changes.splitlines(),
                                "by": row.by, "created_at": row.created_at.isoformat(),
                                "updated_at": row.updated_at.isoformat()} for row in rows],
                              indent=2, ensure_ascii=False) + "\n", None)
        return
    if not rows:
        out.print("No saved scenarios.")
        return
    table = Table(title="Saved what-if scenarios", title_justify="left", show_lines=True, expand=True)
    for column in ("#", "Name", "Note", "Changes", "By, last saved"):
        table.add_column(column)
    for row in rows:
        table.add_row(str(row.pk), escape(row.name), escape(row.note), escape(row.changes),
                      escape(f"{row.by}, {clock.day_of(row.updated_at).isoformat()}"))
    out.print(table)
