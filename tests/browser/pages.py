"""Every page of Trellis, in one list, with the organisation they are opened on.

Both page checks use it: the content security policy (test_content_security_policy.py) and
accessibility at desktop and phone widths (test_every_page.py). A URL added to Trellis must be
added here, to ``PAGES`` (opened and checked) or to ``NOT_PAGES`` with the reason it is not a page:
``test_every_page.py::test_every_page_is_listed`` fails until it is.

To add a page: one ``Page`` line below; if it needs something the site does not hold yet (a cycle
in another state, a proposal), build it in ``build_site`` through the services and name it in
the placeholders ``build_site`` returns (``{cycle}`` in a path is replaced by its id).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver

from tests.web.growth.cycle_factory import ask_for_feedback, payments_cycle, submit_pair
from tests.web.org import org_factory as f
from trellis.growth.evidence import EvidenceItem
from trellis.lib import clock
from trellis.web.accounts.roles import ADMIN
from trellis.web.growth import services as growth
from trellis.web.health import scenarios
from trellis.web.ladders import services as ladders
from trellis.web.org.access import Viewer
from trellis.web.promotions import services as promotions


@dataclass(frozen=True)
class Page:
    name: str  # the URL name
    path: str  # the address, with {placeholders} that build_site fills in
    variant: str = ""  # when one URL name is opened at several addresses: what differs

    @property
    def key(self) -> str:
        return f"{self.name}-{self.variant}" if self.variant else self.name


# Seen signed in as Alice: an admin (and staff, for the admin site) who is Tess, Payments' tech lead (e4).
PAGES: list[Page] = [
    Page("home", "/"),
    Page("ladder", "/ladder/"),
    Page("ladder-versions", "/ladder/versions/"),
    Page("org-chart", "/org/chart/?focus=e5"),
    Page("org-chart-list", "/org/chart/list/?focus=e5"),
    Page("org-chart-list", "/org/chart/list/?q=Ben", "search"),
    Page("org-teams", "/org/teams/"),
    Page("org-team", "/org/teams/Payments/"),
    Page("org-people", "/org/people/"),
    Page("org-person", "/org/people/e5/"),  # with a planned move (promotions-planned, loaded into it)
    Page("org-import", "/org/import/"),
    Page("org-person-edit", "/org/people/e4/edit/"),
    Page("org-person-preferred-track", "/org/people/e4/preferred-track/"),
    Page("org-team-edit", "/org/teams/Payments/edit/"),
    Page("health", "/health/"),
    Page("health-what-if", "/health/what-if/?changes=promote+e5+engineering-manager"),
    # Saved what-if scenarios: two, to compare.
    Page("health-scenarios", "/health/scenarios/"),
    Page("health-scenario-new", "/health/scenarios/new/?changes=promote+e5+engineering-manager"),
    Page("health-scenario", "/health/scenarios/{scenario}/"),
    Page("health-scenario-edit", "/health/scenarios/{scenario}/edit/"),
    Page("health-scenario-delete", "/health/scenarios/{scenario}/delete/"),
    Page("health-scenarios-compare", "/health/scenarios/compare/?a={scenario}&b={other_scenario}"),
    Page("growth-person", "/growth/people/e4/"),
    Page("growth-evidence", "/growth/people/e5/evidence/"),
    Page("growth-evidence-import", "/growth/evidence/import/"),
    Page("growth-cycles", "/growth/cycles/"),
    Page("growth-notifications", "/growth/notifications/"),
    # Review cycles: one open, one in calibration.
    Page("growth-cycle", "/growth/cycles/{cycle}/"),
    Page("growth-cycle", "/growth/cycles/{calibrating}/", "calibration"),
    Page("growth-participant", "/growth/cycles/{cycle}/people/e5/"),
    Page("growth-participant", "/growth/cycles/{calibrating}/people/e5/", "calibration"),
    Page("growth-self", "/growth/cycles/{cycle}/self/e4/"),
    Page("growth-review", "/growth/cycles/{cycle}/review/tech_lead/e5/"),
    Page("growth-feedback", "/growth/cycles/{cycle}/feedback/e5/"),  # Tess was asked for Ben's peer feedback
    Page("growth-calibration", "/growth/cycles/{calibrating}/calibration/"),
    Page("growth-calibration-person", "/growth/cycles/{calibrating}/calibration/people/e5/?reveal=1"),
    # Promotions: Tess proposed Ben for Lead Engineer with evidence from his log; approved, effective next month.
    Page("promotions", "/promotions/"),
    Page("promotions-new", "/promotions/new/?person=e5"),
    Page("promotions-detail", "/promotions/{proposal}/"),
    Page("promotions-packet", "/promotions/{proposal}/packet/"),
    Page("promotions-reports", "/promotions/reports/"),
    Page("promotions-group", "/promotions/my-group/"),
]
# Seen signed out.
PUBLIC: list[Page] = [Page("login", "/accounts/login/")]
# Pages outside our templates (Django's admin, the API docs): checked for the policy only.
OTHER_PAGES: list[Page] = [Page("admin", "/admin/"), Page("admin-people", "/admin/org/person/"),
                           Page("api-docs", "/api/docs")]

# URL names that are not pages of their own, and why.
NOT_PAGES: dict[str, str] = {
    "logout": "a form's action (POST)",
    "ladder-activate": "a form's action (POST), answered by a redirect",
    "oidc_authentication_init": "a redirect to the identity provider (test_sign_in_with_identity_provider.py)",
    "oidc_authentication_callback": "the identity provider's redirect back, answered by a redirect",
    "org-import-confirm": "a form's action (POST), answered by a redirect or the import page",
    "org-export": "a CSV file",
    "org-people-export": "a CSV file",
    "org-suggest": "a fragment put into the chart and people pages, checked there",
    "org-chart-children": "a fragment of the list chart, checked there",
    "org-chart-boxes": "SVG put into the drawn chart, checked there",
    "org-chart-path": "JSON for the drawn chart",
    "org-chart-find": "JSON for the drawn chart",
    "org-chart-findings": "JSON for the drawn chart",
    "health-timeline": "a fragment of the health page, checked there",
    "health-findings": "a fragment of the team and person pages, checked there",
    "health-acknowledge": "a form's action (POST), answered by a redirect",
    "health-withdraw": "a form's action (POST), answered by a redirect",
    "health-what-if-options": "JSON for the what-if panel's pickers (tests/browser/test_what_if_scenarios.py)",
    "growth-summary": "a fragment of the person page, checked there",
    "growth-evidence-delete": "a form's action (POST)",
    "promotions-planned": "a fragment of the person page (org-person, which has a planned move), checked there",
    "promotions-comment": "a form's action (POST)",
    "promotions-consent": "a form's action (POST)",
    "promotions-decide": "a form's action (POST)",
    "promotions-submit": "a form's action (POST)",
    "promotions-withdraw": "a form's action (POST)",
}


def _names(patterns: list[URLPattern | URLResolver]) -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin" or str(p.pattern).startswith("api/"):
                continue  # Django's admin and the JSON API are not our pages (OTHER_PAGES opens a few)
            names |= _names(p.url_patterns)
        elif p.name:
            names.add(p.name)
    return names


def unlisted() -> list[str]:
    """URL names of Trellis that are neither opened here nor named as not being pages."""
    listed = {p.name for p in PAGES + PUBLIC} | set(NOT_PAGES)
    return sorted(_names(get_resolver().url_patterns) - listed)


def build_site(alice: Any) -> dict[str, int]:
    """The Payments organisation (tests/web/org/org_factory.py) with Alice as Tess, an admin; an open
    review cycle where Tess was asked for Ben's peer feedback; a cycle in calibration; Ben's evidence
    log; Tess's proposal that Ben become Lead Engineer, approved to take effect next month; and two
    saved what-if scenarios.
    Returns the placeholders of ``Page.path``."""
    ladders.ensure_default_ladder()
    alice.groups.add(Group.objects.get_or_create(name=ADMIN)[0])  # a flushed database has no groups
    alice.is_staff = alice.is_superuser = True  # the admin site's pages too
    alice.save()
    f.payments(tess=alice)
    tess, hr = Viewer.of(alice), Viewer.operator()

    cycle = payments_cycle()
    ask_for_feedback(cycle, "e5", "e4")  # Alice, as Tess, gives Ben feedback
    calibrating = payments_cycle(name="2026 H1, calibrating")
    submit_pair(calibrating, "e5")  # calibration has ratings to compare
    growth.move_to_calibration(hr, calibrating)

    entry = growth.record_evidence(tess, EvidenceItem(
        "e5", "design-document", date(2025, 11, 3), "Payments retry design", "https://wiki.example.org/retries"))
    proposal = promotions.propose("e5", "lead-engineer", viewer=tess, user=alice, rationale="Leads the retry work",
                                  evidence=["Runs the weekly design review"], evidence_ids=[entry.pk])
    promotions.submit(proposal.pk, viewer=tess, user=alice)
    promotions.comment(proposal.pk, viewer=tess, user=alice, text="Ready: the design held up.", vote="approve")
    promotions.decide(proposal.pk, True, viewer=tess, user=alice, reason="Ready",
                      effective=clock.today() + timedelta(days=30))
    scenario, other = (scenarios.save(hr, name=f"Scenario {i}", note="To see the pages", changes=text, by="test")
                       for i, text in enumerate(("promote e5 engineering-manager", "leave e5"), start=1))
    return {"cycle": cycle.pk, "calibrating": calibrating.pk, "proposal": proposal.pk, "scenario": scenario.pk,
            "other_scenario": other.pk}


def address(page: Page, base: str, site: dict[str, int]) -> str:
    return base + page.path.format(**site)
