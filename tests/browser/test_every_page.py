"""Every page, in Chromium at desktop and phone widths: no serious or critical axe-core violation,
nothing scrolls sideways on a 390-pixel phone, and every navigation link can be reached.

axe-core comes from the npm registry (package.json). It is put into each page with
``page.evaluate`` of its source rather than a script tag, so a content security policy that
refuses injected scripts does not stop the check. The pages are the one list both page checks
share (tests/browser/pages.py): a URL added to Trellis without being listed there fails
``test_every_page_is_listed``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.browser.pages import PAGES, PUBLIC, address, build_site, unlisted
from tests.conftest import PASSWORD
from trellis.web.ladders import services as ladders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_every_page_is_listed():
    missing = unlisted()
    assert not missing, ("add these URL names to PAGES in tests/browser/pages.py (or to NOT_PAGES there, with "
                         f"the reason): {missing}")


def _serious_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
          .map(v => `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.help}; first: ${v.nodes[0].target.join(" ")}`);
    }""")
    return list(found)


def _sideways_and_hidden_links(page) -> list[str]:  # type: ignore[no-untyped-def]
    problems = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"the page is {width} px wide: it scrolls sideways")
    cut = page.evaluate("""() => {
        const scrolls = e => { for (let a = e.parentElement; a; a = a.parentElement) {
            const x = getComputedStyle(a).overflowX;
            if ((x === "auto" || x === "scroll") && a.scrollWidth > a.clientWidth) return true; } return false; };
        return [...document.querySelectorAll("main input, main select, main textarea, main button")]
          .filter(e => e.offsetParent !== null && e.type !== "hidden")
          .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !scrolls(e))
          .map(e => e.name || e.id || e.textContent.trim()); }""")
    problems += [f"the control {name!r} is cut off on a phone" for name in cut]
    # A scrolling frame is a landmark of its own: one that repeats its table's name is read out twice.
    repeated = page.evaluate("""() => {
        const name = e => (e.getAttribute("aria-label") || (e.getAttribute("aria-labelledby") || "").split(" ")
          .map(id => (document.getElementById(id) || {}).textContent || "").join(" ")).trim();
        return [...document.querySelectorAll("[role=region]")]
          .flatMap(r => [...r.querySelectorAll("table")].filter(t => name(t) && name(t) === name(r)).map(name)); }""")
    problems += [f"the scrolling frame and its table are both named {label!r}" for label in repeated]
    for link in page.locator(".topbar nav a").all():
        box = link.bounding_box()
        if not link.is_visible() or box is None or box["x"] < 0 or box["x"] + box["width"] > PHONE["width"]:
            problems.append(f"navigation link {link.inner_text()!r} cannot be reached")
    return problems


def _check(page, url: str, name: str, problems: list[str]) -> None:  # type: ignore[no-untyped-def]
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        response = page.goto(url)
        if response is None or response.status != 200:
            problems.append(f"{name}: {url} answered {response and response.status}")
            return
        page.wait_for_load_state("networkidle")
        problems += [f"{name} ({size}): {v}" for v in _serious_violations(page)]
        if size == "phone":
            problems += [f"{name}: {p}" for p in _sideways_and_hidden_links(page)]
        screenshot(page, f"every-page-{name}-{size}")


def test_no_page_has_a_serious_accessibility_violation_or_scrolls_sideways_on_a_phone(page, live_server, alice):
    site = build_site(alice)
    problems: list[str] = []
    for listed in PUBLIC:
        _check(page, address(listed, live_server.url, site), listed.key, problems)
    sign_in(page, live_server, "alice", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    for listed in PAGES:
        _check(page, address(listed, live_server.url, site), listed.key, problems)
    assert not problems, "\n".join(problems)


def test_the_skip_link_takes_the_keyboard_to_the_content(page, live_server, charlie):
    ladders.ensure_default_ladder()
    sign_in(page, live_server, "charlie", PASSWORD, then="/ladder/")
    page.wait_for_url(f"{live_server.url}/ladder/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
