"""``trellis readiness``: how ready each person is for their level, the next one and the other track's peer.

From files with no database (``--from-csv ORG.csv --ratings RATINGS.csv``); the rules are
``trellis.growth.readiness``'s, the same the web and the API use.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, cast

import typer
from rich.table import Table

from trellis.cli import health as health_cli
from trellis.cli.common import fail, require_tables, write_text
from trellis.growth.ratings import read_ratings_csv
from trellis.growth.readiness import everyone
from trellis.lib.problems import InputError, Problem


class Format(StrEnum):
    table = "table"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("readiness")(readiness)


def readiness(
    cycle: Annotated[str | None, typer.Option(
        "--cycle", help="A review cycle in the database, by name: its participants' readiness.")] = None,
    from_csv: Annotated[str | None, typer.Option(
        "--from-csv", help="The organisation CSV (docs/org-csv.md): who is at which level.")] = None,
    ratings: Annotated[str | None, typer.Option(
        "--ratings", help="The ratings CSV: person_id,competency,rating,rater (docs/growth.md).")] = None,
    ladder_file: Annotated[str | None, typer.Option(
        "--ladder", help="A ladder file (default: the built-in ladder).")] = None,
    policy_file: Annotated[str | None, typer.Option(
        "--policy", help="A policy file overriding the readiness thresholds (docs/growth.md).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
    output: Annotated[str | None, typer.Option("--output", help="Write to this file instead of the terminal.")] = None,
) -> None:
    """Readiness per person: tier, score, coverage, must-haves missed and competencies below expectation.

    From a review cycle in the database (--cycle NAME: a closed cycle answers what it froze), or from
    files with no database (--from-csv ORG.csv --ratings RATINGS.csv). Exit code 0 whatever the tiers;
    1 for bad input, every problem listed with its line.
    """
    problems: list[Problem] = []
    if cycle is not None:
        if from_csv is not None or ratings is not None or ladder_file is not None or policy_file is not None:
            fail([Problem("trellis readiness", None, "--cycle reads the database: give it alone, without "
                                                     "--from-csv, --ratings, --ladder or --policy")])
        _emit(_from_cycle(cycle), fmt, output)
        return
    if from_csv is None or ratings is None:
        fail([Problem("trellis readiness", None, "give a review cycle (--cycle NAME) or the organisation and its "
                                                 "ratings: --from-csv ORG.csv --ratings RATINGS.csv")])
    ladder = health_cli._ladder(ladder_file, False, problems)
    policy = health_cli._policy(policy_file, ladder, problems)
    snapshot = health_cli._snapshot(from_csv, False, ladder, None, problems) if ladder is not None else None
    if problems or snapshot is None or ladder is None:
        fail(problems)
    try:
        data = Path(ratings).read_bytes()
    except OSError as exc:
        fail([Problem(ratings, None, f"cannot read the file ({exc.strerror}): check the path")])
    people = snapshot.active_people
    try:
        by_person = read_ratings_csv(data, ratings, ladder, people)
    except InputError as exc:
        fail(exc.problems)
    found = everyone(ladder, ((pid, people[pid].level, by_person.get(pid, [])) for pid in sorted(people)), policy)
    _emit([(pid, [r.as_dict() for r in targets]) for pid, targets in found.items()], fmt, output)


def _from_cycle(name: str) -> list[tuple[str, list[dict[str, object]]]]:
    require_tables("growth_cycle", "review cycle")
    from trellis.web.growth import queries, services

    try:
        return queries.cycle_readiness(services.cycle_by_name(name))
    except InputError as exc:
        fail(exc.problems)


def _emit(results: list[tuple[str, list[dict[str, object]]]], fmt: Format, output: str | None) -> None:
    if fmt is Format.json:
        write_text(json.dumps({"people": [{"person": pid, "targets": targets} for pid, targets in results]},
                              indent=2) + "\n", output)
        return
    table = Table(title=f"Readiness of {len(results)} people", show_lines=False)
    for column in ("person", "target", "level", "tier", "score", "coverage", "below expectation"):
        table.add_column(column)
    for pid, targets in results:
        for i, r in enumerate(targets):
            table.add_row(pid if i == 0 else "", str(r["kind"]), str(r["level"]), str(r["tier"]),
                          f"{r['score']:.2f}", f"{r['coverage']:.0%}", _below(r))
    health_cli._emit(health_cli.Format.table, output, lambda: table, lambda: "", lambda: "")


def _below(r: dict[str, object]) -> str:
    must = set(cast(list[str], r["missing_must_haves"]))
    return ", ".join(f"{c} (must-have)" if c in must else c for c in cast(list[str], r["below"]))
