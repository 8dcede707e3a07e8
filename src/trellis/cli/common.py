"""Shared pieces of the command line: printing problems, starting Django when needed."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from trellis.lib.problems import Problem

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_BAD_INPUT = 1


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


def database_is_ready() -> bool:
    """True when the configured database exists and has been migrated."""
    setup_django()
    from django.conf import settings
    from django.db import DatabaseError, connection

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and not os.path.exists(str(db["NAME"])):
        return False  # Do not create an empty database file just by asking.
    try:
        return "ladders_ladderversion" in connection.introspection.table_names()
    except DatabaseError:
        return False


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
