"""Import a generated organisation into an empty SQLite database, re-import it with 1% changed, export it.

Targets (issue 19): the first import of 100,000 people takes at most 6x a bare ``sqlite3``
executemany of the same rows; a re-import with 1% of rows changed at most 0.25x the first
import; the export equals the file. The first import is also timed as it used to be, with a
history row per person, team and role.
The baseline is a bare ``sqlite3`` executemany of the same rows into a similar table,
measured in the same run, so a busy machine is compared with itself. On a shared machine one
measurement can land on a busy second, and the machine's speed drifts over a minute: so the run
is made three times, each in a fresh process with a fresh database file (the baseline, then the
first import into the empty file, then the re-import), and each ratio is the median of the three
runs' own ratios.

The work runs in a child process with its own fresh database file, so whatever database
the caller has configured is never touched.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from bench.child import ChildFailed, measure_in_child
from bench.harness import Figure, at_most

DEFAULT_SIZE = 100_000
FIRST_TARGET_X = 6.0  # the first import ÷ a bare sqlite3 executemany of the same rows
AGAIN_TARGET_X = 0.25  # a re-import with 1% changed ÷ the first import
READ_TARGET_S = 2.0
FIRST_DAY = date(2025, 7, 1)
SECOND_DAY = date(2025, 8, 1)
BEFORE_SECOND = date(2025, 7, 15)
RUNS = 3  # each ratio is the median of this many runs' own


def bare_sqlite_seconds(text: str, path: Path) -> float:
    """Parse the same CSV and insert its rows with one executemany: the floor for any import."""
    started = time.perf_counter()
    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, name TEXT, email TEXT, "
               "level TEXT, manager_id TEXT, dotted TEXT, team TEXT, department TEXT, roles TEXT, "
               "preferred_track TEXT, since TEXT)")
    db.executemany("INSERT INTO person (external_id, name, email, level, manager_id, dotted, team, department, "
                   "roles, preferred_track, since) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.commit()
    db.close()
    return time.perf_counter() - started


def change_one_percent(text: str) -> tuple[str, int]:
    """Every hundredth person gets a new name, or a new level starting on the second import's day."""
    lines = text.splitlines(keepends=True)
    rows = list(csv.reader(lines))
    header = rows[0]
    name, level, since = header.index("name"), header.index("level"), header.index("since")
    promote = {"software-engineer": "senior-software-engineer", "senior-software-engineer": "lead-engineer"}
    changed = 0
    for i in range(1, len(rows), 100):
        row = rows[i]
        if row[level] in promote and i % 200 == 1:
            row[level], row[since] = promote[row[level]], SECOND_DAY.isoformat()
        else:
            row[name] += " Jr"
        changed += 1
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue(), changed


def child(size: int, workdir: str, only_the_run: bool = False) -> dict[str, object]:
    """One run in this fresh process and database: the bare baseline, the first import into the empty
    file, the re-import with 1% changed. Unless ``only_the_run``, then the reading alone, the health
    judged, the exports, and the first import as it was (into the emptied file)."""
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["TRELLIS_DATA_DIR"] = workdir
    from trellis.cli.common import setup_django

    setup_django()
    from django.core.management import call_command

    from trellis.org.csvio import read_org_csv
    from trellis.org.generate import generate_org_csv
    from trellis.web.health.services import keep_report
    from trellis.web.ladders.services import active_ladder, ensure_default_ladder
    from trellis.web.org.models import HistoryEvent
    from trellis.web.org.services import apply_import, export_csv

    call_command("migrate", "--noinput", verbosity=0)
    ensure_default_ladder()
    started = time.perf_counter()
    text = generate_org_csv(size, seed=1)
    generate_s = time.perf_counter() - started
    changed_text, changed = change_one_percent(text)

    bare_s = bare_sqlite_seconds(text, Path(workdir) / "bare.sqlite3")
    started = time.perf_counter()
    first = apply_import(text, "generated.csv", as_of=FIRST_DAY, judge_health=False)
    first_s = time.perf_counter() - started
    # What is reported of it is kept, not the plan itself, as no caller keeps a plan it has reported: its
    # 144,000 changes would be walked by the garbage collector during the re-import.
    first_changes = len(first.changes)
    del first
    events_before = HistoryEvent.objects.count()
    started = time.perf_counter()
    second = apply_import(changed_text, "changed.csv", as_of=SECOND_DAY, judge_health=False)
    second_s = time.perf_counter() - started
    found: dict[str, object] = {
        "bare_s": bare_s, "first_s": first_s, "second_s": second_s,
        "second_events": HistoryEvent.objects.count() - events_before, "generate_s": generate_s,
        "first_changes": first_changes, "changed_rows": changed, "second_changes": len(second.changes)}
    if only_the_run:
        return found

    started = time.perf_counter()
    read_org_csv(text, "generated.csv", active_ladder(), as_of=FIRST_DAY)
    found["read_s"] = time.perf_counter() - started
    # What an import does once written, apart: judging the organisation's health for every page to read.
    started = time.perf_counter()
    keep_report()
    found["judge_s"] = time.perf_counter() - started
    started = time.perf_counter()
    found["export_equal"] = export_csv() == changed_text
    found["export_s"] = time.perf_counter() - started
    started = time.perf_counter()
    found["rewind_equal"] = export_csv(BEFORE_SECOND) == text
    found["rewind_s"] = time.perf_counter() - started
    # The first import as it used to be, with one history row per person, team and role.
    _empty_organisation()
    started = time.perf_counter()
    apply_import(text, "generated.csv", as_of=FIRST_DAY, baseline_history=True, judge_health=False)
    found["first_rows_s"] = time.perf_counter() - started
    return found


