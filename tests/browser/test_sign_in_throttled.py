"""Someone who keeps typing a wrong password is told, in the browser, that sign-in is paused and why."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_after_five_wrong_passwords_the_page_says_sign_in_is_paused_even_for_the_right_one(page, live_server,
                                                                                          charlie):
    for n in range(4):
        sign_in(page, live_server, "charlie", f"wrong {n}")
        assert page.locator("[role=alert]").inner_text().startswith("Your username and password did not match")
    sign_in(page, live_server, "charlie", "wrong again")
    assert page.locator("h1").inner_text() == "Sign-in paused"
    sign_in(page, live_server, "charlie", PASSWORD)
    assert page.locator("h1").inner_text() == "Sign-in paused"
    alert = page.locator("[role=alert]").inner_text()
    assert "Too many failed sign-ins for this account (5 in a row)" in alert
    assert "0:15:00" in alert
    screenshot(page, "sign-in-paused")


def test_failures_for_many_accounts_from_one_address_pause_that_address_and_say_how_to_lift_it(
        page, live_server, charlie, settings):
    settings.TRELLIS_SIGN_IN_ADDRESS_FAILURES = 3  # the documented default is 50: fewer keeps the test short
    for n in range(3):
        sign_in(page, live_server, f"colleague{n}", "a typo")
    assert page.locator("h1").inner_text() == "Sign-in paused"
    alert = page.locator("[role=alert]").inner_text()
    assert "Too many failed sign-ins from this address (3 in a row, whatever the accounts)" in alert
    assert "trellis manage axes_reset_ip 127.0.0.1" in page.locator("main").inner_text()
    sign_in(page, live_server, "charlie", PASSWORD)
    assert page.locator("h1").inner_text() == "Sign-in paused", "the right password from here waits too"
    screenshot(page, "sign-in-paused-address")
