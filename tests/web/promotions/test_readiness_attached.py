"""Submitting a proposal freezes the person's latest readiness for the target level into it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.web.growth import cycle_factory as cf
from trellis.web.growth import services as growth
from trellis.web.org.access import Viewer
from trellis.web.promotions import services

pytestmark = pytest.mark.django_db


def test_the_latest_closed_cycles_readiness_for_the_target_is_frozen_on_submission(org, client):
    cycle = cf.payments_cycle()
    cf.submit_pair(cycle, "e5", "advanced")
    growth.close_cycle(cf.hr(), cycle)
    mia = Viewer.of(User.objects.get(username="mia"))
    proposal = services.propose("e5", "lead-engineer", viewer=mia, rationale="Ready")
    assert proposal.readiness is None
    proposal = services.submit(proposal.pk, viewer=mia)
    assert proposal.readiness is not None
    assert proposal.readiness["level"] == "lead-engineer" and proposal.readiness["cycle"] == "2026 H1"
    assert proposal.readiness["tier"] in ("ready-now", "close", "stretch", "not-yet", "insufficient-evidence")
    client.force_login(User.objects.get(username="mia"))
    assert proposal.readiness["summary"] in client.get(f"/promotions/{proposal.pk}/").content.decode()


def test_without_a_closed_cycle_no_readiness_is_attached(org):
    mia = Viewer.of(User.objects.get(username="mia"))
    proposal = services.propose("e5", "lead-engineer", viewer=mia, rationale="Ready")
    assert services.submit(proposal.pk, viewer=mia).readiness is None
