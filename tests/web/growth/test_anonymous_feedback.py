"""Anonymous peer feedback: aggregated, only from the threshold up, and no trace of who wrote what anywhere."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import connection
from django.test import override_settings

from tests.web.growth.conftest import login
from tests.web.growth.cycle_factory import TODAY, as_user, hr, participant, payments_cycle, peers_answer
from trellis.lib import clock
from trellis.lib.problems import InputError
from trellis.web.growth import services
from trellis.web.growth.models import PeerResponse

pytestmark = pytest.mark.django_db
PEERS = ["cy", "tess", "ada"]
NAMES = ["Cy Coder", "Tess Lead", "Ada Architect"]
VIEWERS = ["ben", "mia", "tess", "hannah", "alice"]


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.frozen(TODAY):
        yield


def seen(client, cycle, viewer: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    login(client, viewer)
    html = client.get(f"/growth/cycles/{cycle.pk}/people/e5/").content.decode()
    data = client.get(f"/api/growth/cycles/{cycle.pk}/people/e5").content.decode()
    return html, data


def feedback_section(html: str) -> str:
    start = html.index('id="peer-feedback"')
    return html[start:html.index("</section>", start)]


def test_below_the_threshold_the_person_sees_that_feedback_exists_but_not_its_content(client, org, hannah):
    cycle = payments_cycle()
    services.release_results(hr(), cycle)
    peers_answer(cycle, PEERS[:2], craft="expert")
    for viewer in ["ben", "mia", "hannah"]:
        html, data = seen(client, cycle, viewer)
        assert "Anonymous feedback exists" in html
        feedback = json.loads(data)["peer_feedback"]
        assert feedback == {"shown": False, "exists": True, "responses": None, "ratings": {}, "comments": []}
        assert "expert" not in feedback_section(html) and "Comment by someone" not in html + data


def test_from_the_threshold_up_feedback_is_shown_aggregated_and_never_with_a_name(client, org, alice, hannah):
    cycle = payments_cycle()
    services.release_results(hr(), cycle)
    peers_answer(cycle, PEERS, craft="expert")
    for viewer in VIEWERS:
        html, data = seen(client, cycle, viewer)
        feedback = json.loads(data)["peer_feedback"]
        assert feedback["shown"] and feedback["responses"] == 3 and feedback["ratings"] == {"craft": "expert"}
        assert feedback["comments"] == sorted(feedback["comments"]), "ordered by text, not by time or author"
        section = feedback_section(html)
        assert not any(name in section for name in NAMES), f"{viewer} sees an author"
        assert json.loads(data)["attributed_feedback"] == []
        for leak in ("author", "created", "submitted_at", "author_key", '"id"'):
            assert leak not in json.dumps(feedback)


def test_a_competency_rated_by_fewer_peers_than_the_threshold_is_not_shown(client, org):
    cycle = payments_cycle()
    services.release_results(hr(), cycle)
    peers_answer(cycle, PEERS[:2], craft="expert")
    peers_answer(cycle, PEERS[2:], craft="expert", delivery="below")  # only Ada rated delivery
    _, data = seen(client, cycle, "ben")
    assert json.loads(data)["peer_feedback"]["ratings"] == {"craft": "expert"}


def test_the_database_keeps_no_readable_link_from_a_response_to_its_author(org):
    cycle = payments_cycle()
    peers_answer(cycle, PEERS)
    rows = list(PeerResponse.objects.values())
    assert len(rows) == 3 and all(r["author_id"] is None and r["anonymous"] for r in rows)
    columns = {c.name for c in connection.introspection.get_table_description(
        connection.cursor(), PeerResponse._meta.db_table)}
    assert columns == {"id", "participant_id", "author_key", "author_id", "anonymous", "ratings", "comments"}, \
        "no timestamp, no sequence"
    pt = participant(cycle, "e5")
    authors = [as_user(name).person[0] for name in PEERS]
    keys = {r["author_key"] for r in rows}
    plain = {hashlib.sha256(f"{cycle.pk}:{pt.pk}:{a}".encode()).hexdigest() for a in authors}
    assert not keys & plain, "the key is not a plain hash anyone could recompute"
    with override_settings(SECRET_KEY="another deployment's key"):
        assert not keys & {services.author_key(pt, a) for a in authors}, "without the secret it matches no one"
    assert keys == {services.author_key(pt, a) for a in authors}, "with it, a second response is refused"


def test_a_peer_answers_once_and_sees_only_what_they_wrote(client, org):
    cycle = payments_cycle()
    peers_answer(cycle, ["cy"], craft="advanced")
    with pytest.raises(InputError, match="already given your feedback"):
        services.give_feedback(as_user("cy"), participant(cycle, "e5"), ratings={}, comments="again")
    login(client, "cy")
    html = client.get(f"/growth/cycles/{cycle.pk}/feedback/e5/").content.decode()
    assert "What you wrote" in html and "Comment by someone" in html
    data = client.get(f"/api/growth/cycles/{cycle.pk}/people/e5").json()
    assert data["own_feedback"]["ratings"] == {"craft": "advanced"}
    assert data["self_evaluation"] is None and data["reviews"] == [] and data["peer_feedback"] is None


def test_someone_never_nominated_cannot_give_feedback(client, org, charlie):
    cycle = payments_cycle()
    login(client, "cy")
    response = client.post(f"/api/growth/cycles/{cycle.pk}/feedback/e5", {"comments": "hi"},
                           content_type="application/json")
    assert response.status_code == 404
    assert PeerResponse.objects.count() == 0


def test_attributed_feedback_names_its_author_to_the_person_and_hr(client, org, hannah):
    cycle = payments_cycle(anonymous=False)
    services.release_results(hr(), cycle)
    peers_answer(cycle, ["cy"])
    for viewer in ["ben", "hannah"]:
        _, data = seen(client, cycle, viewer)
        assert [f["author"] for f in json.loads(data)["attributed_feedback"]] == ["Cy Coder"]


def test_the_manager_approves_nominations_up_to_the_cycles_limit(client, org):
    cycle = payments_cycle(peer_limit=1)
    pt = participant(cycle, "e5")
    first = services.nominate(as_user("ben"), pt, "e6")
    second = services.nominate(as_user("ben"), pt, "e4")
    with pytest.raises(Exception, match="no such nomination"):
        services.decide_nomination(as_user("cy"), first, True)
    services.decide_nomination(as_user("mia"), first, True)
    with pytest.raises(InputError, match="already has 1 approved peers"):
        services.decide_nomination(as_user("mia"), second, True)
