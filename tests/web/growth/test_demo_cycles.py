"""The demo organisation comes with evidence, one closed review cycle and one open one: no growth page is empty."""

from __future__ import annotations

import pytest
from django.core import mail

from trellis.lib import clock
from trellis.org.generate import generate_org_csv
from trellis.web.growth.demo import demo_cycles
from trellis.web.growth.models import (
    Adjustment,
    CalibratorView,
    Cycle,
    Evidence,
    Nomination,
    PeerResponse,
    Review,
    SelfEvaluation,
)
from trellis.web.ladders.services import ensure_default_ladder
from trellis.web.org.models import Person
from trellis.web.org.services import apply_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(alice):  # type: ignore[no-untyped-def]
    ensure_default_ladder()
    apply_import(generate_org_csv(120, 1), "demo.csv", as_of=clock.today())
    me = Person.objects.filter(level="director-of-architecture").order_by("external_id").first()
    assert me is not None
    me.user = alice
    me.save()
    return me, demo_cycles(me)


def test_one_cycle_is_closed_with_results_released_and_one_is_open(demo):
    me, lines = demo
    closed, current = Cycle.objects.get(state="closed"), Cycle.objects.get(state="open")
    assert closed.results_released and closed.period_end < current.period_end
    assert "closed with results released" in lines[0] and current.name in lines[0]
    assert not SelfEvaluation.objects.filter(participant__cycle=closed, submitted_at__isnull=True).exists()
    assert Review.objects.filter(participant__cycle=closed, submitted_at__isnull=False).count() > 100
    assert all(pt.frozen for pt in closed.participants.all())
    assert closed.locked and Adjustment.objects.filter(participant__cycle=closed).count() == 2
    assert CalibratorView.objects.filter(participant__cycle=closed).count() == 3
    written = SelfEvaluation.objects.filter(participant__cycle=current)
    assert written.filter(submitted_at__isnull=False).exists() and written.filter(
        submitted_at__isnull=True).exclude(ratings={}).exists(), "some submitted, some drafts"
    assert PeerResponse.objects.filter(participant__cycle=closed).count() >= 9
    assert Evidence.objects.count() > 50
    assert mail.outbox == [], "the generated people are nobody: no e-mail is sent"


def test_the_demo_user_has_reviews_and_feedback_to_write_in_the_open_cycle(demo):
    me, lines = demo
    due = Review.objects.filter(reviewer=me, participant__cycle__state="open", submitted_at__isnull=True)
    asked = Nomination.objects.filter(peer=me, state="approved", participant__cycle__state="open")
    assert due.exists() and asked.count() == 2
    assert "2 requests for feedback" in lines[1]


def test_pages_show_readiness_and_the_cycles_from_the_demo(client, demo):
    me, _ = demo
    client.force_login(me.user)
    closed = Cycle.objects.get(state="closed")
    someone = closed.participants.filter(reviews__submitted_at__isnull=False).order_by("person__external_id") \
        .values_list("person__external_id", flat=True).first()
    page = client.get(f"/growth/people/{someone}/").content.decode()
    assert f"From {closed.name} (closed)" in page and 'data-kind="current"' in page
    cycles = client.get("/growth/cycles/").content.decode()
    assert closed.name in cycles and Cycle.objects.get(state="open").name in cycles


def test_it_adds_nothing_when_cycles_exist(demo):
    assert demo_cycles(demo[0]) == [] and Cycle.objects.count() == 2
