"""HR sees the import's guards in a real browser: the mass-leave policy and a date after today."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from tests.web.org.csv_files import ORG
from trellis.lib import clock
from trellis.web.accounts.roles import HR
from trellis.web.ladders import services as ladders
from trellis.web.org import services
from trellis.web.org.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_is_told_the_policy_share_of_a_mass_leave_and_cannot_date_an_import_after_today(
        page, live_server, hannah, tmp_path, settings):
    ladders.ensure_default_ladder()
    hannah.groups.add(Group.objects.get_or_create(name=HR)[0])
    services.apply_import(ORG, "org.csv", as_of=date(2025, 3, 1))
    settings.TRELLIS_MASS_LEAVE_SHARE = 0.25
    truncated = tmp_path / "truncated.csv"
    truncated.write_text("\n".join(ORG.splitlines()[:3]) + "\n", encoding="utf-8")
    sign_in(page, live_server, "hannah", PASSWORD, then="/org/import/")
    page.wait_for_url(f"{live_server.url}/org/import/")
    assert page.locator("#id_as_of").get_attribute("max") == clock.today().isoformat()

    page.set_input_files("#id_file", str(truncated))
    page.locator("#id_as_of").evaluate(
        "(input, day) => { input.removeAttribute('max'); input.value = day; }",
        (clock.today() + timedelta(days=1)).isoformat())
    page.click("text=Check and preview")
    problems = page.locator('[aria-label="Problem list"] tr.problem')
    problems.first.wait_for()
    assert "is after today" in problems.first.inner_text()
    screenshot(page, "org-import-future-date")

    page.set_input_files("#id_file", str(truncated))
    page.locator("#id_as_of").fill(clock.today().isoformat())
    page.click("text=Check and preview")
    warning = page.locator("section.preview p.missing")
    warning.wait_for()
    assert "more than the policy's 25%" in warning.inner_text()
    screenshot(page, "org-import-mass-leave")
    page.click("text=Import these changes")
    page.locator("text=Not imported").first.wait_for()
    assert Person.objects.filter(active=True).count() == 6
