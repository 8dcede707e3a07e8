"""Health over time from the history: judging each month by what changed gives every month's counts
exactly as judging each month's whole organisation does."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

import pytest

from tests.health.builders import LADDER
from trellis.health.engine import Analysis, OrgIndex, Policy, evaluate
from trellis.health.timeline import monthly_counts, monthly_counts_from_history
from trellis.org.csvio import read_org_csv
from trellis.org.generate import AS_OF, generate_org_csv
from trellis.org.history import rewind
from trellis.org.model import Change, OrgSnapshot
from trellis.org.plan import plan_import

FIRST = AS_OF  # every generated date lies before it
PROMOTE = {"software-engineer": "senior-software-engineer", "senior-software-engineer": "lead-engineer",
           "lead-engineer": "software-engineer"}


def reshuffled(text: str, rng: random.Random) -> str:
    """The same organisation with a few people promoted, moved, relieved of their roles or gone."""
    rows = list(csv.DictReader(io.StringIO(text)))
    managers = {row["manager_id"] for row in rows}
    teams = sorted({(row["team"], row["department"]) for row in rows if row["team"]})
    kept = []
    for row in rows:
        draw = rng.random()
        if draw < 0.04 and row["level"] in PROMOTE:
            row["level"], row["since"] = PROMOTE[row["level"]], ""
        elif draw < 0.07 and row["team"]:
            row["team"], row["department"] = rng.choice(teams)
        elif draw < 0.10 and row["roles"]:
            row["roles"] = ""
        elif draw < 0.12 and row["id"] not in managers:
            continue  # left
        kept.append(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(kept)
    return out.getvalue()


def history(seed: int) -> tuple[OrgSnapshot, list[Change], date]:
    """An organisation imported five times, about seven weeks apart, and every change recorded."""
    rng = random.Random(seed)
    text = generate_org_csv(400, seed=seed)
    state, events, day = OrgSnapshot(as_of=FIRST), [], FIRST
    for step in range(5):
        day = FIRST + timedelta(days=50 * step)
        incoming = read_org_csv(text, "org.csv", LADDER, as_of=day, known_teams=state.teams)
        plan = plan_import(state, incoming, as_of=day, ladder=LADDER)
        state, events = plan.result, events + plan.changes
        text = reshuffled(text, rng)
    return state, events, day


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counts_from_the_history_equal_a_full_evaluation_of_every_month(seed):
    current, events, last = history(seed)
    end = last + timedelta(days=20)
    current = current.evolve(as_of=end)
    walked = monthly_counts_from_history(current, events, LADDER, end=end, months=10)
    judged = monthly_counts(lambda day: rewind(current, events, day), LADDER, end=end, months=10)
    assert walked == judged
    assert len(set(map(tuple, walked.counts.values()))) > 1  # the counts do move over the year


def test_an_analysis_lent_to_the_timeline_is_left_as_it_was():
    current, events, last = history(4)
    analysis = Analysis(OrgIndex(current), LADDER, Policy())
    monthly_counts_from_history(current, events, LADDER, end=last, months=6, analysis=analysis)
    assert analysis.report() == evaluate(current, LADDER)
