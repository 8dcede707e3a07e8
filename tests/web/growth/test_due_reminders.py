"""``trellis cycle remind``: e-mail that a form is due within three days, once per person, form and deadline,
to nobody who turned e-mail off, received by a real SMTP server on the loopback."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web.growth.conftest import login
from tests.web.growth.cycle_factory import TODAY, as_user, ask_for_feedback, participant, payments_cycle, submit_pair
from trellis.cli import app
from trellis.lib import clock
from trellis.web.growth import services
from trellis.web.growth.models import Cycle, Reminder
from trellis.web.org.models import Person

pytestmark = pytest.mark.django_db

SELF_DUE, REVIEW_DUE = date(2026, 3, 20), date(2026, 4, 10)  # payments_cycle's deadlines


@pytest.fixture
def cycle(org):  # type: ignore[no-untyped-def]
    with clock.frozen(TODAY):
        return payments_cycle()


def remind(runner, day: date, *args: str):  # type: ignore[no-untyped-def]
    with clock.frozen(day):
        result = runner.invoke(app, ["cycle", "remind", *args])
    assert result.exit_code == 0, result.output
    return result


def to(inbox) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(recipients[0] for recipients, _, _ in inbox.messages)


def test_three_days_before_the_self_evaluation_is_due_each_participant_hears_once(runner, cycle, inbox):
    inbox.messages.clear()  # the cycle's opening
    services.save_self_evaluation(as_user("ben"), participant(cycle, "e5"), ratings={}, evidence_text={},
                                  evidence_ids=[], signals=[], focus={}, success="", preferred_track="", submit=False)
    assert "Reminded 0 people" in remind(runner, date(2026, 3, 16)).output and inbox.messages == []  # 4 days before
    result = remind(runner, date(2026, 3, 17))
    assert "Reminded 4 people of 4 forms due within 3 days." in result.output
    assert to(inbox) == ["e3@example.org", "e4@example.org", "e5@example.org", "e6@example.org"]
    recipients, subject, body = inbox.messages[0]
    assert len(recipients) == 1 and subject == "Due soon: 1 form in Trellis"
    assert "- your self-evaluation in 2026 H1, due 20 March 2026" in body
    assert "Reminded 0 people" in remind(runner, date(2026, 3, 17)).output
    assert "Reminded 0 people" in remind(runner, date(2026, 3, 19)).output
    assert len(inbox.messages) == 4, "run again, that day or the next: nothing more"


def test_a_submitted_form_and_someone_who_turned_e_mail_off_get_nothing(client, runner, cycle, inbox):
    inbox.messages.clear()
    login(client, "cy")
    client.post("/growth/notifications/", {})  # the box unticked
    with clock.frozen(TODAY):
        services.save_self_evaluation(as_user("ben"), participant(cycle, "e5"), ratings=_every(cycle, "e5"),
                                      evidence_text={}, evidence_ids=[], signals=[], focus={}, success="",
                                      preferred_track="", submit=True)
    result = remind(runner, date(2026, 3, 18))
    assert to(inbox) == ["e3@example.org", "e4@example.org"]
    assert "1 turned e-mail off or have no address" in result.output
    assert not Reminder.objects.filter(person__external_id="e6").exists(), "Cy is not counted as reminded"


def test_reviewers_get_one_message_listing_each_review_due_from_them(runner, cycle, inbox):
    with clock.frozen(TODAY):
        submit_pair(cycle, "e6")
    inbox.messages.clear()
    remind(runner, date(2026, 4, 8))
    by = {recipients[0]: body for recipients, _, body in inbox.messages}
    assert sorted(by) == ["e1@example.org", "e2@example.org", "e3@example.org", "e4@example.org"]
    assert "your review of Ben Builder in 2026 H1" in by["e4@example.org"]
    assert "your review of Mia Manager in 2026 H1" in by["e4@example.org"]
    assert "Cy Coder" not in by["e4@example.org"], "Tess has submitted hers"
    assert "your review of Tess Lead" in by["e2@example.org"]


def test_peers_asked_for_feedback_are_reminded_until_they_answer_and_anonymity_holds(runner, cycle, inbox):
    Cycle.objects.filter(pk=cycle.pk).update(peer_due=date(2026, 3, 25))
    with clock.frozen(TODAY):
        ask_for_feedback(cycle, "e5", "e6")
        ask_for_feedback(cycle, "e5", "e3")
        services.give_feedback(as_user("cy"), participant(cycle, "e5"), ratings={"craft": "advanced"}, comments="")
    inbox.messages.clear()
    result = remind(runner, date(2026, 3, 23), "--dry-run")
    assert "e3: your feedback for Ben Builder in 2026 H1, due 2026-03-25" in result.output
    assert "e6: your feedback" not in result.output and inbox.messages == []
    remind(runner, date(2026, 3, 23))
    assert to(inbox) == ["e3@example.org"]
    assert [f for f in Reminder.objects.values_list("form", flat=True)] == [
        f"feedback:{cycle.participants.get(person__external_id='e5').nominations.get(peer__external_id='e3').pk}"]


def test_someone_who_has_left_is_not_reminded(runner, cycle, inbox):
    Person.objects.filter(external_id="e6").update(active=False)
    inbox.messages.clear()
    remind(runner, date(2026, 3, 17))
    assert to(inbox) == ["e3@example.org", "e4@example.org", "e5@example.org"]


def test_a_new_deadline_is_a_new_reminder(runner, cycle, inbox):
    remind(runner, date(2026, 3, 17))
    inbox.messages.clear()
    Cycle.objects.filter(pk=cycle.pk).update(self_due=date(2026, 3, 27))
    assert "Reminded 0 people" in remind(runner, date(2026, 3, 23)).output
    assert "Reminded 4 people" in remind(runner, date(2026, 3, 24)).output and len(inbox.messages) == 4


def test_a_refused_message_is_tried_again_on_the_next_run(runner, cycle, inbox, settings):
    settings.EMAIL_PORT = 1  # nothing listens there
    with clock.frozen(date(2026, 3, 17)):
        result = runner.invoke(app, ["cycle", "remind"])
    assert result.exit_code == 1 and "tried again on the next run" in result.output
    assert not Reminder.objects.exists()


def _every(cycle, person: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    ladder = services.cycle_ladder(cycle)
    return {c: "proficient" for c in ladder.levels_by_id[participant(cycle, person).level].expectations}
