"""SQLite under an import, over real HTTP against ``trellis serve``: while an import holds the database's
write lock, signing in waits for it and succeeds, reading pages goes on, and a second import is refused at
once and cleanly, without waiting for the lock."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from trellis.cli.server import THREADS
from trellis.org.generate import generate_org_csv

TRELLIS = str(Path(sys.executable).parent / "trellis")
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def instance(tmp_path_factory) -> Iterator[tuple[int, Path, dict[str, str]]]:  # type: ignore[no-untyped-def]
    data = tmp_path_factory.mktemp("instance")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRELLIS_", "DATABASE_URL", "DJANGO_"))}
    env.update({"TRELLIS_DATA_DIR": str(data), "DATABASE_URL": f"sqlite:///{data / 'trellis.sqlite3'}",
                "TRELLIS_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SUPERUSER_PASSWORD": PASSWORD})
    subprocess.run([TRELLIS, "migrate"], env=env, check=True, capture_output=True, cwd=data)
    subprocess.run([TRELLIS, "manage", "createsuperuser", "--noinput", "--username", "ops", "--email",
                    "ops@example.org"], env=env, check=True, capture_output=True, cwd=data)
    (data / "org.csv").write_text(generate_org_csv(300, seed=3), encoding="utf-8")
    subprocess.run([TRELLIS, "org", "import", str(data / "org.csv")], env=env, check=True, capture_output=True,
                   cwd=data)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    process = subprocess.Popen([TRELLIS, "serve", "--port", str(port), "--workers", "1"], env=env, cwd=data,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port, data, env
    finally:
        process.terminate()
        process.wait(timeout=30)


class Browser:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = HTTPConnection("127.0.0.1", self.port, timeout=600)  # the server closes idle ones
        connection.request(method, path, body=urlencode(form) if form is not None else None, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or ():
            self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
        text = response.read().decode()
        connection.close()
        return response.status, text

    def sign_in(self) -> int:
        _, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        status, _ = self.request("POST", "/accounts/login/", {"csrfmiddlewaretoken": token.group(1),
                                                              "username": "ops", "password": PASSWORD})
        return status

    def sign_in_once_sent(self, sent: threading.Event) -> int:
        """Sign in, setting ``sent`` once the server has the form (before it answers)."""
        _, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        connection = HTTPConnection("127.0.0.1", self.port, timeout=600)
        connection.request("POST", "/accounts/login/", body=urlencode({
            "csrfmiddlewaretoken": token.group(1), "username": "ops", "password": PASSWORD}), headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())})
        sent.set()
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status


def test_sign_in_waits_for_a_running_import_and_a_second_import_is_refused_at_once(instance):
    port, data, env = instance
    reader = Browser(port)
    assert reader.sign_in() == 302
    # What a running import holds: its marker (committed when it starts writing) and the write lock
    # of its one transaction, until it commits.
    db = sqlite3.connect(data / "trellis.sqlite3", isolation_level=None, timeout=600)
    db.execute("INSERT INTO org_runningimport (key, started_at, source, started_by) VALUES "
               "('import', ?, 'big.csv', 'hannah')", (datetime.now(UTC).isoformat(sep=" "),))
    db.execute("BEGIN IMMEDIATE")
    db.execute("UPDATE org_team SET department = department")
    signed_in: list[int] = []
    signing_in = threading.Thread(target=lambda: signed_in.append(Browser(port).sign_in()))
    signing_in.start()

    # Reading goes on: the people list and a person's page answer while the import writes.
    status, page = reader.request("GET", "/org/people/")
    assert status == 200 and "People" in page
    # A second import is refused before anything else, without waiting for the lock (this test
    # holds it until the refusal has come).
    second = subprocess.run([TRELLIS, "org", "import", str(data / "org.csv")], env=env, capture_output=True,
                            text=True, cwd=data)
    assert second.returncode == 1
    assert "an import is running since" in second.stderr and "(big.csv by hannah)" in second.stderr
    assert "Traceback" not in second.stderr + second.stdout and "locked" not in second.stderr

    db.execute("COMMIT")  # the import is written
    db.execute("DELETE FROM org_runningimport")
    signing_in.join(timeout=600)
    assert signed_in == [302], "the sign-in waited for the import's writes and succeeded"
    assert reader.request("GET", "/org/teams/")[0] == 200


def test_pages_are_read_while_sign_ins_wait_for_the_import_on_all_but_one_of_a_workers_threads(instance):
    """Each sign-in waiting for a running import's write lock keeps one of the worker's threads (the server
    runs one worker here). A page needs none of that lock: it is read while they all still wait, rather
    than queue for a thread until the import has written."""
    port, data, _ = instance
    reader = Browser(port)
    assert reader.sign_in() == 302
    db = sqlite3.connect(data / "trellis.sqlite3", isolation_level=None, timeout=600)
    db.execute("BEGIN IMMEDIATE")
    db.execute("UPDATE org_team SET department = department")
    sent = [threading.Event() for _ in range(THREADS - 1)]
    signed_in: list[int] = []
    signing_in = [threading.Thread(target=lambda e=e: signed_in.append(Browser(port).sign_in_once_sent(e)))
                  for e in sent]
    for thread in signing_in:
        thread.start()
    for event in sent:
        event.wait()

    # Had the page to wait for a thread, it would come only once a sign-in gave up on the lock.
    status, page = reader.request("GET", "/org/people/")
    assert status == 200 and "People" in page
    db.execute("COMMIT")
    for thread in signing_in:
        thread.join(timeout=600)
    assert signed_in == [302] * len(sent), "every sign-in waited for the import's writes and succeeded"
