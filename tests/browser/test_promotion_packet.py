"""In a real browser: a manager proposes her tech lead as manager, the guard stops it until the tech lead
confirms, it is submitted, and Helen from HR prints the promotion packet."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from tests.web.org import org_factory as f
from trellis.web.accounts.roles import HR
from trellis.web.ladders.services import ensure_default_ladder
from trellis.web.promotions.models import Proposal

pytestmark = pytest.mark.django_db(transaction=True)


def as_user(browser, live_server, username: str, then: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, username, PASSWORD, then=then)
    page.wait_for_url(f"**{then}")
    return page


def test_the_guard_waits_for_the_tech_leads_consent_and_the_packet_prints(browser, live_server, tmp_path):
    ensure_default_ladder()
    users = {name: User.objects.create_user(name, f"{name}@example.org", PASSWORD) for name in ("mia", "tess")}
    # A transactional test empties the tables after it, the role groups with them: make HR's here.
    helen = User.objects.create_user("helen", "helen@example.org", PASSWORD)
    helen.groups.add(Group.objects.get_or_create(name=HR)[0])
    f.payments(**users)

    mia = as_user(browser, live_server, "mia", "/promotions/new/")
    mia.fill("#id_person", "e4")
    mia.select_option("#id_level", "engineering-manager")
    mia.fill("#id_rationale", "Runs the team's planning already")
    mia.fill("#id_handovers", "people_manager@Payments=e4\ntech_lead@Payments=e5")
    mia.click("text=Create the draft")
    mia.wait_for_url("**/promotions/*/")
    assert "Held:" in mia.locator("#guard").inner_text()
    assert "Lead Engineer is the peer of this level" in mia.locator("#guard").inner_text()
    assert mia.locator(".consent-form").count() == 0  # only Tess may confirm
    mia.click("text=Submit to the committee")
    assert "has not confirmed wanting to move into people management" in mia.locator(".problems").inner_text()
    proposal = Proposal.objects.get()
    assert proposal.state == "draft"
    screenshot(mia, "promotion-guard-holds")

    tess = as_user(browser, live_server, "tess", f"/promotions/{proposal.pk}/")
    tess.click("text=Yes, I want this move")
    tess.wait_for_url(f"**/promotions/{proposal.pk}/")
    assert "confirmed wanting this move" in tess.locator("#guard").inner_text()

    mia.goto(f"{live_server.url}/promotions/{proposal.pk}/")
    mia.click("text=Submit to the committee")
    mia.wait_for_url(f"**/promotions/{proposal.pk}/")
    assert Proposal.objects.get().state == "submitted"

    hr = as_user(browser, live_server, "helen", f"/promotions/{proposal.pk}/packet/")
    impact = hr.locator(".impact").inner_text()
    assert "Findings that would appear" in impact and "Metrics before and after" in impact
    hr.emulate_media(media="print")
    assert hr.locator(".topbar").is_hidden() and hr.locator(".no-print").is_hidden()
    assert hr.locator("h1").inner_text() == "Promotion packet: Tess Lead"
    screenshot(hr, "promotion-packet-print")
    pdf = tmp_path / "packet.pdf"
    hr.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
