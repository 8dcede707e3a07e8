"""The home page says what open review cycles wait for from the signed-in person, with deadlines and links."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web.growth.conftest import login
from tests.web.growth.cycle_factory import (
    TODAY,
    as_user,
    ask_for_feedback,
    hr,
    ladder_steps,
    participant,
    payments_cycle,
)
from trellis.lib import clock
from trellis.web.growth import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.frozen(TODAY):
        yield


def due(client) -> str:  # type: ignore[no-untyped-def]
    html = client.get("/").content.decode()
    return html[html.index("What needs your attention"):html.index("Where to go")]


def test_a_tech_lead_sees_the_reviews_and_the_self_evaluation_due_from_them_soonest_first(client, org):
    cycle = payments_cycle()
    login(client, "tess")
    section = due(client)
    assert "Due from you in review cycles" in section
    assert section.index("Your self-evaluation") < section.index("Review Ben Builder as tech lead")
    assert f'href="/growth/cycles/{cycle.pk}/review/tech_lead/e5/"' in section
    assert f'href="/growth/cycles/{cycle.pk}/self/e4/"' in section
    assert "due 20 Mar 2026" in section and "due 10 Apr 2026" in section
    assert "Review Cy Coder as tech lead" in section and "Review Mia Manager as tech lead" in section
    services.save_review(as_user("tess"), participant(cycle, "e5"), "tech_lead", ratings=ladder_steps("tech_lead"),
                         summary="", submit=True)
    assert "Review Ben Builder" not in due(client), "a submitted review is no longer due"


def test_feedback_asked_of_someone_is_due_until_they_give_it_and_late_forms_say_so(client, org):
    cycle = payments_cycle()
    ask_for_feedback(cycle, "e5", "e1")
    login(client, "dana")
    section = due(client)
    assert "Give Ben Builder feedback" in section and "no deadline" in section
    assert "Review Mia Manager as people manager" in section
    services.give_feedback(as_user("dana"), participant(cycle, "e5"), ratings={}, comments="Steady and kind.")
    assert "Give Ben Builder feedback" not in due(client)
    with clock.frozen(date(2026, 4, 20)):
        assert "overdue since 10 Apr 2026" in due(client)


def test_nothing_is_due_from_someone_outside_the_cycle_or_once_it_closes(client, org, charlie):
    cycle = payments_cycle()
    login(client, "ben")
    assert "Your self-evaluation" in due(client)
    services.close_cycle(hr(), cycle)
    assert "Due from you" not in due(client)
    client.force_login(charlie)
    assert "Due from you" not in client.get("/").content.decode()

