"""SQLite under an import: a 100,000-person import runs while people sign in and browse, over real HTTP.

``trellis serve`` (gunicorn, 2 workers, as deployed) answers clients that sign in with a password,
open the people list, the teams, the health dashboard and their own page, and sign out, in a loop,
on an SQLite database in WAL mode. Meanwhile ``trellis org import`` imports a generated
organisation of 100,000 people, then re-imports it with 1% changed; a second import started
while the first runs must be refused at once and cleanly ("an import is running since ...").

Printed: every request that failed (target: none), the worst read stall and the worst sign-in
while an import was writing, beside the median read when no import runs (the baseline measured
in the same run), and how the second import was answered.
"""

from __future__ import annotations

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.child import ChildFailed, measure_in_child
from bench.harness import Figure, at_most, wait_for_server

DEFAULT_SIZE = 100_000
CLIENTS = 6
PASSWORD = "a long load-test password"
READS = ("/org/people/", "/org/teams/", "/health/", "/")
STALL_TARGET_S = 2.0  # the worst read while an import writes
SIGN_IN_TARGET_S = 5.0  # the worst sign-in while an import writes


class Client:
    """One person's browser: a kept-alive connection and the cookies the server set."""

    def __init__(self, port: int, username: str):
        self.port, self.username = port, username
        self.connection = HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (OSError, ConnectionError):
            self.connection.close()
            self.connection = HTTPConnection("127.0.0.1", self.port, timeout=120)
            raise
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, text

    def sign_in(self) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"the sign-in page answered {status}")
        status, page = self.request("POST", "/accounts/login/", {
            "csrfmiddlewaretoken": token.group(1), "username": self.username, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"signing in answered {status}: {_gist(page)}")

    def sign_out(self) -> None:
        token = self.cookies.get("csrftoken", "")
        status, page = self.request("POST", "/accounts/logout/", {"csrfmiddlewaretoken": token})
        if status not in (200, 302):
            raise RuntimeError(f"signing out answered {status}: {_gist(page)}")


def _gist(page: str) -> str:
    found = re.search(r"(database is locked|Traceback|Server Error[^<]*)", page)
    return found.group(1) if found else page[:120].replace("\n", " ")


def child(size: int, workdir: str) -> dict[str, Any]:
    env_url = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.update(DATABASE_URL=env_url, TRELLIS_DATA_DIR=workdir, TRELLIS_ALLOWED_HOSTS="127.0.0.1")
    from trellis.cli.common import setup_django

    setup_django()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from trellis.org.generate import generate_org_csv
    from trellis.web.ladders.services import ensure_default_ladder

    call_command("migrate", "--noinput", verbosity=0)
    ensure_default_ladder()

    for i in range(CLIENTS):
        User.objects.create_user(f"reader{i}", password=PASSWORD)
    big = Path(workdir) / "org.csv"
    big.write_text(generate_org_csv(size, seed=1), encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": env_url, "TRELLIS_DATA_DIR": workdir, "TRELLIS_RUN_DIR": f"{workdir}/run",
           "TRELLIS_ALLOWED_HOSTS": "127.0.0.1", "TRELLIS_DEBUG": ""}
    trellis = [sys.executable, "-c", "from trellis.cli import main; main()"]
    server = subprocess.Popen([*trellis, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, text=True)
    try:
        wait_for_server(port, server)
        return _load(port, trellis, env, big, workdir)
    finally:
        server.terminate()
        server.wait(timeout=60)


def _load(port: int, trellis: list[str], env: dict[str, str], big: Path, workdir: str) -> dict[str, Any]:
    importing = threading.Event()
    stop = threading.Event()
    lock = threading.Lock()
    reads: list[tuple[bool, float, str]] = []  # (while importing, seconds, path)
    sign_ins: list[tuple[bool, float]] = []
    errors: list[str] = []

    def browse(i: int) -> None:
        client = Client(port, f"reader{i}")
        k = i
        while not stop.is_set():
            try:
                during = importing.is_set()
                started = time.perf_counter()
                client.sign_in()
                taken = time.perf_counter() - started
                with lock:
                    sign_ins.append((during or importing.is_set(), taken))
                for _ in range(3):
                    path = READS[k % len(READS)]
                    k += 1
                    during = importing.is_set()
                    started = time.perf_counter()
                    status, page = client.request("GET", path)
                    taken = time.perf_counter() - started
                    if status != 200:
                        raise RuntimeError(f"{path} answered {status}: {_gist(page)}")
                    with lock:
                        reads.append((during or importing.is_set(), taken, path))
                client.sign_out()
            except Exception as exc:  # every failure a user would see is counted, and the loop goes on
                with lock:
                    errors.append(f"reader{i}: {exc}")
                client = Client(port, f"reader{i}")

    threads = [threading.Thread(target=browse, args=(i,), daemon=True) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    time.sleep(5)  # before any import: the baseline
    importing.set()
    started = time.perf_counter()
    first = subprocess.Popen([*trellis, "org", "import", str(big)], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    from trellis.web.org.models import RunningImport

    while not RunningImport.objects.exists() and first.poll() is None:
        time.sleep(0.1)  # the first import has read its file and is writing
    second = subprocess.run([*trellis, "org", "import", str(big)], env=env, capture_output=True, text=True)
    out, err = first.communicate()
    first_s = time.perf_counter() - started
    changed = Path(workdir) / "changed.csv"
    from bench.bench_org_import import change_one_percent

    changed.write_text(change_one_percent(big.read_text(encoding="utf-8"))[0], encoding="utf-8")
    started = time.perf_counter()
    again = subprocess.run([*trellis, "org", "import", str(changed)], env=env, capture_output=True, text=True)
    again_s = time.perf_counter() - started
    importing.clear()
    time.sleep(3)
    stop.set()
    for t in threads:
        t.join(timeout=180)
    quiet = [s for during, s, _ in reads if not during]
    busy = [s for during, s, _ in reads if during]
    worst = {path: max((s for during, s, p in reads if during and p == path), default=0.0) for path in READS}
    return {
        "first_exit": first.returncode, "first_s": first_s, "first_out": (out + err)[-300:],
        "again_exit": again.returncode, "again_s": again_s, "again_out": (again.stdout + again.stderr)[-300:],
        "second_exit": second.returncode, "second_err": second.stderr.strip()[-400:],
        "errors": len(errors), "first_errors": errors[:5],
        "reads": len(reads), "reads_during": len(busy), "sign_ins_during": sum(1 for d, _ in sign_ins if d),
        "quiet_median_s": statistics.median(quiet) if quiet else 0.0,
        "worst_read_s": max(busy, default=0.0), "median_read_during_s": statistics.median(busy) if busy else 0.0,
        "worst_sign_in_s": max((s for d, s in sign_ins if d), default=0.0), "worst_by_path": worst,
    }


def run(size: int | None) -> list[str | Figure]:
    size = size or DEFAULT_SIZE
    try:
        r = measure_in_child("bench.bench_import_load", size)
    except ChildFailed as exc:
        return [f"MISSED: the benchmark failed: {exc}"]
    quiet = float(r["quiet_median_s"])
    lines: list[str | Figure] = [
        f"import of {size:,} people over a running server: {float(r['first_s']):.1f} s (exit {r['first_exit']}); "
        f"re-import with 1% changed: {float(r['again_s']):.1f} s (exit {r['again_exit']})",
        f"{r['reads_during']:,} reads and {r['sign_ins_during']:,} sign-ins while an import ran "
        f"({CLIENTS} clients, {r['reads']:,} reads in all)",
        Figure("import-load-errors", "failed requests while imports ran", float(r["errors"]), "", at_most(0),
               note="; ".join(r["first_errors"])),
        Figure("import-load-stall", "worst read while an import writes", float(r["worst_read_s"]), "s",
               at_most(STALL_TARGET_S), baseline="median read with no import", baseline_value=quiet,
               ratio=float(r["worst_read_s"]) / quiet if quiet else None,
               note=f"median during imports {float(r['median_read_during_s']):.2f} s"),
        Figure("import-load-sign-in", "worst sign-in while an import writes", float(r["worst_sign_in_s"]), "s",
               at_most(SIGN_IN_TARGET_S)),
        "the worst read of each page while an import ran: "
        + ", ".join(f"{path} {seconds:.2f} s" for path, seconds in r["worst_by_path"].items()),
        f"a second import started meanwhile: exit {r['second_exit']}: {r['second_err']}",
    ]
    if r["first_exit"] != 0 or r["again_exit"] != 0:
        lines.append(f"MISSED: an import failed: {r['first_out']} {r['again_out']}")
    if r["second_exit"] != 1 or "an import is running since" not in r["second_err"] \
            or "Traceback" in r["second_err"]:
        lines.append("MISSED: the second import was not refused cleanly")
    return lines


if __name__ == "__main__":
    print(json.dumps(child(int(sys.argv[1]), sys.argv[2])))
