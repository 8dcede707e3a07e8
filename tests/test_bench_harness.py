"""``python -m bench``: every figure against its target and its same-run baseline, one closing table,
and a non-zero exit when a figure misses."""

from __future__ import annotations

import sys
import types

import bench.__main__ as command
import pytest
from bench.harness import ISSUE_19, Figure, at_least, at_most, p95, table


def test_a_figure_over_its_limit_misses_and_one_under_it_passes():
    assert Figure("k", "team page", 31.0, "ms", at_most(25)).verdict == "MISS"
    assert Figure("k", "team page", 12.0, "ms", at_most(25)).verdict == "PASS"
    assert Figure("k", "throughput", 0.4, "x", at_least(0.5)).missed
    assert Figure("k", "a figure shown, not judged", 3.0, "s").verdict == "info"


def test_a_figure_reads_with_its_target_baseline_and_ratio():
    figure = Figure("team-page-median", "team page, median", 12.0, "ms", at_most(25), "sign-in page", 3.0, ratio=4.0)
    assert figure.line() == "PASS team page, median: 12.0 ms; target ≤ 25.0 ms; baseline sign-in page 3.00 ms; " \
                            "4.00x the baseline"
    assert Figure.from_dict(figure.to_dict()) == figure


def test_the_95th_percentile_is_the_nearest_rank():
    assert p95([float(n) for n in range(1, 101)]) == 95.0
    assert p95([5.0]) == 5.0


def test_the_closing_table_lists_every_figure_of_the_speed_issue_in_its_order():
    measured = Figure("search", "search and suggest", 12.0, "ms", at_most(30))
    rows = table([measured], ["org_pages"])[2:]
    assert len(rows) == len(ISSUE_19)
    assert rows[[key for key, _, _ in ISSUE_19].index("search")].startswith("search and suggest")
    assert "not in this run: python -m bench health" in rows[[k for k, _, _ in ISSUE_19].index("what-if-median")]


@pytest.fixture
def one_benchmark(monkeypatch):  # type: ignore[no-untyped-def]
    """A benchmark module ``bench_fake`` whose figures the test sets."""
    module = types.ModuleType("bench.bench_fake")
    module.figures = []  # type: ignore[attr-defined]
    module.run = lambda size: ["a line of its own", *module.figures]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bench.bench_fake", module)
    monkeypatch.setattr(command, "available", lambda: ["fake"])
    return module


def test_the_command_exits_non_zero_when_a_figure_misses(one_benchmark, capsys):
    one_benchmark.figures = [Figure("what-if-median", "one what-if change", 12.0, "ms", at_most(10))]
    assert command.main(["fake"]) == 1
    out = capsys.readouterr().out
    assert "MISS one what-if change: 12.0 ms; target ≤ 10.0 ms" in out
    assert "a line of its own" in out and "load average" in out


def test_the_command_exits_zero_when_every_figure_meets_its_target(one_benchmark, capsys):
    one_benchmark.figures = [Figure("what-if-median", "one what-if change", 0.4, "ms", at_most(10))]
    assert command.main([]) == 0
    assert "every figure met its target" in capsys.readouterr().out


def test_an_older_benchmark_line_saying_missed_still_fails_the_command(one_benchmark):
    one_benchmark.run = lambda size: ["MISSED: the export differs from the imported file"]
    assert command.main(["fake"]) == 1


def test_an_unknown_benchmark_is_refused_with_the_names_there_are(one_benchmark, capsys):
    assert command.main(["imports"]) == 2
    assert "unknown benchmark(s): imports; available: fake" in capsys.readouterr().err
