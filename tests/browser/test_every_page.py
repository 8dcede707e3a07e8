"""Every page, in Chromium at desktop and phone widths: no serious or critical axe-core violation,
nothing scrolls sideways on a 390-pixel phone, and every navigation link can be reached.

axe-core comes from the npm registry (package.json). It is put into each page with
``page.evaluate`` of its source rather than a script tag, so a content security policy that
refuses injected scripts does not stop the check. A page added to the URLs without being
added to ``PAGES`` (or to ``NOT_PAGES``, with the reason) fails ``test_every_page_is_checked``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from tests.web.growth.cycle_factory import ask_for_feedback, payments_cycle, submit_pair
from tests.web.org import org_factory as f
from trellis.web.accounts.roles import ADMIN
from trellis.web.ladders import services as ladders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# URL name -> the address checked. Pages that need someone or something use the Payments organisation.
PAGES: dict[str, str] = {
    "home": "/",
    "ladder": "/ladder/",
    "ladder-versions": "/ladder/versions/",
    "org-chart": "/org/chart/?focus=e5",
    "org-chart-list": "/org/chart/list/?focus=e5",
    "org-teams": "/org/teams/",
    "org-team": "/org/teams/Payments/",
    "org-people": "/org/people/",
    "org-person": "/org/people/e4/",
    "org-import": "/org/import/",
    "org-person-edit": "/org/people/e4/edit/",
    "org-person-preferred-track": "/org/people/e4/preferred-track/",
    "org-team-edit": "/org/teams/Payments/edit/",
    "growth-person": "/growth/people/e4/",
    "growth-evidence": "/growth/people/e4/evidence/",
    "growth-evidence-import": "/growth/evidence/import/",
    "growth-cycles": "/growth/cycles/",
    "growth-notifications": "/growth/notifications/",
    "growth-cycle": "/growth/cycles/CYCLE/",
    "growth-participant": "/growth/cycles/CYCLE/people/e5/",
    "growth-self": "/growth/cycles/CYCLE/self/e4/",
    "growth-review": "/growth/cycles/CYCLE/review/tech_lead/e5/",
    "growth-feedback": "/growth/cycles/CYCLE/feedback/e5/",
    "growth-calibration": "/growth/cycles/CYCLE/calibration/",
    "growth-calibration-person": "/growth/cycles/CYCLE/calibration/people/e6/?reveal=1",
    "health": "/health/",
    "health-what-if": "/health/what-if/?changes=promote+e5+engineering-manager",
    "health-scenarios": "/health/scenarios/",
    "health-scenario-new": "/health/scenarios/new/?changes=promote+e5+engineering-manager",
    "health-scenario": "/health/scenarios/SCENARIO/",
    "health-scenario-edit": "/health/scenarios/SCENARIO/edit/",
    "health-scenario-delete": "/health/scenarios/SCENARIO/delete/",
    "health-scenarios-compare": "/health/scenarios/compare/?a=SCENARIO&b=OTHER",
}
# Pages seen signed out.
PUBLIC: dict[str, str] = {"login": "/accounts/login/"}
# URL names that are not pages, and why.
NOT_PAGES = {
    "promotions": "the proposals list (needs a proposal; not yet checked here)",
    "promotions-detail": "a proposal's page (needs a proposal; not yet checked here)",
    "promotions-packet": "a proposal's printable packet (needs a proposal; not yet checked here)",
    "promotions-new": "the new-proposal form (needs a proposal; not yet checked here)",
    "promotions-planned": "a person's planned moves (fragment) (needs a proposal; not yet checked here)",
    "promotions-reports": "the promotion reports (needs a proposal; not yet checked here)",
    "promotions-comment": "a form's action (POST)",
    "promotions-consent": "a form's action (POST)",
    "promotions-decide": "a form's action (POST)",
    "promotions-group": "a form's action (POST)",
    "promotions-submit": "a form's action (POST)",
    "promotions-withdraw": "a form's action (POST)",
    "oidc_authentication_init": "a redirect to the identity provider (tests/browser/test_single_sign_on.py)",
    "oidc_authentication_callback": "the identity provider's redirect back, answered by a redirect",
    "ladder-activate": "a form's action (POST), answered by a redirect",
    "logout": "a form's action (POST)",
    "org-import-confirm": "a form's action (POST), answered by a redirect or the import page",
    "org-export": "a CSV file",
    "org-people-export": "a CSV file",
    "org-suggest": "a fragment put into the chart and people pages, checked there",
    "org-chart-children": "a fragment of the list chart, checked there",
    "org-chart-boxes": "SVG put into the drawn chart, checked there",
    "org-chart-path": "JSON for the drawn chart",
    "org-chart-find": "JSON for the drawn chart",
    "org-chart-findings": "JSON for the drawn chart",
    "growth-evidence-delete": "a form's action (POST)",
    "growth-summary": "a fragment of the person page, checked there",
    "health-timeline": "a fragment of the health page, checked there",
    "health-findings": "a fragment of the team and person pages, checked there",
    "health-acknowledge": "a form's action (POST), answered by a redirect",
    "health-withdraw": "a form's action (POST), answered by a redirect",
    "health-what-if-options": "JSON for the what-if panel's pickers (tests/browser/test_what_if_scenarios.py)",
}


def _scenarios(*changes: str) -> list[str]:
    """Saved what-if scenarios for the scenario pages, by number."""
    from trellis.web.health import scenarios
    from trellis.web.org.access import Viewer

    return [str(scenarios.save(Viewer.operator(), name=f"Scenario {i}", note="To see the pages", changes=text,
                               by="test").pk) for i, text in enumerate(changes, start=1)]


def _names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in ("admin",) or str(p.pattern).startswith("api/"):
                continue  # Django's admin and the JSON API are not our pages
            names |= _names(p.url_patterns, namespace)
        elif p.name:
            names.add(p.name)
    return names


def test_every_page_is_checked():
    unlisted = _names(get_resolver().url_patterns) - set(PAGES) - set(PUBLIC) - set(NOT_PAGES)
    assert not unlisted, f"add these URL names to PAGES (or NOT_PAGES with a reason): {sorted(unlisted)}"


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
    ladders.ensure_default_ladder()
    alice.groups.add(Group.objects.get_or_create(name=ADMIN)[0])  # a flushed database has no groups
    f.payments(tess=alice)
    cycle = payments_cycle()
    submit_pair(cycle, "e6")  # calibration has ratings to compare
    ask_for_feedback(cycle, "e5", "e4")  # Alice, as Tess, gives Ben feedback
    first, other = _scenarios("promote e5 engineering-manager", "leave e5")
    problems: list[str] = []
    for name, path in PUBLIC.items():
        _check(page, f"{live_server.url}{path}", name, problems)
    sign_in(page, live_server, "alice", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    for name, path in PAGES.items():
        path = path.replace("CYCLE", str(cycle.pk)).replace("SCENARIO", first).replace("OTHER", other)
        _check(page, f"{live_server.url}{path}", name, problems)
    assert not problems, "\n".join(problems)


def test_the_skip_link_takes_the_keyboard_to_the_content(page, live_server, charlie):
    ladders.ensure_default_ladder()
    sign_in(page, live_server, "charlie", PASSWORD, then="/ladder/")
    page.wait_for_url(f"{live_server.url}/ladder/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
