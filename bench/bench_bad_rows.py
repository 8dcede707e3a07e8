"""A 50 MB file of bad rows: the bounded answer (the first 100 problems, the rest counted by kind)
comes within seconds and in memory that does not grow with the number of problems.

Two measurements, each in a fresh process so that peak memory is its own:

- the command line, ``trellis org import FILE`` end to end (start-up and database included), as a
  user runs it: its time and its peak resident memory;
- the reader alone (``read_org_csv``, what the upload page and the API call too), beside the
  baseline measured in the same run: a bare pass of Python's ``csv`` module over the same bytes
  (decode, split, strip each cell), the floor for reading any CSV in Python.

Targets: the reader at most 15x the bare pass (which does nothing in Python but strip the cells);
its peak memory above the process's start at most 8x the file's size (the answer itself is the
same 101 lines whatever the file's size).
"""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from bench.child import ChildFailed, measure_in_child
from bench.harness import Figure, at_most, peak_mib

DEFAULT_MB = 50
READ_TARGET_X = 15.0
MEMORY_TARGET_X = 8.0
AS_OF = date(2026, 1, 5)
HEADER = "id,name,email,level,manager_id,dotted_manager_ids,team,department,roles,since\n"


def bad_rows(megabytes: float) -> bytes:
    """An HR export gone wrong, ``megabytes`` long: every row has problems of several kinds (a level
    nobody mapped, a manager missing from the file, a bad e-mail, a date in another format, a team
    in a second department, a role on an unknown team), and many values are distinct, so that
    nothing can be worked out once and reused."""
    parts = [HEADER]
    size, i = len(HEADER), 0
    while size < megabytes * 1_000_000:
        kind = i % 4
        if kind == 0:  # an unmapped title and a manager nobody exported
            row = (f"E{i:07d},Person {i},p{i}@acme.example,Staff Wizard {i % 997},M{i + 7:07d},,Team {i % 500},"
                   f"Dept {i % 7},,2024-01-0{i % 9 + 1}\n")
        elif kind == 1:  # an e-mail and a date as spreadsheets write them
            row = (f"E{i:07d},Person {i},person {i} at acme,software-engineer,E{i - 1:07d},,Team {i % 500},"
                   f"Dept {i % 5},,{i % 28 + 1}/01/2024\n")
        elif kind == 2:  # a role on a team that does not exist, a dotted manager missing
            row = f"E{i:07d},Person {i},,lead-engineer,E{i - 2:07d},X{i:07d},Team {i % 500},,tech_lead@Nowhere {i},\n"
        else:  # a row that is fine on its own
            row = f"E{i:07d},Person {i},p{i}@acme.example,senior-software-engineer,E{i - 3:07d},,Team {i % 500},,,\n"
        parts.append(row)
        size += len(row)
        i += 1
    return "".join(parts).encode()


def bare_csv_seconds(data: bytes) -> float:
    """Decode, split and strip every cell of the same bytes: the floor for reading any CSV in Python."""
    started = time.perf_counter()
    for row in csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")):
        [cell.strip() for cell in row]
    return time.perf_counter() - started


def child(megabytes: int, workdir: str) -> dict[str, object]:
    """Write the file, then read it in a process of its own and import it on the command line."""
    path = Path(workdir) / "bad.csv"
    path.write_bytes(bad_rows(megabytes))
    bare_s = bare_csv_seconds(path.read_bytes())
    proc = subprocess.run([sys.executable, "-m", "bench.bench_bad_rows", "--read", str(path)], check=True,
                          capture_output=True, text=True)
    reading = json.loads(proc.stdout.strip().splitlines()[-1])
    cli_s, cli_peak_kib, cli_exit, cli_lines = _command_line(path, workdir)
    return {"bytes": path.stat().st_size, "bare_s": bare_s, **reading,
            "cli_s": cli_s, "cli_mib": cli_peak_kib / 1024, "cli_exit": cli_exit, "cli_lines": cli_lines}


def read_alone(path: str) -> dict[str, object]:
    """The reader in a fresh process: its time, its peak memory above the start, the answer's shape."""
    from trellis.ladder.load import load_default
    from trellis.lib.problems import InputError
    from trellis.org.csvio import read_org_csv

    ladder = load_default().ladder
    data = Path(path).read_bytes()
    start = peak_mib()
    started = time.perf_counter()
    try:
        read_org_csv(data, "bad.csv", ladder, as_of=AS_OF)
        problems = []
    except InputError as exc:
        problems = exc.problems
    read_s = time.perf_counter() - started
    return {"read_s": read_s, "read_mib": peak_mib() - start, "listed": len(problems),
            "last": problems[-1].message[:400] if problems else ""}


def _command_line(path: Path, workdir: str) -> tuple[float, int, int, int]:
    """``trellis org import`` on the file, in its own process against a fresh database."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3", "TRELLIS_DATA_DIR": workdir}
    trellis = [sys.executable, "-c", "from trellis.cli import main; main()"]
    subprocess.run([*trellis, "migrate"], env=env, check=True, capture_output=True)
    started = time.perf_counter()
    proc = subprocess.run([*trellis, "org", "import", str(path)], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    # The largest of this process's children: the import (migrating takes far less).
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak, proc.returncode, len(proc.stderr.splitlines())


def run(size: int | None) -> list[str | Figure]:
    megabytes = DEFAULT_MB if size is None else max(1, size // 2000)  # --size 100000 -> 50 MB
    try:
        r = measure_in_child("bench.bench_bad_rows", megabytes)
    except ChildFailed as exc:
        return [f"MISSED: the benchmark failed: {exc}"]
    mb = float(r["bytes"]) / 1_000_000
    bare, read, mib = float(r["bare_s"]), float(r["read_s"]), float(r["read_mib"])
    lines: list[str | Figure] = [
        Figure("bad-rows-read", f"a {mb:.0f} MB file of bad rows read and answered", read / bare, "x",
               at_most(READ_TARGET_X), baseline="a bare csv pass over it", baseline_value=bare, baseline_unit="s",
               ratio=read / bare, note=f"{read:.2f} s"),
        Figure("bad-rows-memory", f"peak memory reading a {mb:.0f} MB file of bad rows ÷ its size", mib / mb, "x",
               at_most(MEMORY_TARGET_X), note=f"{mib:.0f} MiB above the process's start"),
        f"the answer: {r['listed']} problems listed; last: {r['last']}",
        f"command line (trellis org import, start-up included): {float(r['cli_s']):.2f} s, peak "
        f"{float(r['cli_mib']):.0f} MiB, exit {r['cli_exit']}, {r['cli_lines']} lines on standard error",
    ]
    if int(r["listed"]) != 101 or not str(r["last"]).startswith("and "):
        lines.append("MISSED: the answer is not the first 100 problems and a count of the rest")
    if int(r["cli_exit"]) != 1:
        lines.append("MISSED: the command line did not refuse the file with exit code 1")
    return lines


if __name__ == "__main__":
    if sys.argv[1] == "--read":
        print(json.dumps(read_alone(sys.argv[2])))
    else:
        print(json.dumps(child(int(sys.argv[1]), sys.argv[2])))
