"""In a real browser, HR uploads a file from before a promotion was applied: the preview names the
proposal it would revert, and keeping Trellis's values imports everything else."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from tests.web.org import org_factory as f
from tests.web.promotions.test_apply_due import approved_tess_as_manager
from trellis.lib import clock
from trellis.web.accounts.roles import HR
from trellis.web.ladders.services import ensure_default_ladder
from trellis.web.org import services as org
from trellis.web.org.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_preview_names_the_promotion_the_file_would_revert_and_trellis_can_keep_it(page, live_server, hannah,
                                                                                        tmp_path):
    ensure_default_ladder()
    hannah.groups.add(Group.objects.get_or_create(name=HR)[0])
    f.payments(**{name: User.objects.create_user(name, f"{name}@example.org", PASSWORD) for name in ("mia", "tess")})
    before = tmp_path / "hr-export.csv"
    before.write_text(org.export_csv(), encoding="utf-8")
    proposal = approved_tess_as_manager(0, hannah)

    sign_in(page, live_server, "hannah", PASSWORD, then="/org/import/")
    page.wait_for_url(f"{live_server.url}/org/import/")
    page.set_input_files("#id_file", str(before))
    page.click("text=Check and preview")
    section = page.locator(".reverts-proposal")
    section.wait_for()
    words = f"proposal {proposal.pk}, approved by hannah, applied on {clock.today().isoformat()}"
    assert "This file would revert 1 applied promotion or track change:" in section.inner_text()
    assert section.locator("a").first.inner_text() == words
    screenshot(page, "org-import-reverts-a-promotion")
    page.check("input[name=prefer][value=trellis]")
    page.click("text=Import these changes")
    page.wait_for_url(f"{live_server.url}/org/import/")
    assert Person.objects.get(external_id="e4").level == "engineering-manager"
