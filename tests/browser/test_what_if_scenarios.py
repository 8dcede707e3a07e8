"""A leader builds a change with the pickers by keyboard, simulates, saves two scenarios and compares them,
in Chromium, with the content security policy watching; at desktop and phone widths."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_content_security_policy import LISTEN
from tests.conftest import PASSWORD
from tests.web.health import org
from trellis.web.health import services
from trellis.web.health.models import Scenario
from trellis.web.org.models import HistoryEvent, Person, RoleAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def pick(page, field: str, typed: str, option: str, shot: str = "") -> None:  # type: ignore[no-untyped-def]
    """Type into a picker, then choose ``option`` with the arrow keys and Enter."""
    box = page.locator(f"#pick-{field}")
    box.click()
    box.press_sequentially(typed, delay=30)
    # The options that answer the whole text typed (an earlier answer, to part of it, may show first).
    page.wait_for_selector(f"#pick-{field}-list[data-for='{typed}'] [role=option]")
    assert box.get_attribute("aria-expanded") == "true"
    labels = page.locator(f"#pick-{field}-list [role=option] .option-label").all_inner_texts()
    for _ in range(labels.index(option) + 1):
        box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and option in page.locator(f"#{active}").inner_text()
    if shot:
        screenshot(page, shot)
    box.press("Enter")
    assert box.input_value() == option and box.get_attribute("aria-expanded") == "false"


def test_a_change_built_with_the_pickers_is_simulated_saved_and_compared(page, live_server, hannah):
    services.clear_cache()
    org.build()
    before = (list(Person.objects.values_list("external_id", "level", "team_id", "manager_id", "active")),
              RoleAssignment.objects.count(), HistoryEvent.objects.count())
    page.add_init_script(LISTEN)
    sign_in(page, live_server, "hannah", PASSWORD, then="/health/what-if/")
    page.wait_for_url(f"{live_server.url}/health/what-if/")
    page.wait_for_selector("[data-change-builder]:not([hidden])")

    page.select_option("#pick-kind", "move")
    assert page.locator("#pick-level").is_hidden() and page.locator("#pick-team").is_visible()
    pick(page, "person", "ali", "Alice Lead", shot="what-if-picker-open")
    assert "chosen" in page.locator("[data-picker-status]").inner_text()
    pick(page, "team", "sea", "search")
    page.click("button[data-add-change]")
    assert page.input_value("#changes") == 'move "Alice Lead" search'
    assert "Added: move" in page.locator("[data-picker-status]").inner_text()

    page.select_option("#pick-kind", "give")
    page.click("button[data-add-change]")  # nothing chosen yet: said, and nothing added
    assert "Choose the role and the team and the person first." in page.locator("[data-builder-error]").inner_text()
    pick(page, "role", "tech", "Tech lead")
    pick(page, "team", "pay", "payments")
    pick(page, "person", "sam", "Sam Lead")
    page.click("button[data-add-change]")
    assert page.input_value("#changes") == 'move "Alice Lead" search\ngive tech_lead@payments "Sam Lead"'
    screenshot(page, "what-if-pickers")

    page.click("button:has-text('Simulate')")
    page.wait_for_selector(".what-if-result")
    assert "changes=move" in page.url, "the address shares the simulation"
    page.fill("#save-name", "Alice to Search, Sam leads Payments")
    page.fill("#save-note", "If Search needs Alice more than Payments does")
    page.click("button:has-text('Save the scenario')")
    page.wait_for_selector(".run-note")
    assert "Run again against today's organisation" in page.locator(".run-note").inner_text()
    first = Scenario.objects.get()

    page.goto(f"{live_server.url}/health/what-if/?changes=take+tech_lead@ledger+bob")
    page.fill("#save-name", "Split Bob's jobs")
    page.click("button:has-text('Save the scenario')")
    page.wait_for_selector(".run-note")
    page.select_option("#compare-b", str(first.pk))
    page.click(".compare-form button:has-text('Compare')")
    page.wait_for_selector(".side-by-side")
    sides = page.locator(".compare-side").all_inner_texts()
    assert "Split Bob's jobs" in sides[0] and "dual-role" in sides[0]
    assert "Alice to Search, Sam leads Payments" in sides[1]
    screenshot(page, "scenarios-compared")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "scenarios-compared-phone")
    assert page.evaluate("window.__violations") == []
    after = (list(Person.objects.values_list("external_id", "level", "team_id", "manager_id", "active")),
             RoleAssignment.objects.count(), HistoryEvent.objects.count())
    assert after == before, "no scenario changes the organisation"
