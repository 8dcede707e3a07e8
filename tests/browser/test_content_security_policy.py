"""Every page works in Chromium with the content security policy on, and breaks none of its rules.

The policy (settings.CONTENT_SECURITY_POLICY) allows no inline script or style and no other
origin. A violation is caught by a ``securitypolicyviolation`` listener Playwright puts in each
page before the page's own code runs. The pages are the one list
both page checks share (tests/browser/pages.py); a URL added to Trellis without being listed
there fails ``test_every_page.py::test_every_page_is_listed``.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.browser.pages import OTHER_PAGES, PAGES, PUBLIC, address, build_site
from tests.conftest import PASSWORD
from tests.web.org.csv_files import ORG
from trellis.web.ladders import services as ladders
from trellis.web.org import services as org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const what = e.blockedURI || "inline";
  window.__violations.push(`${e.violatedDirective} blocked ${what} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _visit(page, url: str, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"{name}: script error {exc}"))
    response = page.goto(url)
    if response is None or response.status != 200:
        return [f"{name}: {url} answered {response and response.status}"]
    page.wait_for_load_state("networkidle", timeout=90_000)  # a loaded machine is slow, not wrong
    errors += [f"{name}: {v}" for v in page.evaluate("window.__violations")]
    screenshot(page, f"csp-{name}")
    return errors


def _outside_requests(page, live_server) -> list[str]:  # type: ignore[no-untyped-def]
    outside: list[str] = []

    def refuse(route):  # type: ignore[no-untyped-def]
        if not route.request.url.startswith(live_server.url):
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", refuse)
    return outside


def test_every_page_works_with_the_policy_on_and_breaks_none_of_its_rules(page, live_server, alice):
    site = build_site(alice)
    page.add_init_script(LISTEN)
    outside = _outside_requests(page, live_server)

    problems = []
    for listed in PUBLIC:
        problems += _visit(page, address(listed, live_server.url, site), listed.key)
    sign_in(page, live_server, "alice", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    for listed in PAGES + OTHER_PAGES:
        problems += _visit(page, address(listed, live_server.url, site), listed.key)
    assert problems == []
    assert outside == [], "no page asks another origin for anything"


def test_an_inline_script_is_refused_and_reported(page, live_server):
    page.add_init_script(LISTEN)
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.__ran = true;";
        document.body.appendChild(script);
    }""")
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__ran") is None
    assert page.evaluate("window.__violations")[0].startswith("script-src-elem blocked inline")


def test_the_pages_scripts_still_work_under_the_policy(page, live_server, alice):
    ladders.ensure_default_ladder()
    org.apply_import(ORG, "org.csv", as_of=date(2025, 3, 1))
    page.add_init_script(LISTEN + "window.print = () => { window.__printed = true; };")
    sign_in(page, live_server, "alice", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/org/chart/")
    page.click("button[data-print]")
    assert page.evaluate("window.__printed") is True, "the print button prints"

    page.goto(f"{live_server.url}/org/people/em1/")  # the findings load into the page (hx-trigger=load)
    page.wait_for_load_state("networkidle", timeout=90_000)  # a loaded machine is slow, not wrong
    assert page.evaluate("window.__violations") == []


def test_the_api_docs_render_their_operations_with_no_internet(page, live_server, alice):
    page.add_init_script(LISTEN)
    outside = _outside_requests(page, live_server)
    sign_in(page, live_server, "alice", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".opblock")
    operations = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/org/people" in operations and "/api/org/import" in operations
    assert page.locator(".info .title").inner_text().startswith("Trellis API")
    screenshot(page, "api-docs-offline")
    assert outside == [] and page.evaluate("window.__violations") == []
