"""A person browses the organisation in a real browser: chart, subtrees on demand, search, team and person."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from tests.web.org import org_factory as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_opens_a_subtree_searches_and_follows_a_team_and_a_person(page, live_server, charlie):
    org = f.payments()
    for i in range(3):
        f.person(f"s{i}", f"Sam Search {i}", team=org["search"], manager=org["mia"])
    sign_in(page, live_server, "charlie", PASSWORD, then="/org/chart/list/")
    page.wait_for_url(f"{live_server.url}/org/chart/list/")
    assert page.locator("#node-e3 .name").inner_text() == "Mia Manager"
    assert page.locator("#node-e5").count() == 0, "Mia's reports are not loaded before her subtree is opened"

    with page.expect_response(lambda r: "/org/chart/e3/children/" in r.url):
        page.click("#node-e3 > details > summary")
    page.locator("#node-e5").wait_for()
    assert page.locator("#node-e3 .children .node").count() == 5
    screenshot(page, "org-chart-expanded")

    page.fill("#chart-q", "tess")
    suggestion = page.locator("#suggestions a", has_text="Tess Lead")
    suggestion.wait_for()
    suggestion.click()
    page.wait_for_url("**/org/chart/list/?focus=e4*")
    focused = page.locator(".node.focused")
    assert focused.get_attribute("id") == "node-e4"
    assert "paired with Mia Manager" in focused.locator(".node-card").inner_text()
    screenshot(page, "org-chart-search")

    focused.locator(".node-card a", has_text="Payments").first.click()
    page.wait_for_url(f"{live_server.url}/org/teams/Payments/")
    assert page.locator(".pair-half.tech .holders").inner_text().startswith("Tess Lead")
    screenshot(page, "org-team")

    page.click("text=Tess Lead")
    page.wait_for_url(f"{live_server.url}/org/people/e4/")
    assert page.locator("h1").inner_text() == "Tess Lead"
    assert page.locator(".preferred-track").count() == 0, "Charlie may not see Tess's preferred track"
    screenshot(page, "org-person")
