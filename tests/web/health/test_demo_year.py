"""The demo organisation comes with a year of history in which voids in technical leadership close."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import PASSWORD
from trellis.health.engine import evaluate
from trellis.ladder.load import load_default
from trellis.lib import clock
from trellis.web.demo import prepare_demo
from trellis.web.org.models import ImportBatch
from trellis.web.org.services import load_snapshot

pytestmark = pytest.mark.django_db


def voids_on(day: date | None) -> int:
    return evaluate(load_snapshot(day), load_default().ladder).counts()["no-tech-lead"]


def test_the_demo_imports_three_versions_and_the_voids_close_over_the_year():
    summary = prepare_demo(people=200, seed=3, password=PASSWORD)
    assert "three imports over the last year" in summary
    assert ImportBatch.objects.count() == 3
    today = clock.today()
    year_ago, half_year_ago = voids_on(today - timedelta(days=300)), voids_on(today - timedelta(days=100))
    now = voids_on(None)
    assert year_ago > half_year_ago > now


def test_the_dashboard_year_shows_the_voids_closing(client):
    prepare_demo(people=200, seed=3, password="demo-pass")
    client.login(username="demo", password="demo-pass")
    counts = client.get("/api/health/timeline").json()["counts"]["no-tech-lead"]
    assert counts[-1] < max(counts)
