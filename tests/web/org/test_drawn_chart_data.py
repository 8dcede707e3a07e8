"""What the drawn chart asks the server for: boxes as SVG, the way down to a person, search, findings."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.org import org_factory as f
from trellis.web.ladders import services as ladders
from trellis.web.org.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(client, charlie):  # type: ignore[no-untyped-def]
    ladders.ensure_default_ladder()
    client.force_login(charlie)
    return f.payments()


def test_the_page_draws_the_top_of_the_organisation_with_its_reports(client, org):
    html = client.get("/org/chart/").content.decode()
    assert 'id="box-e1"' in html and 'id="box-e3"' in html and 'id="box-e5"' not in html
    assert 'data-parent="e1"' in html


def test_a_box_shows_the_pair_and_the_missing_half_of_one(client, org):
    svg = client.get("/org/chart/boxes/e1/").content.decode()
    assert svg.startswith("<svg") and "PM Payments ⇄ Tess Lead +1" in svg
    assert "people manager of Search, no tech lead" in svg, "the full label names every role"
    assert 'data-pairs="e4"' in svg


def test_the_boxes_of_many_reports_cost_the_same_queries_as_of_few(client, org):
    with CaptureQueriesContext(connection) as few:
        client.get("/org/chart/boxes/e3/")
    for i in range(40):
        f.person(f"x{i}", f"Extra {i}", team=org["payments"], manager=org["mia"])
    with CaptureQueriesContext(connection) as many:
        svg = client.get("/org/chart/boxes/e3/").content.decode()
    assert svg.count('class="box ') == 42 and len(many) == len(few)


def test_the_path_names_everyone_to_open_from_the_top_down_to_a_person(client, org):
    assert client.get("/org/chart/path/e6/").json() == {"name": "Cy Coder", "path": ["e1", "e3", "e6"]}
    assert client.get("/org/chart/path/nobody/").status_code == 404


def test_search_finds_by_name_id_or_email(client, org):
    assert [p["id"] for p in client.get("/org/chart/find/", {"q": "cy c"}).json()["people"]] == ["e6"]
    assert [p["id"] for p in client.get("/org/chart/find/", {"q": "e4@example.org"}).json()["people"]] == ["e4"]


def test_a_team_finding_shows_on_the_box_of_the_teams_leader(client, org):
    for i in range(3):  # a team this small is not judged
        f.person(f"s{i}", f"Sam Search {i}", team=org["search"], manager=org["mia"])
    found = client.get("/org/chart/findings/", {"ids": "e3,e5"}).json()["findings"]
    assert "no-tech-lead" in [x["code"] for x in found["e3"]], "Search, which Mia manages, has no tech lead"


def test_a_finding_about_a_preferred_track_is_not_shown_to_someone_who_may_not_see_it(client, charlie):
    ladders.ensure_default_ladder()
    org = f.payments()
    f.role(org["ben"], org["search"], "people_manager")  # Ben prefers management: no peter-principle finding
    Person.objects.filter(pk=org["cy"].pk).update(preferred_track="technical")
    f.role(org["cy"], org["search"], "people_manager")  # Cy prefers the technical track
    client.force_login(charlie)
    found = client.get("/org/chart/findings/", {"ids": "e5,e6"}).json()["findings"]
    assert "peter-principle-risk" not in [x["code"] for x in found.get("e6", [])]


def test_a_subtree_can_be_charted_alone(client, org):
    html = client.get("/org/chart/", {"root": "e3"}).content.decode()
    assert "Mia Manager&#x27;s part of the organisation" in html or "Mia Manager's part" in html
    assert 'id="box-e1"' not in html and 'id="box-e5"' in html
    assert client.get("/org/chart/", {"root": "nobody"}).status_code == 404
