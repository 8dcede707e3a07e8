"""A person records evidence in a real browser, with no script of the page's own, and finds it on their growth page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from tests.web.org import org_factory as f
from trellis.web.growth.models import Evidence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_records_evidence_through_the_form(page, live_server):
    ben = User.objects.create_user("ben", "ben@example.org", PASSWORD)
    f.payments(ben=ben)
    sign_in(page, live_server, "ben", PASSWORD, then="/org/people/e5/")
    page.wait_for_url(f"{live_server.url}/org/people/e5/")
    page.locator("#person-growth a", has_text="piece").wait_for()  # loaded into the person page
    page.click("#person-growth a:has-text('0 pieces of evidence')")
    page.wait_for_url(f"{live_server.url}/growth/people/e5/evidence/")
    page.select_option("#id_kind", "pairing")
    page.fill("#id_date", "2026-01-15")
    page.fill("#id_title", "Paired with Cy on the refund flow")
    page.fill("#id_link", "https://code.example.org/refunds/42")
    page.check("input[name=competencies][value=collaboration]")
    page.check("input[name=signals][value=team-keeps-learning]")
    page.click("form[aria-label='Record evidence'] button[type=submit]")
    page.wait_for_selector(".messages li")
    assert "Evidence recorded." in page.inner_text(".messages")
    row = page.locator("tr.evidence").first
    text = row.inner_text()
    assert "Paired with Cy on the refund flow" in text and "Communication and collaboration" in text
    screenshot(page, "growth-evidence")
    assert Evidence.objects.get().kind == "pairing"
