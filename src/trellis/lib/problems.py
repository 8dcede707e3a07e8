"""Problems found in a user's file, reported with the place they were found."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

Severity = Literal["error", "warning"]
T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located precisely enough to fix it."""

    source: str
    line: int | None
    message: str
    severity: Severity = "error"
    column: str | None = None

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
        if self.column:
            where += f" (column {self.column})"
        return f"{where}: {self.severity}: {self.message}"


class InputError(Exception):
    """Raised when an input file has one or more errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def gather(problems: list[Problem], parse: Callable[[], T], otherwise: T) -> T:
    """``parse()``, or ``otherwise`` with its problems added to ``problems``: to check every choice of a
    form or a command and report all that are wrong at once."""
    try:
        return parse()
    except InputError as exc:
        problems.extend(exc.problems)
        return otherwise
