"""Every page works in Chromium with the content security policy on, and breaks none of its rules.

The policy (settings.CONTENT_SECURITY_POLICY) allows no inline script or style and no other
origin. A violation is caught by a ``securitypolicyviolation`` listener Playwright puts in each
page before the page's own code runs. A URL added without being listed here fails
``test_every_page_is_listed``.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from tests.web.org.csv_files import ORG
from trellis.web.accounts.roles import ADMIN
from trellis.web.ladders import services as ladders
from trellis.web.org import services as org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# URL name -> the address visited, signed in as an admin.
PAGES: dict[str, str] = {
    "home": "/",
    "ladder": "/ladder/",
    "ladder-versions": "/ladder/versions/",
    "org-chart": "/org/chart/",
    "org-chart-list": "/org/chart/list/?q=Eve",
    "org-teams": "/org/teams/",
    "org-team": "/org/teams/payments/",
    "org-people": "/org/people/",
    "org-person": "/org/people/em1/",
    "org-import": "/org/import/",
    "org-person-edit": "/org/people/em1/edit/",
    "org-person-preferred-track": "/org/people/em1/preferred-track/",
    "org-team-edit": "/org/teams/payments/edit/",
    "health": "/health/",
    "health-what-if": "/health/what-if/?changes=promote+e1+engineering-manager",
    "health-scenarios": "/health/scenarios/",
    "health-scenario-new": "/health/scenarios/new/?changes=promote+e1+engineering-manager",
    "health-scenario": "/health/scenarios/SCENARIO/",
    "health-scenario-edit": "/health/scenarios/SCENARIO/edit/",
    "health-scenario-delete": "/health/scenarios/SCENARIO/delete/",
    "health-scenarios-compare": "/health/scenarios/compare/?a=SCENARIO&b=OTHER",
    "growth-person": "/growth/people/e1/",
    "growth-notifications": "/growth/notifications/",
    "growth-evidence": "/growth/people/e1/evidence/",
    "growth-evidence-import": "/growth/evidence/import/",
    "growth-cycles": "/growth/cycles/",
    "growth-cycle": "/growth/cycles/CYCLE/",
    "growth-participant": "/growth/cycles/CYCLE/people/e1/",
    "growth-self": "/growth/cycles/CYCLE/self/tl1/",
    "growth-review": "/growth/cycles/CYCLE/review/tech_lead/e1/",
    "growth-feedback": "/growth/cycles/CYCLE/feedback/e2/",
    "growth-calibration": "/growth/cycles/CYCLE/calibration/",
    "growth-calibration-person": "/growth/cycles/CYCLE/calibration/people/e1/?reveal=1",
}
# Pages seen signed out.
PUBLIC = {"login": "/accounts/login/"}
# Pages outside our templates that must obey the policy too.
OTHER_PAGES = {"admin": "/admin/", "admin-people": "/admin/org/person/", "api-docs": "/api/docs"}
# URL names that are not pages of their own, and why.
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
    "ladder-activate": "a form's action (POST)",
    "logout": "a form's action (POST)",
    "oidc_authentication_init": "a redirect to the identity provider (test_sign_in_with_identity_provider.py)",
    "oidc_authentication_callback": "the identity provider's redirect back, answered by a redirect",
    "org-import-confirm": "a form's action (POST)",
    "org-export": "a CSV file",
    "org-people-export": "a CSV file",
    "org-chart-boxes": "SVG put into the drawn chart, loaded there",
    "org-chart-path": "JSON for the drawn chart",
    "org-chart-find": "JSON for the drawn chart",
    "org-chart-findings": "JSON for the drawn chart",
    "org-suggest": "a fragment of the chart page, loaded there by typing",
    "org-chart-children": "a fragment of the chart page, loaded there",
    "health-timeline": "a fragment of the health page, loaded there",
    "health-findings": "a fragment of the team and person pages, loaded there",
    "health-acknowledge": "a form's action (POST), answered by a redirect",
    "health-withdraw": "a form's action (POST), answered by a redirect",
    "health-what-if-options": "JSON for the what-if panel's pickers (tests/browser/test_what_if_scenarios.py)",
    "growth-summary": "a fragment of the person page, loaded there",
    "growth-evidence-delete": "a form's action (POST)",
}

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const what = e.blockedURI || "inline";
  window.__violations.push(`${e.violatedDirective} blocked ${what} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _scenarios(*changes: str) -> list[str]:
    """Saved what-if scenarios for the scenario pages, by number."""
    from trellis.web.health import scenarios
    from trellis.web.org.access import Viewer

    return [str(scenarios.save(Viewer.operator(), name=f"Scenario {i}", note="To see the pages", changes=text,
                               by="test").pk) for i, text in enumerate(changes, start=1)]


def _names(patterns: list[URLPattern | URLResolver]) -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace != "admin" and not str(p.pattern).startswith("api/"):
                names |= _names(p.url_patterns)
        elif p.name:
            names.add(p.name)
    return names


def test_every_page_is_listed():
    unlisted = _names(get_resolver().url_patterns) - set(PAGES) - set(PUBLIC) - set(NOT_PAGES)
    assert not unlisted, f"add these URL names to PAGES (or NOT_PAGES with a reason): {sorted(unlisted)}"


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
    ladders.ensure_default_ladder()
    alice.groups.add(Group.objects.get_or_create(name=ADMIN)[0])  # a flushed database has no groups
    alice.is_staff = alice.is_superuser = True  # the admin site's pages too
    alice.save()
    org.apply_import(ORG, "org.csv", as_of=date(2025, 3, 1))
    cycle = _a_cycle_with_reviews(alice)
    first, other = _scenarios("promote e1 engineering-manager", "leave e1")
    page.add_init_script(LISTEN)
    outside = _outside_requests(page, live_server)

    problems = []
    for name, path in PUBLIC.items():
        problems += _visit(page, f"{live_server.url}{path}", name)
    sign_in(page, live_server, "alice", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    for name, path in {**PAGES, **OTHER_PAGES}.items():
        path = path.replace("SCENARIO", first).replace("OTHER", other).replace("CYCLE", str(cycle.pk))
        problems += _visit(page, f"{live_server.url}{path}", name)
    assert problems == []
    assert outside == [], "no page asks another origin for anything"


def _a_cycle_with_reviews(alice):  # type: ignore[no-untyped-def]
    """An open cycle for everyone: Alice is Chloé (tl1), Payments' tech lead, who reviews Eve (e1) and is asked
    for feedback on Femi (e2); Eve's pair has submitted, so calibration has ratings to compare."""
    from trellis.web.growth import services as growth
    from trellis.web.growth.models import Participant
    from trellis.web.org.access import Viewer
    from trellis.web.org.models import Person

    Person.objects.filter(external_id="tl1").update(user=alice)
    hr = Viewer.operator()
    cycle = growth.create_cycle(hr, name="2026 H1", period_start=date(2026, 1, 1), period_end=date(2026, 6, 30))
    growth.open_cycle(hr, cycle)

    def pt(pid: str) -> Participant:
        return Participant.objects.select_related("cycle", "person", "self_evaluation").get(
            cycle=cycle, person__external_id=pid)

    ladder = growth.cycle_ladder(cycle)
    for role, by in (("people_manager", "em1"), ("tech_lead", "tl1")):
        person = Person.objects.get(external_id=by)
        growth.save_review(Viewer.acting_as(person.pk, by), pt("e1"), role, submit=True, summary="",
                           ratings={c.id: "proficient" for c in ladder.competencies if c.rated_by_role(role)})
    growth.decide_nomination(hr, growth.nominate(hr, pt("e2"), "tl1"), True)
    return cycle


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