def _empty_organisation() -> None:
    from django.db import connection, transaction

    from trellis.web.org.models import DottedLine, HistoryEvent, ImportBatch, Person, RoleAssignment, Team

    with transaction.atomic(), connection.cursor() as cursor:
        for model in (HistoryEvent, ImportBatch, RoleAssignment, DottedLine, Person, Team):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    # As empty as a new file: the pages the rows held are given back and the write-ahead log emptied,
    # so that each first import writes into the same empty file.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def run(size: int | None) -> list[str | Figure]:
    size = size or DEFAULT_SIZE
    try:
        r = measure_in_child("bench.bench_org_import", size)
        runs = [r, *(measure_in_child("bench.bench_org_import", size, "--only-the-run") for _ in range(RUNS - 1))]
    except ChildFailed as exc:
        return [f"MISSED: the benchmark failed: {exc}"]
    bare = statistics.median(run["bare_s"] for run in runs)
    first = statistics.median(run["first_s"] for run in runs)
    second = statistics.median(run["second_s"] for run in runs)
    first_x = statistics.median(run["first_s"] / run["bare_s"] for run in runs)
    again_x = statistics.median(run["second_s"] / run["first_s"] for run in runs)

    def each(key: str) -> str:
        return ", ".join(f"{run[key]:.2f}" for run in runs) + " s"

    with_rows = float(r["first_rows_s"])
    lines: list[str | Figure] = [
        f"{size:,} people generated in {r['generate_s']:.2f} s",
        f"read and checked (pure core, no database): {r['read_s']:.2f} s (target well under 2 s at 100,000)",
        Figure("import-first", f"first import of {size:,} people into an empty SQLite file ÷ bare sqlite3 "
                               "executemany", first_x, "x", at_most(FIRST_TARGET_X),
               baseline="bare sqlite3 executemany of the same rows", baseline_value=bare, baseline_unit="s",
               ratio=first_x, note=f"{first:.2f} s, {r['first_changes']:,} changes, no history row; the median "
                                   f"of {RUNS} runs' ratios (imports {each('first_s')}; bare {each('bare_s')})"),
        f"the first import as it was, with a history row per person, team and role: {with_rows:.2f} s, "
        f"{with_rows / bare:.1f}x the bare baseline (now: {first:.2f} s, {first / bare:.1f}x)",
        Figure("import-again", f"re-import with {r['changed_rows']:,} rows changed (1%) ÷ first import",
               again_x, "x", at_most(AGAIN_TARGET_X), baseline="the first import", baseline_value=first,
               baseline_unit="s", ratio=again_x,
               note=f"{second:.2f} s, {r['second_changes']:,} changes, {r['second_events']:,} history rows; "
                    f"the median of {RUNS} runs' ratios (re-imports {each('second_s')})"),
        f"then the organisation's health judged and kept for the pages (after the import has committed, "
        f"outside the write lock): {float(r['judge_s']):.2f} s",
        f"export: {r['export_s']:.2f} s; export as of {BEFORE_SECOND} (history rewound): {r['rewind_s']:.2f} s",
    ]
    if float(r["read_s"]) > READ_TARGET_S * size / DEFAULT_SIZE:
        lines.append(f"MISSED: reading and checking took {r['read_s']:.2f} s, over the target scaled to this size")
    lines.append("OK: the export equals the imported file" if r["export_equal"] else
                 "MISSED: the export differs from the imported file")
    lines.append(f"OK: the export as of {BEFORE_SECOND} equals the first file" if r["rewind_equal"] else
                 f"MISSED: the export as of {BEFORE_SECOND} differs from the first file")
    return lines


if __name__ == "__main__":
    print(json.dumps(child(int(sys.argv[1]), sys.argv[2], only_the_run="--only-the-run" in sys.argv[3:])))
