"""A review cycle from draft to closed: participants, the pair named as reviewers, a void filled, a frozen close."""

from __future__ import annotations

import pytest

from tests.web.growth.conftest import login
from tests.web.growth.cycle_factory import TODAY, as_user, hr, participant, payments_cycle, submit_pair
from trellis.access import Right
from trellis.lib import clock
from trellis.lib.problems import InputError
from trellis.web.growth import services
from trellis.web.growth.models import Cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.frozen(TODAY):
        yield


def test_opening_enrols_the_team_and_names_each_persons_pair(org):
    cycle = payments_cycle()
    assert cycle.state == "open" and cycle.ladder_version is not None
    reviewers = {(r.participant.person.external_id, r.role): r.reviewer.external_id if r.reviewer else None
                 for pt in cycle.participants.all() for r in pt.reviews.select_related("participant__person",
                                                                                         "reviewer")}
    assert reviewers[("e5", "people_manager")] == "e3" and reviewers[("e5", "tech_lead")] == "e4"
    assert reviewers[("e4", "tech_lead")] is None, "Tess leads Payments herself: nobody leads her"
    assert {pt.person.external_id for pt in cycle.participants.select_related("person")} == {"e3", "e4", "e5", "e6"}


def test_hr_fills_a_void_with_a_technical_leader_above_the_person(client, org, hannah):
    cycle = payments_cycle()
    client.force_login(hannah)
    page = client.get(f"/growth/cycles/{cycle.pk}/").content.decode()
    assert "with no tech lead to review them" in page and "Tess Lead" in page
    with pytest.raises(InputError, match="must be above the person"):
        services.assign_reviewer(hr(), participant(cycle, "e4"), "e5")
    client.post(f"/growth/cycles/{cycle.pk}/", {"action": "assign", "person": "e4", "reviewer": "e2"})
    review = participant(cycle, "e4").reviews.get(role="tech_lead")
    assert (review.reviewer.external_id, review.substitute) == ("e2", True)
    assert as_user("ada").may(Right.SEE_SELF_EVALUATION, "e4"), "the stand-in is a reviewer of the one access home"


def test_only_hr_and_admin_run_cycles(client, org, charlie):
    login(client, "mia")
    response = client.post("/growth/cycles/", {"name": "Mine", "period_start": "2026-01-01",
                                               "period_end": "2026-06-30"})
    assert response.status_code == 403
    assert Cycle.objects.count() == 0


def test_hr_creates_and_opens_a_cycle_on_the_page(client, org, hannah):
    client.force_login(hannah)
    response = client.post("/growth/cycles/", {"name": "2026 H1", "period_start": "2026-01-01",
                                               "period_end": "2026-06-30", "teams": "Payments",
                                               "anonymous_peers": "on"})
    cycle = Cycle.objects.get()
    assert response.url == f"/growth/cycles/{cycle.pk}/"
    client.post(f"/growth/cycles/{cycle.pk}/", {"action": "open"})
    cycle.refresh_from_db()
    assert cycle.state == "open" and cycle.participants.count() == 4


def test_closing_freezes_reviews_with_the_ladder_they_were_made_against(org):
    from trellis.ladder.load import load_default, parse_ladder
    from trellis.web.ladders.services import store_version

    cycle = payments_cycle()
    submit_pair(cycle)
    services.close_cycle(hr(), cycle)
    frozen = participant(cycle, "e5").frozen
    assert frozen["ladder_version"] == cycle.ladder_version.number
    assert frozen["readiness"][0]["level"] == "senior-software-engineer"
    text = load_default().text.replace("craft: proficient, delivery: proficient, systems-design: developing",
                                       "craft: expert, delivery: proficient, systems-design: developing")
    store_version(parse_ladder(text, "harder.yaml"))
    with pytest.raises(InputError, match="forms can be changed only while it is open"):
        services.save_review(as_user("mia"), participant(cycle, "e5"), "people_manager", ratings={},
                             summary="", submit=False)
    from trellis.web.growth.queries import participant_view

    view = participant_view(as_user("mia"), cycle.pk, "e5")
    assert view.readiness[0].tier == frozen["readiness"][0]["tier"]
