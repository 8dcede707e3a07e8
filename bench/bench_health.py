"""Org health at 100,000 people: analysis against a minimal pass and loading, what-if, history, memory.

Targets (issue 19): the full analysis at most 3x a minimal pure-Python pass over the same
snapshot (one loop over the people and one over the roles, building what any health check
must: reports per manager, members and roles per team); one what-if change at most 10 ms
(median); peak memory of health (reading the file and judging it, as ``trellis health
--from-csv`` does) at most 600 MiB at 300,000 people, in a process of its own, with reading
alone as its baseline. Earlier targets (issue 9) stay: analysis at most 1 s and no longer than
loading the snapshot from SQLite; health as of a past date at most twice the cost of today's.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from bench.harness import Figure, at_most, best, median, peak_mib
from trellis.health.engine import evaluate
from trellis.health.policy import Policy
from trellis.health.timeline import monthly_counts_from_history
from trellis.health.whatif import Simulation, parse_what_if_options
from trellis.ladder.load import load_default
from trellis.lib.gcpause import gc_paused
from trellis.org.csvio import read_org_csv
from trellis.org.generate import AS_OF as GENERATED_AS_OF
from trellis.org.generate import generate_org_csv
from trellis.org.model import PEOPLE_MANAGER, TECH_LEAD, Change, OrgSnapshot, RoleSpan

DEFAULT_SIZE = 100_000
MEMORY_SIZE = 300_000
T = TypeVar("T")
WHAT_IF_QUESTIONS = 40
# Every generated date lies before the generator's own AS_OF: import then, again four months
# later with 1% changed, and ask about a day between the two.
FIRST_IMPORT = GENERATED_AS_OF
SECOND_IMPORT = GENERATED_AS_OF + timedelta(days=120)
PAST = GENERATED_AS_OF + timedelta(days=60)


def minimal_pass(snapshot: OrgSnapshot) -> dict[str, int]:
    """The plainest pure-Python pass that asks the health engine's main questions of the same
    snapshot: one loop over the people and one over the roles to group them, then each team,
    each role holder and each manager looked at once. It counts teams without a tech lead or a
    people manager, people in two jobs, tech leads of more than three teams and spans out of
    bounds; no wording, no metrics, nothing kept for what-if."""
    reports: dict[str, list[str]] = {}
    members: dict[str, list[str]] = {}
    team_roles: dict[str, set[str]] = {}
    person_roles: dict[str, list[RoleSpan]] = {}
    active = set()
    for person in snapshot.people.values():
        if person.active:
            active.add(person.id)
            if person.manager_id is not None:
                reports.setdefault(person.manager_id, []).append(person.id)
            if person.team is not None:
                members.setdefault(person.team, []).append(person.id)
    day = snapshot.as_of
    for span in snapshot.roles:
        if (span.start is None or span.start <= day) and (span.end is None or day < span.end) \
                and span.person_id in active:
            team_roles.setdefault(span.team, set()).add(span.role)
            person_roles.setdefault(span.person_id, []).append(span)
    counts = dict.fromkeys(("no-tech-lead", "no-people-manager", "dual-role", "tech-lead-spread",
                            "span-of-control"), 0)
    for team in members.keys() | team_roles.keys():
        held = team_roles.get(team, set())
        counts["no-tech-lead"] += TECH_LEAD not in held
        counts["no-people-manager"] += PEOPLE_MANAGER not in held
    for spans in person_roles.values():
        roles = {span.role for span in spans}
        counts["dual-role"] += TECH_LEAD in roles and PEOPLE_MANAGER in roles
        counts["tech-lead-spread"] += sum(1 for span in spans if span.role == TECH_LEAD) > 3
    for found in reports.values():
        counts["span-of-control"] += not 4 <= len(found) <= 8
    return counts


def _without_collector(fn: Callable[[OrgSnapshot], T], snapshot: OrgSnapshot) -> T:
    with gc_paused():
        return fn(snapshot)


def run(size: int | None) -> list[str | Figure]:
    size = size or DEFAULT_SIZE
    # The 100,000-person figures first; their organisation is freed before the memory figure.
    return _at_size(size) + _memory(MEMORY_SIZE * size // DEFAULT_SIZE)


def _at_size(size: int) -> list[str | Figure]:
    ladder = load_default().ladder
    policy = Policy()
    lines: list[str | Figure] = []
    text = generate_org_csv(size, seed=7)
    read_s, snapshot = best(lambda: read_org_csv(text, "generated.csv", ladder, as_of=SECOND_IMPORT), 1)
    lines.append(f"read the CSV of {len(snapshot.people):,} people: {read_s:.2f} s")

    # Loading from SQLite: import twice (the second time 1% changed) so there is history to rewind.
    load_s, past_load_s, db_snapshot, past_snapshot = _load_from_sqlite(text, lines)
    analysis_s, report = best(lambda: evaluate(_fresh(db_snapshot), ladder, policy), 5)
    # Under the same conditions as the analysis, which pauses the garbage collector while it judges.
    minimal_s, _ = best(lambda: _without_collector(minimal_pass, _fresh(db_snapshot)), 5)
    lines.append(f"full report: {len(report.findings):,} findings")
    lines.append(Figure("health-vs-minimal", "health analysis ÷ a minimal pass over the same snapshot",
                        analysis_s / minimal_s, "x", at_most(3), "minimal pass", minimal_s * 1000, "ms",
                        note=f"analysis {analysis_s * 1000:.0f} ms (best of 5 each)"))
    lines.append(Figure("health-vs-load", "health analysis ÷ loading the snapshot from SQLite",
                        analysis_s / load_s, "x", at_most(1), "load from SQLite", load_s, "s"))
    lines.append(Figure("health-analysis", "health analysis, whole organisation", analysis_s, "s", at_most(1)))

    simulation = Simulation(db_snapshot, ladder, policy)
    people = sorted(db_snapshot.active_people)
    teams = sorted(db_snapshot.members_by_team)
    rng = random.Random(3)
    managers = sorted(db_snapshot.direct_reports)
    questions = []
    for i in range(WHAT_IF_QUESTIONS):
        who = rng.choice(people)
        questions.append(parse_what_if_options([[
            f"promote {who} engineering-manager" if db_snapshot.people[who].level != "engineering-manager"
            else f"promote {who} lead-engineer",
            f"move {who} '{rng.choice(teams)}'",
            f"give tech_lead@'{rng.choice(teams)}' {who}",
            f"leave {rng.choice(managers)}",
        ][i % 4]]))
    taken = []
    for changes in questions:
        started = time.perf_counter()
        simulation.run(changes)
        taken.append(time.perf_counter() - started)
    lines.append(Figure("what-if-median", "one what-if change, median", median(taken) * 1000, "ms", at_most(10),
                        "health analysis", analysis_s * 1000,
                        note=f"slowest {max(taken) * 1000:.1f} ms of {len(taken)}"))

    past_eval_s, _ = best(lambda: evaluate(_fresh(past_snapshot), ladder, policy))
    now_cost, past_cost = load_s + analysis_s, past_load_s + past_eval_s
    lines.append(Figure("health-past", f"health as of {PAST} (load and judge) ÷ today's", past_cost / now_cost, "x",
                        at_most(2), "today's", now_cost, "s"))
    started = time.perf_counter()
    timeline = monthly_counts_from_history(db_snapshot, _recorded_changes(), ladder, policy, end=SECOND_IMPORT)
    lines.append(f"health at 12 month ends from the history (pure core, two imports of history): "
                 f"{time.perf_counter() - started:.1f} s; no-tech-lead by month: {timeline.counts['no-tech-lead']}")
    lines.append(Figure("health-peak-100k", f"peak memory of this whole run at {size:,} people", peak_mib(), "MiB",
                        at_most(1024)))
    return lines


def _memory(size: int) -> list[str | Figure]:
    """Peak memory of health at ``size`` people, each part in a fresh process: reading the file
    alone (the baseline), then reading it and judging it."""
    with tempfile.TemporaryDirectory(prefix="trellis-bench-") as folder:
        path = Path(folder) / "org.csv"
        _child("write", size, path)
        read = _child("read", size, path)
        judged = _child("health", size, path)
    return [Figure("health-300k-memory", f"peak memory of health at {size:,} people", judged["peak_mib"], "MiB",
                   at_most(600), "reading the file alone", read["peak_mib"], "MiB",
                   note=f"{judged['findings']:,} findings in {judged['seconds']:.1f} s")]


def _child(what: str, size: int, path: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    proc = subprocess.run([sys.executable, "-m", "bench.bench_health", what, str(size), str(path)],
                          capture_output=True, text=True, env=env, cwd=Path(__file__).parent.parent, check=False)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip()[-2000:])
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _in_child(what: str, size: int, path: Path) -> dict[str, Any]:
    if what == "write":
        path.write_text(generate_org_csv(size, seed=7), encoding="utf-8")
        return {}
    ladder = load_default().ladder
    started = time.perf_counter()
    snapshot = read_org_csv(path.read_bytes(), path.name, ladder, as_of=SECOND_IMPORT)
    found = len(evaluate(snapshot, ladder, Policy()).findings) if what == "health" else 0
    return {"peak_mib": peak_mib(), "findings": found, "seconds": time.perf_counter() - started}


def _fresh(snapshot: Any) -> Any:
    """The snapshot without its built indexes, so each timing pays for them."""
    return snapshot.evolve()


def _load_from_sqlite(text: str, lines: list[str | Figure]) -> tuple[float, float, Any, Any]:
    folder = tempfile.mkdtemp(prefix="trellis-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    from trellis.cli.common import setup_django

    setup_django()
    from django.core.management import call_command

    from trellis.web.org import services

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    services.apply_import(text, "generated.csv", as_of=FIRST_IMPORT)
    changed = _change_one_percent(text)
    services.apply_import(changed, "generated.csv", as_of=SECOND_IMPORT, allow_mass_leave=True)
    lines.append(f"imported into SQLite twice (1% changed the second time): {time.perf_counter() - started:.1f} s")
    load_s, snapshot = best(lambda: services.load_snapshot())
    past_s, past = best(lambda: services.load_snapshot(PAST))
    lines.append(f"load from SQLite: {load_s:.2f} s today, {past_s:.2f} s as of {PAST}")
    return load_s, past_s, snapshot, past


def _recorded_changes() -> list[Change]:
    from trellis.web.org.models import HistoryEvent

    rows = HistoryEvent.objects.order_by("effective", "seq", "id").values_list(
        "kind", "effective", "person_id_ext", "team_name", "old", "new", "old_since")
    return [Change(kind, effective, person_id=pid or None, team=team or None, old=old, new=new, old_since=since)
            for kind, effective, pid, team, old, new, since in rows]


def _change_one_percent(text: str) -> str:
    """The same organisation with one person in a hundred promoted (when a software engineer)."""
    rows = list(csv.reader(io.StringIO(text)))
    level = [c.lower() for c in rows[0]].index("level")
    for i, cells in enumerate(rows[1:]):
        if i % 100 == 50 and cells[level] == "software-engineer":
            cells[level] = "senior-software-engineer"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()



if __name__ == "__main__":
    print(json.dumps(_in_child(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))))
