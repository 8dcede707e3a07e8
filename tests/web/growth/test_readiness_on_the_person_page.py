"""Readiness on a person's growth page: from their latest cycle, in words and as a chart, in fixed queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User

from tests.web.growth.conftest import login
from tests.web.growth.cycle_factory import TODAY, hr, payments_cycle, submit_pair
from trellis.lib import clock
from trellis.web.growth import services
from trellis.web.growth.models import Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.frozen(TODAY):
        yield


def test_the_manager_sees_readiness_for_each_target_with_a_summary(client, org):
    cycle = payments_cycle()
    submit_pair(cycle, step="advanced")
    services.close_cycle(hr(), cycle)
    login(client, "mia")
    html = client.get("/growth/people/e5/").content.decode()
    assert "From 2026 H1 (closed)" in html
    assert '<li data-kind="current"><span class="tier ready-now">ready-now</span> Ready for Senior Software Engineer' \
        in html
    assert 'data-kind="next"' in html and "Lead Engineer" in html
    assert html.count("<tr data-competency=") == 11 and "<svg" in html
    summary = client.get("/growth/people/e5/summary/").content.decode()
    assert "Ready for Senior Software Engineer" in summary and "<svg" not in summary


def test_the_person_sees_readiness_only_from_released_results(client, org):
    cycle = payments_cycle()
    submit_pair(cycle)
    login(client, "ben")
    assert "No review yet to judge readiness from." in client.get("/growth/people/e5/").content.decode()
    services.release_results(hr(), cycle)
    assert "Ready for Senior Software Engineer" in client.get("/growth/people/e5/").content.decode()


@pytest.mark.parametrize("viewer", ["charlie", "cy", "dana"])
def test_nobody_else_sees_it(client, org, charlie, viewer):
    login(client, viewer)
    assert client.get("/growth/people/e5/").status_code == 404
    assert client.get("/growth/people/e5/summary/").content == b""


def test_the_page_costs_the_same_queries_whatever_the_history(client, org, django_assert_num_queries):
    first = payments_cycle(name="2025 H2")
    submit_pair(first)
    services.close_cycle(hr(), first)
    client.force_login(User.objects.get(username="mia"))
    client.get("/growth/people/e5/")  # sessions and the ladder are read once

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get("/growth/people/e5/").status_code == 200
        return len(queries)

    before = count()
    assert before == 16, "the page's queries, exactly: a change to them shows here"
    second = payments_cycle(name="2026 H1")
    submit_pair(second)
    services.close_cycle(hr(), second)
    for i in range(20):
        Evidence.objects.create(person=org["ben"], kind="other", date=date(2026, 1, 1 + i), title=f"e{i}")
    assert count() == before
    with django_assert_num_queries(before):
        client.get("/growth/people/e5/")


def test_a_closed_cycle_shows_the_verdict_frozen_at_closing_on_every_page(client, org):
    """The verdict of record is the one frozen when the cycle closed: if the rules worked out today
    from the same ratings would say otherwise, every page still shows the frozen one, as the command
    line and the calibration summary do."""
    from trellis.web.growth.models import Participant
    from trellis.web.growth.queries import cycle_readiness

    cycle = payments_cycle()
    submit_pair(cycle, step="advanced")
    services.close_cycle(hr(), cycle)
    pt = Participant.objects.get(cycle=cycle, person__external_id="e5")
    assert pt.frozen is not None
    current = next(v for v in pt.frozen["readiness"] if v["kind"] == "current")
    assert current["tier"] == "ready-now"
    current.update(tier="not-yet", score=0.25)  # as if the rules had judged otherwise when it closed
    pt.save(update_fields=["frozen"])
    login(client, "mia")
    person = client.get("/growth/people/e5/").content.decode()
    assert '<li data-kind="current"><span class="tier not-yet">not-yet</span>' in person
    assert "ready-now</span> Ready for Senior Software Engineer" not in person
    participant = client.get(f"/growth/cycles/{cycle.pk}/people/e5/").content.decode()
    assert '<span class="tier not-yet">not-yet</span>' in participant
    assert ("not-yet is the verdict frozen when the cycle closed; the same ratings judged by today&#x27;s rules "
            "would give ready-now") in participant
    readiness = dict(cycle_readiness(cycle))["e5"]
    assert next(v for v in readiness if v["kind"] == "current")["tier"] == "not-yet"
