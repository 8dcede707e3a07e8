"""Calibration in a real browser, as HR runs it: a view recorded before the pair's ratings show, an adjustment
with its reason, the lock; and the home page listing what is due from a reviewer. Desktop and phone."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from tests.web.growth.cycle_factory import hr, payments_cycle, submit_pair
from tests.web.org import org_factory as f
from trellis.web.accounts.roles import HR
from trellis.web.growth import services
from trellis.web.growth.models import Adjustment, Cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_hr_records_a_view_then_adjusts_with_a_reason_and_locks(page, live_server):
    hannah = User.objects.create_user("hannah", "hannah@example.org", PASSWORD)
    hannah.groups.add(Group.objects.get_or_create(name=HR)[0])  # a flushed database has no groups
    f.payments()
    cycle = payments_cycle()
    submit_pair(cycle, "e5", step="advanced")
    submit_pair(cycle, "e6")
    services.move_to_calibration(hr(), cycle)
    sign_in(page, live_server, "hannah", PASSWORD, then=f"/growth/cycles/{cycle.pk}/")
    page.wait_for_url(f"{live_server.url}/growth/cycles/{cycle.pk}/")
    page.click(f"a[href='/growth/cycles/{cycle.pk}/calibration/']")
    page.wait_for_url(f"{live_server.url}/growth/cycles/{cycle.pk}/calibration/")
    assert page.locator("svg.chart rect").count() > 2 and page.locator("tr[data-rater=e4]").count() == 1
    screenshot(page, "growth-calibration")
    page.click("a:text('Ben Builder')")
    assert "Record where you think Ben Builder stands first" in page.inner_text("main")
    assert page.locator("th", has_text="Tech lead").count() == 0, "the pair's ratings wait for the view"
    page.select_option("#view-craft", "proficient")
    page.click("text=Record my view")
    page.wait_for_selector(".messages li")
    assert page.locator("tr[data-competency=craft] td").nth(5).inner_text() == "advanced"
    page.select_option("#adjust-competency", "craft")
    page.select_option("#adjust-step", "proficient")
    page.fill("#adjust-why", "Agreed in the meeting: the evidence is one project.")
    page.click("button:text('Adjust')")
    page.wait_for_selector(".messages li")
    assert "(calibrated)" in page.locator("tr[data-competency=craft]").inner_text()
    screenshot(page, "growth-calibration-person")
    page.set_viewport_size(PHONE)
    screenshot(page, "growth-calibration-person-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/growth/cycles/{cycle.pk}/calibration/")
    assert "Agreed in the meeting" in page.inner_text("main")
    page.click("text=Lock calibration")
    page.wait_for_selector(".messages li")
    assert Cycle.objects.get(pk=cycle.pk).locked
    adjusted = Adjustment.objects.get()
    assert (adjusted.by.username, adjusted.new_step) == ("hannah", "proficient")
    page.set_viewport_size(PHONE)
    page.reload()
    screenshot(page, "growth-calibration-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_home_page_lists_the_reviews_due_from_a_tech_lead(page, live_server):
    tess = User.objects.create_user("tess", "tess@example.org", PASSWORD)
    f.payments(tess=tess)
    cycle = payments_cycle()
    sign_in(page, live_server, "tess", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    items = page.locator("ul.due li")
    assert items.count() == 4  # her self-evaluation and three reviews
    screenshot(page, "home-due")
    page.set_viewport_size(PHONE)
    screenshot(page, "home-due-phone")
    page.click("text=Review Ben Builder as tech lead")
    page.wait_for_url(f"{live_server.url}/growth/cycles/{cycle.pk}/review/tech_lead/e5/")
