"""Import a generated organisation into an empty SQLite database, re-import it with 1% changed, export it.

Targets (issue 8): the first import of 100,000 people takes at most 15 s; a re-import with
1% of rows changed takes no longer than the first import; the export equals the file.
The baseline is a bare ``sqlite3`` executemany of the same rows into a similar table,
measured in the same run, so a busy machine is compared with itself.

The work runs in a child process with its own fresh database file, so whatever database
the caller has configured is never touched.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import sys
import time
from datetime import date
from pathlib import Path

from bench.child import ChildFailed, measure_in_child

DEFAULT_SIZE = 100_000
FIRST_TARGET_S = 15.0
READ_TARGET_S = 2.0
FIRST_DAY = date(2025, 7, 1)
SECOND_DAY = date(2025, 8, 1)
BEFORE_SECOND = date(2025, 7, 15)


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


def child(size: int, workdir: str) -> dict[str, object]:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["TRELLIS_DATA_DIR"] = workdir
    from trellis.cli.common import setup_django

    setup_django()
    from django.core.management import call_command

    from trellis.org.csvio import read_org_csv
    from trellis.org.generate import generate_org_csv
    from trellis.web.ladders.services import active_ladder, ensure_default_ladder
    from trellis.web.org.models import HistoryEvent
    from trellis.web.org.services import apply_import, export_csv

    call_command("migrate", "--noinput", verbosity=0)
    ensure_default_ladder()
    started = time.perf_counter()
    text = generate_org_csv(size, seed=1)
    generate_s = time.perf_counter() - started
    started = time.perf_counter()
    read_org_csv(text, "generated.csv", active_ladder(), as_of=FIRST_DAY)
    read_s = time.perf_counter() - started
    bare_s = bare_sqlite_seconds(text, Path(workdir) / "bare.sqlite3")

    # The first import is a baseline: timed once without its history rows, then (after emptying
    # the tables again) with them, which the rest of the run builds on.
    started = time.perf_counter()
    apply_import(text, "generated.csv", as_of=FIRST_DAY, baseline_history=False)
    first_bare_s = time.perf_counter() - started
    _empty_organisation()
    started = time.perf_counter()
    first = apply_import(text, "generated.csv", as_of=FIRST_DAY, baseline_history=True)
    first_s = time.perf_counter() - started

    changed_text, changed = change_one_percent(text)
    events_before = HistoryEvent.objects.count()
    started = time.perf_counter()
    second = apply_import(changed_text, "changed.csv", as_of=SECOND_DAY)
    second_s = time.perf_counter() - started

    started = time.perf_counter()
    exported = export_csv()
    export_s = time.perf_counter() - started
    started = time.perf_counter()
    exported_before = export_csv(BEFORE_SECOND)
    rewind_s = time.perf_counter() - started
    return {
        "generate_s": generate_s, "read_s": read_s, "bare_s": bare_s,
        "first_s": first_s, "first_changes": len(first.changes), "first_bare_s": first_bare_s,
        "second_s": second_s, "changed_rows": changed, "second_changes": len(second.changes),
        "second_events": HistoryEvent.objects.count() - events_before,
        "export_s": export_s, "export_equal": exported == changed_text,
        "rewind_s": rewind_s, "rewind_equal": exported_before == text,
    }


def _empty_organisation() -> None:
    from django.db import connection, transaction

    from trellis.web.org.models import DottedLine, HistoryEvent, ImportBatch, Person, RoleAssignment, Team

    with transaction.atomic(), connection.cursor() as cursor:
        for model in (HistoryEvent, ImportBatch, RoleAssignment, DottedLine, Person, Team):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def run(size: int | None) -> list[str]:
    size = size or DEFAULT_SIZE
    try:
        r = measure_in_child("bench.bench_org_import", size)
    except ChildFailed as exc:
        return [f"MISSED: the benchmark failed: {exc}"]
    first, second, bare = float(r["first_s"]), float(r["second_s"]), float(r["bare_s"])
    lines = [
        f"{size:,} people generated in {r['generate_s']:.2f} s (target a few seconds at 100,000)",
        f"read and checked (pure core, no database): {r['read_s']:.2f} s (target well under 2 s at 100,000)",
        f"baseline: bare sqlite3 executemany of the same rows: {bare:.2f} s",
        f"first import into an empty database: {first:.2f} s, {first / bare:.1f}x the baseline, "
        f"{r['first_changes']:,} changes recorded (target at most {FIRST_TARGET_S:.0f} s at 100,000)",
        f"first import without its history rows (a baseline needs none): {float(r['first_bare_s']):.2f} s, "
        f"{float(r['first_bare_s']) / bare:.1f}x the bare baseline",
        f"re-import with {r['changed_rows']:,} rows changed (1%): {second:.2f} s, {second / first:.2f}x the first "
        f"import, {r['second_changes']:,} changes (target at most 1.00x)",
        f"export: {r['export_s']:.2f} s; export as of {BEFORE_SECOND} (history rewound): {r['rewind_s']:.2f} s",
    ]
    if float(r["read_s"]) > READ_TARGET_S * size / DEFAULT_SIZE:
        lines.append(f"MISSED: reading and checking took {r['read_s']:.2f} s, over the target scaled to this size")
    if first > FIRST_TARGET_S * size / DEFAULT_SIZE:
        lines.append(f"MISSED: the first import took {first:.2f} s, over the target scaled to this size")
    if second > first:
        lines.append("MISSED: the re-import took longer than the first import")
    lines.append("OK: the export equals the imported file" if r["export_equal"] else
                 "MISSED: the export differs from the imported file")
    lines.append(f"OK: the export as of {BEFORE_SECOND} equals the first file" if r["rewind_equal"] else
                 f"MISSED: the export as of {BEFORE_SECOND} differs from the first file")
    return lines


if __name__ == "__main__":
    print(json.dumps(child(int(sys.argv[1]), sys.argv[2])))
