"""Health over time judged by what each month changed (its events and its role dates) gives the
counts of judging each month's whole organisation, whatever the month changed: people joining,
leaving and coming back, promotions, moves, new managers, roles taken on and handed over, teams
created, renamed or given another department."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

import pytest

from tests.health.builders import LADDER
from trellis.health.timeline import monthly_counts, monthly_counts_from_history
from trellis.org.csvio import read_org_csv
from trellis.org.edit import TeamEdit, plan_team_edit
from trellis.org.generate import AS_OF, generate_org_csv
from trellis.org.history import rewind
from trellis.org.model import Change, OrgSnapshot
from trellis.org.plan import plan_import

PROMOTE = {"software-engineer": "senior-software-engineer", "senior-software-engineer": "lead-engineer",
           "lead-engineer": "software-engineer", "engineering-manager": "senior-software-engineer"}


def a_month_later(rows: list[dict[str, str]], rng: random.Random, month: int) -> list[dict[str, str]]:
    managers = {row["manager_id"] for row in rows}
    teams = sorted({(row["team"], row["department"]) for row in rows if row["team"]})
    kept: list[dict[str, str]] = []
    for row in rows:
        draw = rng.random()
        if draw < 0.03 and row["level"] in PROMOTE:
            row["level"], row["since"] = PROMOTE[row["level"]], ""
        elif draw < 0.06 and row["team"]:
            row["team"], row["department"] = rng.choice(teams)
        elif draw < 0.08 and row["roles"]:
            row["roles"] = ""
        elif draw < 0.10 and row["team"] and not row["roles"]:
            row["roles"] = rng.choice(["tech_lead", "people_manager"])  # takes a role on their team
        elif draw < 0.12 and row["id"] not in managers:
            row["manager_id"] = rng.choice(rows)["manager_id"]
        elif draw < 0.13 and row["id"] not in managers:
            continue  # left
        elif draw < 0.14 and row["team"]:
            row["team"], row["department"] = f"New team {month}", "Founded"  # a team created this month
        kept.append(row)
    for i in range(3):  # joiners, one of them coming back under the id of someone who left
        joiner = dict(rng.choice(kept))
        joiner.update(id=f"J{month}-{i}", email=f"j{month}-{i}@example.org", roles="")
        kept.append(joiner)
    department_of = {row["team"]: row["department"] for row in kept if row["team"]}
    if month == 2 and department_of:  # a team moves to another department
        team = sorted(department_of)[0]
        for row in kept:
            if row["team"] == team:
                row["department"] = "Elsewhere"
    return kept


def history(seed: int, renames: bool = False) -> tuple[OrgSnapshot, list[Change], date]:
    """An organisation imported six times, about five weeks apart, every change recorded."""
    rng = random.Random(seed)
    rows = list(csv.DictReader(io.StringIO(generate_org_csv(300, seed=seed))))
    fields = list(rows[0])
    state, events, day = OrgSnapshot(as_of=AS_OF), [], AS_OF
    for month in range(6):
        day = AS_OF + timedelta(days=35 * month)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        incoming = read_org_csv(out.getvalue(), "org.csv", LADDER, as_of=day, known_teams=state.teams)
        plan = plan_import(state, incoming, as_of=day, ladder=LADDER)
        state, events = plan.result, events + plan.changes
        if renames and month == 3:  # renamed inside Trellis; the next files use the new name
            old = next(row["team"] for row in rows if row["team"])
            edit = plan_team_edit(state, TeamEdit(old, name=f"{old} renamed"), as_of=day, today=day)
            state, events = edit.result, events + edit.changes
            for row in rows:
                row["team"] = f"{old} renamed" if row["team"] == old else row["team"]
                row["roles"] = ";".join(f"{r} renamed" if r.endswith(f"@{old}") else r
                                        for r in row["roles"].split(";")) if row["roles"] else ""
        rows = a_month_later(rows, rng, month)
    return state, events, day


@pytest.mark.parametrize(("seed", "renames"), [(5, False), (6, False), (7, True)])
def test_each_month_judged_by_what_it_changed_counts_as_the_whole_month_judged(seed, renames):
    current, events, last = history(seed, renames)
    kinds = {e.kind for e in events}
    assert {"joined", "left", "role-gained", "role-lost", "team-created", "level-changed",
            "manager-changed", "department-changed"} <= kinds
    assert ("team-renamed" in kinds) == renames
    end = last + timedelta(days=10)
    current = current.evolve(as_of=end)
    walked = monthly_counts_from_history(current, events, LADDER, end=end, months=8)
    judged = monthly_counts(lambda day: rewind(current, events, day), LADDER, end=end, months=8)
    assert walked == judged
    assert len(set(map(tuple, walked.counts.values()))) > 1


def test_a_chart_that_ends_after_the_organisation_was_read_counts_those_days_too():
    current, events, last = history(8)
    end = last + timedelta(days=45)  # two month ends after the organisation's own date
    walked = monthly_counts_from_history(current, events, LADDER, end=end, months=6)
    judged = monthly_counts(lambda day: rewind(current, events, day) if day < current.as_of
                            else current.evolve(as_of=day), LADDER, end=end, months=6)
    assert walked == judged


def test_roles_known_only_by_their_own_dates_are_counted_in_the_months_they_start_and_end():
    current, events, last = history(9)
    # Role spans carry their dates: without the role events the months still see them start and end.
    events = [e for e in events if e.kind not in ("role-gained", "role-lost")]
    walked = monthly_counts_from_history(current, events, LADDER, end=last, months=6)
    judged = monthly_counts(lambda day: rewind(current, events, day), LADDER, end=last, months=6)
    assert walked == judged
    assert len(set(walked.counts["no-tech-lead"])) > 1
