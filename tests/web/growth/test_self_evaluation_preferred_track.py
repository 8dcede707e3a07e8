"""The preferred track stated in a submitted self-evaluation reaches the organisation through its one writer,
and its history says it came from the self-evaluation."""

from __future__ import annotations

import pytest

from tests.web.growth.conftest import login
from tests.web.growth.cycle_factory import TODAY, participant, payments_cycle
from trellis.lib import clock
from trellis.web.org.models import OrgEdit, Person
from trellis.web.org.services import history_for_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.frozen(TODAY):
        yield


def _every_rating(cycle) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from trellis.web.growth.services import cycle_ladder

    level = cycle_ladder(cycle).levels_by_id[participant(cycle, "e5").level]
    return {f"rating-{c}": "proficient" for c in level.expectations}


def test_a_submitted_self_evaluation_records_the_track_in_the_organisations_history(client, org):
    cycle = payments_cycle()
    login(client, "ben")
    answer = client.post(f"/growth/cycles/{cycle.pk}/self/e5/", {
        **_every_rating(cycle), "preferred_track": "technical", "success": "Lead the ledger design",
        "action": "submit"})
    assert answer.status_code == 302
    assert Person.objects.get(external_id="e5").preferred_track == "technical"
    edit = OrgEdit.objects.get(subject="e5")
    assert edit.origin == "self-evaluation" and edit.reason == "stated in the self-evaluation of 2026 H1"
    last = history_for_person("e5")[-1]
    assert (last.kind, last.old, last.new) == ("preferred-track-changed", "management", "technical")
    assert last.source is not None and "(self-evaluation): stated in the self-evaluation of 2026 H1" in last.source
    html = client.get("/org/people/e5/").content.decode()
    assert 'data-kind="preferred-track-changed"' in html and "self-evaluation" in html


def test_a_draft_changes_nothing_in_the_organisation(client, org):
    cycle = payments_cycle()
    login(client, "ben")
    answer = client.post(f"/growth/cycles/{cycle.pk}/self/e5/", {"preferred_track": "technical", "action": "save"})
    assert answer.status_code == 302
    assert participant(cycle, "e5").self_evaluation.preferred_track == "technical"  # kept in the draft
    assert Person.objects.get(external_id="e5").preferred_track == "management"
    assert not OrgEdit.objects.exists()


def test_through_the_api_too_and_a_refused_submission_writes_nothing(client, org):
    cycle = payments_cycle()
    login(client, "ben")
    url = f"/api/growth/cycles/{cycle.pk}/self/e5"
    refused = client.put(url, {"preferred_track": "technical", "submit": True}, content_type="application/json")
    assert refused.status_code == 400  # not every competency rated
    assert Person.objects.get(external_id="e5").preferred_track == "management" and not OrgEdit.objects.exists()
    ratings = {k.removeprefix("rating-"): v for k, v in _every_rating(cycle).items()}
    done = client.put(url, {"ratings": ratings, "preferred_track": "technical", "submit": True},
                      content_type="application/json")
    assert done.status_code == 200 and done.json()["self_evaluation"]["preferred_track"] == "technical"
    assert OrgEdit.objects.get(subject="e5").origin == "self-evaluation"
