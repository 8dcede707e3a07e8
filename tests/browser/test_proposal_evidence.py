"""In a real browser: a manager names the person, opens their evidence log in the form, picks an entry,
and the proposal and its printed packet show it with its kind, date, title and link."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from tests.web.org import org_factory as f
from trellis.growth.evidence import EvidenceItem
from trellis.web.growth import services as growth
from trellis.web.ladders.services import ensure_default_ladder
from trellis.web.org.access import Viewer
from trellis.web.promotions.models import Proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_proposer_picks_evidence_from_the_log_and_the_packet_prints_it(page, live_server):
    ensure_default_ladder()
    users = {name: User.objects.create_user(name, f"{name}@example.org", PASSWORD) for name in ("mia", "tess")}
    f.payments(**users)
    entry = growth.record_evidence(Viewer.of(users["tess"]), EvidenceItem(
        "e4", "design-document", date(2025, 11, 3), "Payments retry design", "https://wiki.example.org/retries"))

    sign_in(page, live_server, "mia", PASSWORD, then="/promotions/new/")
    page.wait_for_url("**/promotions/new/")
    page.fill("#id_person", "e4")
    page.click("text=Show their evidence log")
    page.wait_for_selector("#id_evidence_entries input[type=checkbox]")
    page.check(f"#id_evidence_entries input[value='{entry.pk}']")
    page.select_option("#id_level", "software-architect")
    page.fill("#id_rationale", "Leads the design of the retries")
    screenshot(page, "proposal-evidence-picked")
    page.click("text=Create the draft")
    page.wait_for_url("**/promotions/*/")
    proposal = Proposal.objects.get()
    assert list(proposal.evidence_entries.values_list("pk", flat=True)) == [entry.pk]
    row = page.locator(".evidence-entries tbody tr").inner_text()
    assert "2025-11-03" in row and "Design document or ADR" in row and "Payments retry design" in row
    screenshot(page, "proposal-evidence-shown")

    page.goto(f"{live_server.url}/promotions/{proposal.pk}/packet/")
    page.emulate_media(media="print")
    link = page.locator(".evidence-entries a[href^='https']")
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert after == '" (https://wiki.example.org/retries)"', "on paper the link says where the evidence is"
    screenshot(page, "proposal-evidence-packet-print")
