"""A whole-company HR export with slash ids, imported, then browsed in a real browser: nothing answers 500."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from tests.web.org.test_ids_in_addresses import import_export

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_with_a_slash_id_is_reached_from_the_chart_search_and_team(page, live_server, charlie):
    import_export()
    sign_in(page, live_server, "charlie", PASSWORD, then="/org/chart/list/?focus=HR%2F2019%2F104")
    page.wait_for_url(f"{live_server.url}/org/chart/list/**")
    focused = page.locator(".node.focused")
    assert focused.get_attribute("id") == "node-HR/2019/104"
    assert "reports outside the organisation" in page.content()
    screenshot(page, "chart-slash-id")
    focused.locator(".node-card a.name").click()
    page.wait_for_url(f"{live_server.url}/org/people/HR/2019/104/")
    assert "Fatima Zahra Benali" in page.locator("h1").inner_text()
    screenshot(page, "person-slash-id")
    page.locator("a", has_text="Checkout").first.click()
    page.wait_for_url(f"{live_server.url}/org/teams/Checkout/")
    page.locator("a", has_text="Hanna Virtanen").click()
    page.wait_for_url(f"{live_server.url}/org/people/HR/2022/212/")
    response = page.goto(f"{live_server.url}/org/people/?q=HR/2019/104")
    assert response is not None and response.status == 200
    assert "Fatima Zahra Benali" in page.content()
