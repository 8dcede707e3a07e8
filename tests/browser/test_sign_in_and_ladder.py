"""A person signs in in a real browser and reads the ladder."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from trellis.web.ladders import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_signs_in_and_sees_both_tracks_aligned_by_grade(page, live_server, charlie):
    services.ensure_default_ladder()
    page.goto(f"{live_server.url}/ladder/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "charlie")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/ladder/")
    assert page.locator("h1").inner_text() == "Trellis default engineering ladder"
    row = page.locator('tr[data-grade="3"]')
    assert row.locator("#level-lead-engineer h3").inner_text() == "Lead Engineer"
    assert row.locator("#level-engineering-manager h3").inner_text() == "Engineering Manager"
    lead = page.locator("#level-lead-engineer").bounding_box()
    manager = page.locator("#level-engineering-manager").bounding_box()
    assert lead and manager and abs(lead["y"] - manager["y"]) < 2, "peers must sit side by side"
    assert page.locator("table.matrix").count() == 2
    screenshot(page, "ladder")


def test_a_wrong_password_keeps_the_person_out(page, live_server, charlie):
    sign_in(page, live_server, "charlie", "wrong")
    assert page.locator("[role=alert]").inner_text().startswith("Your username and password did not match")
