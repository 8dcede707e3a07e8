"""Run every benchmark module ``bench/bench_*.py`` (or the ones named) and print their figures.

Each module defines ``run(size: int) -> list[str]`` returning printed lines; each compares
its figures with a baseline measured in the same run and prints the ratio and the target,
so a noisy machine is judged against itself. Usage:

    python -m bench                 # all, at their default sizes
    python -m bench org_import      # one
    python -m bench --size 10000    # smaller organisations for a quick look
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help="benchmark names (files bench/bench_NAME.py)")
    parser.add_argument("--size", type=int, default=None, help="organisation size (default: each benchmark's own)")
    args = parser.parse_args(argv)
    here = Path(__file__).parent
    available = sorted(m.name[len("bench_"):] for m in pkgutil.iter_modules([str(here)])
                       if m.name.startswith("bench_"))
    chosen = args.names or available
    unknown = [n for n in chosen if n not in available]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}", file=sys.stderr)
        return 2
    failed = False
    for name in chosen:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"== {name}")
        started = time.perf_counter()
        for line in module.run(args.size):
            print(f"   {line}")
            failed |= line.startswith("MISSED")
        print(f"   ({time.perf_counter() - started:.1f} s in all)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
