"""A leader opens the health dashboard and tries a change in the what-if panel, in Chromium."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from tests.web.health import org
from trellis.web.health import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_shows_findings_charts_and_the_year(page, live_server, hannah):
    services.clear_cache()
    org.build()
    sign_in(page, live_server, "hannah", PASSWORD, then="/health/")
    page.wait_for_url(f"{live_server.url}/health/")
    assert page.locator("h1").inner_text() == "Org health"
    assert page.locator("svg.chart").count() >= 4
    page.wait_for_selector("#timeline table")  # loaded after the page by htmx
    assert "no-tech-lead" in page.locator("#timeline").inner_text()
    finding = page.locator('li.finding[data-code="dual-role"]')
    assert "Bob Manager" in finding.inner_text()
    screenshot(page, "health-dashboard")
    finding.locator("a.subject.person", has_text="Bob Manager").click()
    page.wait_for_url(f"{live_server.url}/org/people/bob/")
    page.wait_for_selector('#person-findings li.finding[data-code="dual-role"]')  # loaded by htmx
    screenshot(page, "person-with-findings")


def test_the_what_if_panel_answers_without_changing_anything(page, live_server, hannah):
    services.clear_cache()
    org.build()
    sign_in(page, live_server, "hannah", PASSWORD, then="/health/what-if/")
    page.wait_for_url(f"{live_server.url}/health/what-if/")
    page.fill("#changes", "move alice search")
    page.click("button:has-text('Simulate')")
    page.wait_for_selector(".what-if-result")
    appeared = page.locator(".what-if-result").inner_text()
    assert "no-tech-lead" in appeared and "payments" in appeared
    screenshot(page, "health-what-if")
