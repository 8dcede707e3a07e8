"""Run a benchmark's measurements in a fresh Python process with its own temporary SQLite database.

A fresh process keeps one benchmark's imports, caches and memory from colouring another's,
and ``DATABASE_URL`` is dropped so a benchmark never touches a configured database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any


class ChildFailed(Exception):
    pass


def measure_in_child(module: str, size: int) -> dict[str, Any]:
    """Run ``python -m MODULE SIZE WORKDIR``; its last line of output is a JSON object of figures."""
    with tempfile.TemporaryDirectory(prefix="trellis-bench-") as workdir:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        proc = subprocess.run([sys.executable, "-m", module, str(size), workdir],
                              capture_output=True, text=True, env=env, cwd=Path(__file__).parent.parent)
    if proc.returncode != 0:
        raise ChildFailed(proc.stderr.strip()[-2000:])
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result
