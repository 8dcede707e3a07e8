"""The ratings file of ``trellis readiness``: ``person_id,competency,rating,rater``, one rating a row.

Read all or nothing, like the organisation CSV: every problem is listed with its line and
column, and nothing is judged until the file is clean.
"""

from __future__ import annotations

from collections.abc import Collection

from trellis.growth.csvtable import read_table
from trellis.growth.readiness import RATERS, SELF, Rating
from trellis.ladder.model import Ladder
from trellis.lib.problems import InputError, Problem

COLUMNS: tuple[str, ...] = ("person_id", "competency", "rating", "rater")


def read_ratings_csv(data: str | bytes, source: str, ladder: Ladder,
                     people: Collection[str]) -> dict[str, list[Rating]]:
    """Each person's ratings; ``people`` are the ids a rating may name (the organisation's).

    Several peer, tech-lead or manager rows for one competency are allowed (they are averaged,
    see ``trellis.growth.readiness``); a person rates themself once per competency.
    """
    rows, problems = read_table(data, source, COLUMNS, COLUMNS, "one row per rating")
    competencies = {c.id for c in ladder.competencies}
    steps = ladder.step_rank
    found: dict[str, list[Rating]] = {}
    first_self: dict[tuple[str, str], int] = {}
    for row in rows:
        pid, comp = row.cells["person_id"], row.cells["competency"]
        step, rater = row.cells["rating"].lower(), row.cells["rater"].lower()
        ok = True

        def problem(column: str, message: str, line: int = row.line) -> None:
            problems.append(Problem(source, line, message, column=column))

        for column in COLUMNS:
            if not row.cells[column]:
                problem(column, f"the {column} is missing")
                ok = False
        if not ok:
            continue
        if pid not in people:
            problem("person_id", f"unknown person '{pid}': no one in the organisation file has this id")
            ok = False
        if comp not in competencies:
            problem("competency", f"unknown competency '{comp}'; the ladder's competencies are "
                                  f"{', '.join(c.id for c in ladder.competencies)}")
            ok = False
        if step not in steps:
            problem("rating", f"unknown rating '{step}': use a step of the ladder's scale "
                              f"({', '.join(s.id for s in ladder.scale)})")
            ok = False
        if rater not in RATERS:
            problem("rater", f"unknown rater '{rater}': use one of {', '.join(RATERS)}")
            ok = False
        if ok and rater == SELF:
            first = first_self.setdefault((pid, comp), row.line)
            if first != row.line:
                problem("competency", f"'{pid}' rates themself on '{comp}' twice (first on line {first}): "
                                      "keep one")
                ok = False
        if ok:
            found.setdefault(pid, []).append(Rating(comp, step, rater))
    if problems:
        raise InputError(problems)
    return found
