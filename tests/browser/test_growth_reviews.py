"""A self-evaluation and a review in a real browser: drafts survive a reload, with no script of the page's own."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD
from tests.web.growth.cycle_factory import as_user, ladder_steps, participant, payments_cycle, submit_pair
from tests.web.org import org_factory as f
from trellis.web.growth import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def accounts() -> dict[str, User]:
    return {n: User.objects.create_user(n, f"{n}@example.org", PASSWORD) for n in ("ben", "mia", "tess")}


def test_a_person_saves_a_draft_self_evaluation_reloads_and_finds_it(page, live_server):
    f.payments(**accounts())
    cycle = payments_cycle()
    sign_in(page, live_server, "ben", PASSWORD, then="/growth/cycles/")
    page.wait_for_url(f"{live_server.url}/growth/cycles/")
    page.click("text=Your self-evaluation in 2026 H1")
    page.select_option("#rating-craft", "advanced")
    page.select_option("#rating-empower-others", "developing")
    page.fill("#focus-empower-others", "Pair with Cy every week")
    page.fill("#success", "I own the ledger's design")
    page.click("button[value=save]")
    page.wait_for_selector(".messages li")
    page.reload()
    assert page.input_value("#rating-craft") == "advanced"
    assert page.input_value("#focus-empower-others") == "Pair with Cy every week"
    assert page.input_value("#success") == "I own the ledger's design"
    screenshot(page, "growth-self-evaluation")
    own = participant(cycle, "e5").self_evaluation
    assert own.ratings["craft"] == "advanced" and own.submitted_at is None


def test_the_manager_reads_the_pairs_review_beside_the_self_evaluation(page, live_server):
    f.payments(**accounts())
    cycle = payments_cycle()
    everything = ladder_steps("tech_lead", "advanced") | ladder_steps("people_manager", "proficient")
    services.save_self_evaluation(as_user("ben"), participant(cycle, "e5"), ratings=everything, evidence_text={},
                                  evidence_ids=[], signals=["team-keeps-learning"], focus={},
                                  success="Own the ledger", preferred_track="", submit=True)
    submit_pair(cycle)
    sign_in(page, live_server, "mia", PASSWORD, then=f"/growth/cycles/{cycle.pk}/people/e5/")
    page.wait_for_url(f"{live_server.url}/growth/cycles/{cycle.pk}/people/e5/")
    assert page.locator("svg.chart rect").count() > 10
    row = page.locator("tr[data-competency=craft]")
    assert row.locator("td").nth(1).inner_text() == "advanced"
    assert "ready" in page.locator(".readiness[data-kind=current] .summary").inner_text().lower()
    screenshot(page, "growth-participant")
