"""HR changes a person in a real browser: preview with the health effect, then save; a person states
their own preferred track."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from tests.web.org import org_factory as f
from trellis.web.accounts.roles import HR
from trellis.web.org.models import Person, RoleAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_previews_the_void_a_change_leaves_then_saves_it(page, live_server, hannah):
    # Transactional tests empty every table, the role groups included: make sure Hannah is in HR.
    hannah.groups.add(Group.objects.get_or_create(name=HR)[0])
    f.payments()
    sign_in(page, live_server, "hannah", PASSWORD, then="/org/people/e4/")
    page.wait_for_url(f"{live_server.url}/org/people/e4/")
    page.click("a.button:has-text('Change')")
    page.wait_for_url(f"{live_server.url}/org/people/e4/edit/")
    page.fill("#id_remove_role", "tech_lead@Payments")
    page.fill("#id_reason", "Tess moves to the architecture group")
    page.click("button[name=preview]")
    preview = page.locator(".preview")
    preview.wait_for()
    assert "Role handed over · Tess Lead: tech lead of Payments" in preview.inner_text()
    assert "Team Payments" in preview.inner_text() and "no tech lead" in preview.inner_text()
    assert RoleAssignment.objects.filter(person__external_id="e4", end__isnull=True).count() == 1
    screenshot(page, "org-edit-preview")
    page.click("button[name=confirm]")
    page.wait_for_url(f"{live_server.url}/org/people/e4/?saved=1")
    assert "Saved, and recorded in the history." in page.locator(".saved").inner_text()
    assert "Tess moves to the architecture group" in page.locator(".timeline").inner_text()
    assert "Pending until the HR system" in page.content()
    assert RoleAssignment.objects.filter(person__external_id="e4", end__isnull=True).count() == 0
    screenshot(page, "org-edit-saved")


def test_a_person_states_their_own_preferred_track(page, live_server):
    user = User.objects.create_user("cy", "cy@example.org", PASSWORD)
    f.payments(cy=user)
    sign_in(page, live_server, "cy", PASSWORD, then="/org/people/e6/")
    page.wait_for_url(f"{live_server.url}/org/people/e6/")
    assert page.locator("a.button:has-text('Change')").count() == 0
    page.click("text=State your preferred track")
    page.check("input[name=preferred_track][value=technical]")
    screenshot(page, "org-preferred-track")
    page.click("form.edit-form button:has-text('Save')")
    page.wait_for_url(f"{live_server.url}/org/people/e6/?saved=1")
    assert "Technical" in page.locator(".preferred-track").inner_text()
    assert Person.objects.get(external_id="e6").preferred_track == "technical"
