"""E-mail notifications over SMTP, received by a real SMTP server the test starts on the loopback."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.web.growth.conftest import login
from tests.web.growth.cycle_factory import TODAY, as_user, hr, ladder_steps, participant, payments_cycle
from trellis.lib import clock
from trellis.web.growth import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.frozen(TODAY):
        yield


def test_participants_hear_that_a_cycle_opens_and_that_results_are_out(org, inbox):
    cycle = payments_cycle()
    opened = sorted(to[0] for to, subject, _ in inbox.messages if subject == "Review cycle 2026 H1 is open")
    assert opened == ["e3@example.org", "e4@example.org", "e5@example.org", "e6@example.org"]
    assert all(len(to) == 1 for to, _, _ in inbox.messages), "one recipient a message: nobody sees who else"
    assert "by 20 March 2026" in inbox.messages[0][2]
    services.release_results(hr(), cycle)
    assert len([m for m in inbox.messages if m[1] == "Results of 2026 H1 are released"]) == 4


def test_the_other_half_of_the_pair_hears_when_one_half_submits(org, inbox):
    cycle = payments_cycle()
    inbox.messages.clear()
    services.save_review(as_user("tess"), participant(cycle, "e5"), "tech_lead", ratings=ladder_steps("tech_lead"),
                         summary="", submit=True)
    assert [(to, subject) for to, subject, _ in inbox.messages] == [
        (["e3@example.org"], "The other half of Ben Builder's review is in")]


def test_someone_who_turns_them_off_gets_none(client, org, inbox):
    login(client, "ben")
    assert client.post("/growth/notifications/", {}).status_code == 302  # the box unticked
    payments_cycle()
    assert "e5@example.org" not in [to[0] for to, _, _ in inbox.messages]
    assert 'name="email"' in client.get("/growth/notifications/").content.decode()
    assert not User.objects.get(username="ben").growth_notifications.email
