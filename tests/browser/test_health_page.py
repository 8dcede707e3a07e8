"""A leader reads the health page as a VP of Engineering would, acknowledges a finding and withdraws
it, and opens a team page whose tech lead does two jobs; in Chromium, at desktop and phone widths,
with no serious accessibility violation."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_every_page import DESKTOP, PHONE, _serious_violations, _sideways_and_hidden_links
from tests.conftest import PASSWORD
from tests.web.health import org
from trellis.web.accounts.roles import HR
from trellis.web.health import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _hr(user) -> None:  # type: ignore[no-untyped-def]
    user.groups.add(Group.objects.get_or_create(name=HR)[0])  # a flushed database has no groups


def _look(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """No serious axe violation at either width, nothing sideways on a phone; a screenshot of each."""
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        assert _serious_violations(page) == [], size
        if size == "phone":
            assert _sideways_and_hidden_links(page) == []
        screenshot(page, f"{name}-{size}")
    page.set_viewport_size(DESKTOP)


def test_a_leader_reads_acknowledges_and_withdraws_on_the_health_page(page, live_server, hannah):
    services.clear_cache()
    _hr(hannah)
    org.build()
    sign_in(page, live_server, "hannah", PASSWORD, then="/health/")
    page.wait_for_url(f"{live_server.url}/health/")
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0].startswith("Needs attention (")
    assert headings.index("The organisation in figures") > headings.index(headings[0])
    dual = page.locator('#attention ~ ul li.finding[data-code="dual-role"]')
    assert "Two jobs at once: people manager and tech lead" in dual.locator(".title").inner_text()
    assert dual.locator("a.subject.person").inner_text() == "Bob Manager"
    page.wait_for_selector("#timeline table")  # loaded after the page by htmx
    _look(page, "health-page")

    dual.locator("summary", has_text="Acknowledge as deliberate").click()
    dual.locator("textarea[name=reason]").fill("Bob covers Ledger until its new lead starts.")
    _look(page, "health-page-acknowledging")
    dual.locator("button", has_text="Acknowledge").click()
    page.wait_for_selector("#acknowledged")
    assert page.locator('#attention ~ ul li.finding[data-code="dual-role"]').count() == 0
    acknowledged = page.locator('li.finding.acknowledged[data-code="dual-role"]')
    assert "Bob covers Ledger until its new lead starts." in acknowledged.inner_text()
    assert "by Hannah (hannah)" in acknowledged.inner_text()
    _look(page, "health-page-acknowledged")

    acknowledged.locator("button", has_text="Withdraw the acknowledgement").click()
    page.wait_for_selector('#attention ~ ul li.finding[data-code="dual-role"]')
    assert page.locator("#acknowledged").count() == 0


def test_a_team_page_shows_what_hits_the_team_through_its_tech_lead(page, live_server, hannah):
    services.clear_cache()
    _hr(hannah)
    org.build()
    sign_in(page, live_server, "hannah", PASSWORD, then="/org/teams/ledger/")
    page.wait_for_url(f"{live_server.url}/org/teams/ledger/")
    dual = page.wait_for_selector('#team-findings li.finding[data-code="dual-role"]')  # loaded by htmx
    assert dual is not None and "about its tech lead" in dual.inner_text()
    assert "No findings" not in page.locator("#team-findings").inner_text()
    _look(page, "team-page-findings")
