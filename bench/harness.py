"""What every benchmark shares: a figure with its target and the baseline measured beside it,
timing helpers, and the table ``python -m bench`` prints at the end.

A benchmark module ``bench/bench_NAME.py`` defines ``run(size: int | None) -> list[str | Figure]``.
Strings are printed as they are (a line starting ``MISSED`` counts as a miss, as the older modules
write them); a ``Figure`` is printed as one line and again in the closing table. On a shared,
noisy machine an absolute time says little on its own, so each figure carries the baseline that
was measured in the same run (the sign-in page, a bare ``sqlite3`` insert, a minimal pass over
the same data) and, where the target is a ratio, is that ratio.

Figures that a child process measures travel back as JSON: ``Figure.to_dict`` and ``from_dict``.
"""

from __future__ import annotations

import os
import resource
import socket
import statistics
import subprocess
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Target:
    """A limit a figure must stay under (``at_most``) or reach (``at_least``)."""

    limit: float
    at_least: bool = False

    def met(self, value: float) -> bool:
        return value >= self.limit if self.at_least else value <= self.limit

    def describe(self, unit: str) -> str:
        return f"{'≥' if self.at_least else '≤'} {_number(self.limit)}{_unit(unit)}"


def at_most(limit: float) -> Target:
    return Target(limit)


def at_least(limit: float) -> Target:
    return Target(limit, at_least=True)


@dataclass(frozen=True)
class Figure:
    """One measured figure: ``value`` in ``unit`` ("ms", "s", "MiB", "x" for a ratio), judged by
    ``target`` (None: shown, not judged). ``baseline`` names what was measured beside it in the same
    run and ``baseline_value`` its value in the same unit (for a ratio: the denominator's own
    figure, with ``baseline_unit``); ``ratio`` is value ÷ baseline when both are times."""

    key: str  # short and stable: "team-page-median"; the closing table follows ISSUE_19's order
    name: str
    value: float
    unit: str
    target: Target | None = None
    baseline: str = ""
    baseline_value: float | None = None
    baseline_unit: str = ""
    ratio: float | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "info"
        return "PASS" if self.target.met(self.value) else "MISS"

    @property
    def missed(self) -> bool:
        return self.verdict == "MISS"

    def cells(self) -> list[str]:
        """figure, measured, target, baseline (same run), ratio, verdict."""
        base = ""
        if self.baseline:
            shown = self.baseline_value is not None
            base = f"{self.baseline} {_number(self.baseline_value)}{_unit(self.baseline_unit or self.unit)}" \
                if shown and self.baseline_value is not None else self.baseline
        return [self.name, f"{_number(self.value)}{_unit(self.unit)}",
                self.target.describe(self.unit) if self.target else "", base,
                f"{self.ratio:.2f}x" if self.ratio is not None else "", self.verdict]

    def line(self) -> str:
        name, value, target, base, ratio, verdict = self.cells()
        parts = [f"{verdict:<4} {name}: {value}"]
        if target:
            parts.append(f"target {target}")
        if base:
            parts.append(f"baseline {base}")
        if ratio:
            parts.append(f"{ratio} the baseline")
        if self.note:
            parts.append(self.note)
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figure:
        target = data.get("target")
        return cls(**{**data, "target": Target(**target) if target else None})


# The figures of the speed issue (issue 19), in its order, and the benchmark that measures each:
# the closing table lists them all, saying which were not measured in this run.
ISSUE_19: tuple[tuple[str, str, str], ...] = (
    ("import-first", "first import ÷ bare sqlite3 executemany", "org_import"),
    ("import-again", "re-import with 1% changed ÷ first import", "org_import"),
    ("what-if-median", "one what-if change, median", "health"),
    ("health-vs-minimal", "health analysis ÷ a minimal pass", "health"),
    ("team-page-median", "team page, median server time", "org_pages"),
    ("team-page-p95", "team page, p95 server time", "org_pages"),
    ("search", "search and suggest, slowest median", "org_pages"),
    ("dashboard-cached", "health dashboard, cached", "org_pages"),
    ("timeline-first", "health timeline, first computation", "org_pages"),
    ("throughput", "team page ÷ sign-in page throughput, 8 clients", "org_pages"),
    ("health-300k-memory", "peak memory of health at 300,000 people", "health"),
)


def samples(fn: Callable[[], Any], repeat: int, warm_up: int = 2) -> list[float]:
    """Seconds taken by each of ``repeat`` calls of ``fn``, after ``warm_up`` calls not counted."""
    for _ in range(warm_up):
        fn()
    taken = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        taken.append(time.perf_counter() - started)
    return taken


def best(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs and the last value (the least disturbed on a shared machine)."""
    fastest, value = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        value = fn()
        fastest = min(fastest, time.perf_counter() - started)
    return fastest, value


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def peak_mib() -> float:
    """Maximum resident size so far of this process, in MiB. Linux's ``VmHWM`` where there is one:
    ``ru_maxrss`` keeps the high-water mark of the parent that forked a process, even after exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def table(figures: Iterable[Figure], selected: Iterable[str] = ()) -> list[str]:
    """The closing table: issue 19's figures in its order (those not measured in this run say which
    benchmark measures them), then any other judged figure."""
    found = {f.key: f for f in figures}
    chosen = set(selected)
    rows: list[list[str]] = []
    for key, name, module in ISSUE_19:
        if key in found:
            rows.append(found.pop(key).cells())
        else:
            why = "not in this run" if chosen and module not in chosen else "not measured: see its lines above"
            rows.append([name, "", "", f"({why}: python -m bench {module})", "", "-"])
    rows += [f.cells() for f in found.values() if f.target is not None]
    header = ["figure", "measured", "target", "baseline (same run)", "ratio", "verdict"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [" | ".join(cell.ljust(w) for cell, w in zip(header, widths, strict=True)),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    return lines


def _number(value: float | None) -> str:
    if value is None:
        return ""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _unit(unit: str) -> str:
    return {"x": "x", "": ""}.get(unit, f" {unit}")


def wait_for_server(port: int, server: subprocess.Popen[str]) -> None:
    """Return once ``trellis serve`` (``server``) listens on ``port``; raise when it stopped or never did."""
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError(f"trellis serve stopped: {server.stderr.read() if server.stderr else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("trellis serve did not start listening")
