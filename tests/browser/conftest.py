"""Debian's Chromium driven by Playwright. The browser is never downloaded.

A missing browser fails these tests: CI must not pass by skipping them. Set
TRELLIS_SKIP_BROWSER=1 to skip them on purpose on a machine without Chromium.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("TRELLIS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(os.environ.get("TRELLIS_SCREENSHOTS", "test-results"))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if os.environ.get("TRELLIS_SKIP_BROWSER") == "1":
        pytest.skip("TRELLIS_SKIP_BROWSER=1: browser tests skipped on purpose")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
                    "(apt-get install chromium) or set TRELLIS_CHROMIUM")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls here are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, live_server, username: str, password: str, then: str = "") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/accounts/login/" + (f"?next={then}" if then else ""))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
