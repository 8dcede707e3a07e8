"""Run every benchmark module ``bench/bench_*.py`` (or the ones named) and print their figures.

Each module defines ``run(size: int | None) -> list[str | Figure]`` (``bench.harness``): each
figure is printed with its target, the baseline measured in the same run and the ratio, then
all of them again in one closing table in the order of the speed issue. The command exits
non-zero when any figure misses its target. Usage:

    python -m bench                   # all, at their default sizes
    python -m bench org_pages health  # some
    python -m bench --size 10000      # smaller organisations for a quick look (targets stay)
    python -m bench --list            # what there is
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from pathlib import Path

from bench.harness import Figure, load_average, table


def available() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name[len("bench_"):] for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help="benchmark names (files bench/bench_NAME.py); default: all")
    parser.add_argument("--size", type=int, default=None, help="organisation size (default: each benchmark's own)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    args = parser.parse_args(argv)
    names = available()
    if args.list:
        for name in names:
            doc = (importlib.import_module(f"bench.bench_{name}").__doc__ or "").strip().splitlines()
            print(f"{name}: {doc[0] if doc else ''}")
        return 0
    chosen = args.names or names
    unknown = [n for n in chosen if n not in names]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(names)}", file=sys.stderr)
        return 2
    failed = False
    figures: list[Figure] = []
    print(f"({load_average()})")
    for name in chosen:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        for item in module.run(args.size):
            if isinstance(item, Figure):
                figures.append(item)
                failed |= item.missed
                print(f"   {item.line()}", flush=True)
            else:
                failed |= item.startswith("MISSED")
                print(f"   {item}", flush=True)
        print(f"   ({time.perf_counter() - started:.1f} s in all; {load_average()})", flush=True)
    print()
    print("\n".join(table(figures, chosen if args.names else ())))
    print(f"\n{'MISSED: at least one figure missed its target' if failed else 'every figure met its target'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
