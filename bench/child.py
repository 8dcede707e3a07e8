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


def measure_in_child(module: str, size: int, *options: str) -> dict[str, Any]:
    """Run ``python -m MODULE SIZE WORKDIR [OPTIONS]``; its last line of output is a JSON object of figures."""
    with tempfile.TemporaryDirectory(prefix="trellis-bench-") as workdir:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        proc = subprocess.run([sys.executable, "-m", module, str(size), workdir, *options],
                              capture_output=True, text=True, env=env, cwd=Path(__file__).parent.parent)
    if proc.returncode != 0:
        raise ChildFailed(proc.stderr.strip()[-2000:])
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def generated_org_in(workdir: str, size: int, hosts: str = "testserver") -> None:
    """In a benchmark's child: a fresh SQLite database in ``workdir`` holding a generated
    organisation of ``size`` people and the default ladder, with Django set up on it."""
    from datetime import date

    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["TRELLIS_DATA_DIR"] = workdir
    os.environ["TRELLIS_ALLOWED_HOSTS"] = hosts
    from trellis.cli.common import setup_django

    setup_django()
    from django.core.management import call_command

    from trellis.org.generate import generate_org_csv
    from trellis.web.ladders.services import ensure_default_ladder
    from trellis.web.org.services import apply_import

    call_command("migrate", "--noinput", verbosity=0)
    ensure_default_ladder()
    apply_import(generate_org_csv(size, seed=1), "generated.csv", as_of=date(2025, 7, 1))
