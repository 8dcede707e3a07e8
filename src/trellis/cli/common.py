"""Shared pieces of the command line: printing problems, starting Django when needed."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from trellis.lib.problems import Problem

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_BAD_INPUT = 1
LADDER_TABLE = "ladders_ladderversion"


def print_problems(problems: Iterable[Problem]) -> None:
    for problem in problems:
        style = "red" if problem.severity == "error" else "yellow"
        # Problems quote the user's own values, which may contain [brackets]: never markup.
        err.print(f"[{style}]{escape(str(problem))}[/{style}]", markup=True, highlight=False)


def fail(problems: list[Problem], summary: str | None = None) -> NoReturn:
    print_problems(problems)
    errors = sum(1 for p in problems if p.severity == "error")
    err.print(summary or f"{errors} error{'s' if errors != 1 else ''}.")
    raise typer.Exit(EXIT_BAD_INPUT)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trellis.web.settings")
    import django

    django.setup()


def tables_exist(table: str) -> bool:
    """True once the configured database has ``table``; never creates an SQLite file just by asking."""
    setup_django()
    from django.db import DatabaseError, connection

    db = connection.settings_dict
    name = str(db["NAME"])
    if str(db["ENGINE"]).endswith("sqlite3") and not name.startswith("file:") and name != ":memory:" \
            and not os.path.exists(name):
        return False
    try:
        return table in connection.introspection.table_names()
    except DatabaseError:
        return False


def require_tables(table: str, what: str, *, exists: Callable[[str], bool] = tables_exist) -> None:
    """Stop with exit code 1 and say to migrate when ``table`` is missing (``exists`` checks; tests stand in for it)."""
    if not exists(table):
        fail([], f"error: the database has no {what} tables yet: run 'trellis migrate' first "
                 "(DATABASE_URL picks the database)")


def database_is_ready() -> bool:
    """True when the configured database exists and has been migrated."""
    return tables_exist(LADDER_TABLE)


def write_text(text: str, output: str | None) -> None:
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    except OSError as exc:
        fail([Problem(output, None, f"cannot write the file ({exc.strerror}): check that its folder exists "
                                    "and that you may write there")])
