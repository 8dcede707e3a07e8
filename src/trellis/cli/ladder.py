"""``trellis ladder``: validate, show, export, diff and load ladder files."""

from __future__ import annotations

import json
from typing import Annotated

import typer
import yaml
from rich.table import Table

from trellis.cli.common import LADDER_TABLE, database_is_ready, fail, out, print_problems, require_tables, write_text
from trellis.ladder.diff import diff_ladders
from trellis.ladder.grid import grade_rows
from trellis.ladder.load import LoadedLadder, load_default, load_file
from trellis.ladder.model import Ladder
from trellis.lib.problems import InputError

app = typer.Typer(help="Validate, show, export, compare and load career ladders.", no_args_is_help=True)

FileArg = Annotated[str | None, typer.Argument(help="A ladder YAML file; omit for the active ladder.")]


def _load(path: str | None) -> LoadedLadder:
    try:
        return load_file(path) if path else load_default()
    except InputError as exc:
        fail(exc.problems)


def active_ladder(version: int | None = None) -> Ladder:
    """The database's active (or numbered) version; the built-in default before any is loaded."""
    if not database_is_ready():
        if version is not None:
            fail([], "no database with ladder versions: run 'trellis migrate' and 'trellis ladder load'")
        return load_default().ladder
    from trellis.web.ladders import services
    from trellis.web.ladders.models import LadderVersion

    if version is None:
        return services.active_ladder()
    stored = LadderVersion.objects.filter(number=version).first()
    if stored is None:
        fail([], f"there is no ladder version {version}: see 'trellis ladder versions'")
    return services.ladder_of(stored)


def _require_database() -> None:
    require_tables(LADDER_TABLE, "ladder")


@app.command()
def validate(
    file: FileArg = None,
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
) -> None:
    """Check a ladder file (default: the built-in ladder); list every problem with its line."""
    loaded = _load(file)
    print_problems(loaded.warnings)
    if strict and loaded.warnings:
        fail([], f"{len(loaded.warnings)} warning(s) and --strict was given")
    ladder = loaded.ladder
    out.print(f"OK: {loaded.source} is a valid ladder: {len(ladder.levels)} levels on "
              f"{len(ladder.tracks)} tracks, {len(ladder.competencies)} competencies, "
              f"{len(loaded.warnings)} warning(s).")


@app.command()
def show(
    file: FileArg = None,
    version: Annotated[int | None, typer.Option(help="A stored version number instead of the active one.")] = None,
    scopes: Annotated[bool, typer.Option(help="Print each level's scope under its title.")] = False,
) -> None:
    """Print the tracks side by side, levels aligned by grade."""
    ladder = _load(file).ladder if file else active_ladder(version)
    tracks, rows = grade_rows(ladder)
    table = Table(title=f"{ladder.name}" + (f" ({ladder.version})" if ladder.version else ""), show_lines=True)
    table.add_column("Grade", justify="center", style="bold")
    for track in tracks:
        table.add_column(track.name, ratio=1)
    for row in rows:
        cells = []
        for levels in row.cells:
            parts = []
            for level in levels:
                text = f"[bold]{level.title}[/bold]\n[dim]{level.id}[/dim]"
                if scopes:
                    text += f"\n{level.scope.strip()}"
                parts.append(text)
            cells.append("\n".join(parts) if parts else "[dim]-[/dim]")
        table.add_row(str(row.grade), *cells)
    out.print(table)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="json or yaml.")] = "yaml",
    output: Annotated[str | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    version: Annotated[int | None, typer.Option(help="A stored version number instead of the active one.")] = None,
) -> None:
    """Write the active ladder (or a stored version) as JSON or YAML."""
    if format not in ("json", "yaml"):
        fail([], f"unknown format '{format}': use json or yaml")
    data = active_ladder(version).model_dump(mode="json", exclude_defaults=True)
    if format == "json":
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    write_text(text, output)


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="The earlier ladder file.")],
    new: Annotated[str, typer.Argument(help="The later ladder file.")],
) -> None:
    """Say what changed between two ladder files."""
    before, after = _load(old), _load(new)
    changes = diff_ladders(before.ladder, after.ladder)
    if not changes:
        out.print("No differences.")
        return
    for change in changes:
        out.print(str(change))
    out.print(f"{len(changes)} change(s).")


@app.command()
def load(
    file: Annotated[str, typer.Argument(help="The ladder file to store as a new version.")],
    activate: Annotated[bool, typer.Option(help="Make the new version the active one.")] = True,
) -> None:
    """Store a ladder file in the database as a new, immutable version."""
    loaded = _load(file)
    print_problems(loaded.warnings)
    _require_database()
    from trellis.web.ladders import services

    version = services.store_version(loaded, activate=activate)
    out.print(f"Stored as version {version.number}" + (" (active)." if version.is_active else "."))


@app.command()
def versions() -> None:
    """List stored ladder versions."""
    _require_database()
    from trellis.web.ladders.models import LadderVersion

    table = Table("Version", "Name", "Label", "Loaded", "Active")
    for v in LadderVersion.objects.order_by("number"):
        table.add_row(str(v.number), v.name, v.label, v.loaded_at.strftime("%Y-%m-%d %H:%M"),
                      "yes" if v.is_active else "")
    out.print(table)


@app.command("activate")
def activate_cmd(number: Annotated[int, typer.Argument(help="The version number to make active.")]) -> None:
    """Make a stored ladder version the active one."""
    _require_database()
    from trellis.web.ladders import services
    from trellis.web.ladders.models import LadderVersion

    if not LadderVersion.objects.filter(number=number).exists():
        fail([], f"there is no ladder version {number}: see 'trellis ladder versions'")
    services.activate_version(number)
    out.print(f"Version {number} is now active.")
