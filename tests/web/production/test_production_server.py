"""`trellis serve` with the documented production settings: HTTPS headers, secure cookies, its own run directory."""

from __future__ import annotations

import http.client
import os
import re
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.production.settings_env import documented_production_settings

HOST = "trellis.example.org"
TRELLIS = str(Path(sys.executable).parent / "trellis")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[int, Path]]:  # type: ignore[no-untyped-def]
    data = tmp_path_factory.mktemp("instance")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRELLIS_", "DATABASE_URL", "DJANGO_"))}
    env.update(documented_production_settings())
    env.update({"TRELLIS_DATA_DIR": str(data), "DATABASE_URL": f"sqlite:///{data / 'trellis.sqlite3'}",
                "DJANGO_SUPERUSER_PASSWORD": "a long enough password", "TRELLIS_PROXY_COUNT": "0"})
    subprocess.run([TRELLIS, "migrate"], env=env, check=True, capture_output=True, cwd=data)
    subprocess.run([TRELLIS, "manage", "createsuperuser", "--noinput", "--username", "ops", "--email",
                    "ops@example.org"], env=env, check=True, capture_output=True, cwd=data)
    port = _free_port()
    process = subprocess.Popen([TRELLIS, "serve", "--port", str(port), "--workers", "1"], env=env, cwd=data,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port, data
    finally:
        process.terminate()
        process.wait(timeout=30)


def _request(port: int, method: str, path: str, headers: dict[str, str], body: str = "") -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body or None, headers={"Host": HOST, **headers})
    response = connection.getresponse()
    response.read()
    return response


HTTPS = {"X-Forwarded-Proto": "https"}


def test_plain_http_is_redirected_to_https(server):
    port, _ = server
    answer = _request(port, "GET", "/accounts/login/", {})
    assert answer.status == 301
    assert answer.getheader("Location") == f"https://{HOST}/accounts/login/"


def test_every_answer_over_https_carries_hsts_and_the_content_security_policy(server):
    port, _ = server
    answer = _request(port, "GET", "/accounts/login/", HTTPS)
    assert answer.status == 200
    assert answer.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    policy = answer.getheader("Content-Security-Policy")
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy
    assert answer.getheader("X-Frame-Options") == "DENY"
    assert answer.getheader("X-Content-Type-Options") == "nosniff"
    assert answer.getheader("Referrer-Policy") == "same-origin"


def test_the_cookies_are_secure_and_the_session_cookie_is_out_of_scripts_reach(server):
    port, _ = server
    form = _request(port, "GET", "/accounts/login/", HTTPS)
    csrf_cookie = form.getheader("Set-Cookie")
    assert "csrftoken=" in csrf_cookie and "Secure" in csrf_cookie
    token = re.search(r"csrftoken=([^;]+)", csrf_cookie).group(1)  # type: ignore[union-attr]
    answer = _request(port, "POST", "/accounts/login/", {
        **HTTPS, "Cookie": f"csrftoken={token}", "Origin": f"https://{HOST}", "Referer": f"https://{HOST}/accounts/login/",
        "Content-Type": "application/x-www-form-urlencoded",
    }, body=f"csrfmiddlewaretoken={token}&username=ops&password=a+long+enough+password")
    assert answer.status == 302, "the sign-in over HTTPS works"
    session = [c for c in answer.headers.get_all("Set-Cookie") or [] if c.startswith("sessionid=")]
    assert session and "Secure" in session[0] and "HttpOnly" in session[0]


def test_the_server_keeps_its_control_socket_pid_and_temporary_files_in_its_own_directory(server):
    port, data = server
    instance = data / "run" / f"127.0.0.1-{port}"
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    assert stat.S_ISSOCK((instance / "gunicorn.ctl").stat().st_mode)
    assert (instance / "gunicorn.pid").read_text().strip().isdigit()
    assert (instance / "tmp").is_dir()
