"""``trellis cycle``: open, close and export review cycles from the command line (docs/growth.md)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated

import typer

from trellis.cli.common import fail, out, require_tables, write_text
from trellis.lib.problems import InputError, Problem

app = typer.Typer(help="Open, close and export review cycles.", no_args_is_help=True)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail([Problem(option, None, f"'{value}' is not a date: write it as YYYY-MM-DD")])


def _database() -> None:
    require_tables("growth_cycle", "review cycle")


@app.command("open")
def open_(
    name: Annotated[str, typer.Argument(help="The cycle's name, e.g. '2026 H1'.")],
    start: Annotated[str | None, typer.Option("--start", help="Start of the period (new cycle), YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="End of the period (new cycle), YYYY-MM-DD.")] = None,
    team: Annotated[list[str] | None, typer.Option("--team", help="Only people of this team; repeat.")] = None,
    department: Annotated[list[str] | None, typer.Option("--department", help="Only this department.")] = None,
    level: Annotated[list[str] | None, typer.Option("--level", help="Only people at this level.")] = None,
    track: Annotated[list[str] | None, typer.Option("--track", help="Only people on this track.")] = None,
    attributed: Annotated[bool, typer.Option("--attributed", help="Peer feedback names its authors.")] = False,
) -> None:
    """Open a cycle: a draft one by its name, or a new one with --start and --end."""
    _database()
    from trellis.web.growth import services
    from trellis.web.growth.models import Cycle
    from trellis.web.org.access import Viewer

    viewer = Viewer.operator()
    try:
        cycle = Cycle.objects.filter(name=name).first()
        if cycle is None:
            first, last = _day(start, "--start"), _day(end, "--end")
            if first is None or last is None:
                fail([Problem("trellis cycle open", None, f"no cycle is called '{name}': give --start and --end "
                                                          "to create it")])
            cycle = services.create_cycle(viewer, name=name, period_start=first, period_end=last,
                                          rule={"teams": team or [], "departments": department or [],
                                                "levels": level or [], "tracks": track or []},
                                          anonymous_peers=not attributed)
        n = services.open_cycle(viewer, cycle)
    except InputError as exc:
        fail(exc.problems)
    out.print(f"Opened {cycle.name}: {n} participant{'s' if n != 1 else ''}, judged against ladder version "
              f"{cycle.ladder_version.number if cycle.ladder_version else '?'}.")


@app.command("close")
def close(name: Annotated[str, typer.Argument(help="The cycle's name.")],
          release: Annotated[bool, typer.Option("--release", help="Also release results to participants.")] = False
          ) -> None:
    """Close a cycle: freeze every review with its ladder version and the readiness it gives."""
    _database()
    from trellis.web.growth import services
    from trellis.web.org.access import Viewer

    viewer = Viewer.operator()
    try:
        cycle = services.cycle_by_name(name)
        n = services.close_cycle(viewer, cycle)
        if release:
            services.release_results(viewer, cycle)
    except InputError as exc:
        fail(exc.problems)
    out.print(f"Closed {cycle.name}: {n} review{'s' if n != 1 else ''} frozen"
              f"{'; results released' if release else ''}.")


@app.command("export")
def export(name: Annotated[str, typer.Argument(help="The cycle's name.")],
           output: Annotated[str | None, typer.Option("--output", help="Write to this file.")] = None) -> None:
    """The cycle's self and pair ratings as a ratings CSV (person_id,competency,rating,rater), ready for
    ``trellis readiness --ratings``. Peer ratings are never exported one by one."""
    _database()
    from trellis.web.growth import services

    try:
        rows = services.export_ratings(services.cycle_by_name(name))
    except InputError as exc:
        fail(exc.problems)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["person_id", "competency", "rating", "rater"])
    writer.writerows(rows)
    write_text(buffer.getvalue(), output)


@app.command("remind")
def remind(dry_run: Annotated[bool, typer.Option("--dry-run", help="List what is due; send nothing.")] = False
           ) -> None:
    """E-mail everyone whose self-evaluation, review or peer feedback in an open cycle is due within three
    days: one message a person, each form once per deadline, nobody who turned e-mail off. Run it daily
    (docs/growth.md); running it again sends nothing new. Exit code 1 when the mail server refused a message
    (it is tried again on the next run)."""
    _database()
    from trellis.lib import clock
    from trellis.web.growth import notify

    outcome = notify.remind_due(clock.today(), dry_run=dry_run)
    if dry_run:
        for d in outcome.planned:
            out.print(f"{d.person.external_id}: {d.what}, due {d.due.isoformat()}")
        out.print(f"{len(outcome.planned)} form{'s' if len(outcome.planned) != 1 else ''} due within "
                  f"{notify.REMIND_DAYS} days not yet reminded of; nothing sent (--dry-run).")
        return
    out.print(f"Reminded {outcome.messages} {'person' if outcome.messages == 1 else 'people'} of {outcome.forms} "
              f"form{'s' if outcome.forms != 1 else ''} due within {notify.REMIND_DAYS} days"
              f"{f'; {outcome.skipped} turned e-mail off or have no address' if outcome.skipped else ''}.")
    if outcome.failed:
        fail([Problem("mail server", None, f"refused the message to {a}: it is tried again on the next run")
              for a in outcome.failed])
