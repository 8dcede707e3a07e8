"""The ladder page and sign-in, through Django's test client."""

from __future__ import annotations

import re

import pytest

from tests.conftest import FIXTURES, PASSWORD
from trellis.ladder.load import load_file
from trellis.web.ladders import services

pytestmark = pytest.mark.django_db


def test_every_page_needs_sign_in(client):
    for url in ("/", "/ladder/", "/ladder/versions/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_signing_in_with_a_wrong_password_says_so(client, charlie):
    response = client.post("/accounts/login/", {"username": "charlie", "password": "nope"})
    assert response.status_code == 200
    assert b"did not match" in response.content


def test_the_ladder_page_puts_peers_on_one_row(client, charlie):
    services.ensure_default_ladder()
    client.login(username="charlie", password=PASSWORD)
    html = client.get("/ladder/").content.decode()
    row = re.search(r'<tr data-grade="3">(.*?)</tr>', html, re.S)
    assert row is not None
    assert "Lead Engineer" in row.group(1) and "Engineering Manager" in row.group(1)
    assert "Keeps the code healthy." in html
    assert "Empower Others" in html and "Advanced" in html


def test_an_old_version_stays_readable(client, charlie):
    old = services.ensure_default_ladder()
    services.store_version(load_file(FIXTURES / "ladders" / "minimal.yaml"))
    client.login(username="charlie", password=PASSWORD)
    assert "Minimal ladder" in client.get("/ladder/").content.decode()
    html = client.get(f"/ladder/?version={old.number}").content.decode()
    assert "Trellis default engineering ladder" in html and "not the active version" in html
    assert client.get("/ladder/?version=999").status_code == 404


def test_only_an_admin_may_change_the_active_version(client, charlie, alice):
    old = services.ensure_default_ladder()
    services.store_version(load_file(FIXTURES / "ladders" / "minimal.yaml"))
    client.login(username="charlie", password=PASSWORD)
    assert client.post(f"/ladder/versions/{old.number}/activate/").status_code == 403
    client.login(username="alice", password=PASSWORD)
    assert client.post(f"/ladder/versions/{old.number}/activate/").status_code == 302
    assert services.active_ladder().id == "trellis-default"


def test_the_api_serves_the_active_ladder_to_a_signed_in_person(client, charlie):
    assert client.get("/api/ladder").status_code == 401
    client.login(username="charlie", password=PASSWORD)
    data = client.get("/api/ladder").json()
    assert data["id"] == "trellis-default"
    assert client.get("/api/openapi.json").status_code == 200


def test_the_home_page_leads_to_every_area_and_to_the_person_themself(client, charlie):
    from trellis.web.org.models import Person

    services.ensure_default_ladder()
    Person.objects.create(external_id="c1", name="Charlie Person", level="lead-engineer", user=charlie)
    client.login(username="charlie", password=PASSWORD)
    html = client.get("/").content.decode()
    for url in ("/org/people/c1/", "/ladder/", "/org/chart/", "/health/", "/health/what-if/"):
        assert f'href="{url}"' in html
    assert "1 person in 0 teams" in html
    assert 'href="/org/import/"' not in html


def test_the_ladder_names_competencies_and_counts_the_people_at_each_level(client, charlie):
    from tests.web.org import org_factory as f

    services.ensure_default_ladder()
    f.payments()
    client.force_login(charlie)
    html = client.get("/ladder/").content.decode()
    ladder = services.active_ladder()
    must = next(lv for lv in ladder.levels if lv.must_have)
    name = next(c.name for c in ladder.competencies if c.id == must.must_have[0])
    card = html[html.index(f'id="level-{must.id}"'):]
    card = card[:card.index("</article>")]
    assert f'<span class="tag">{name}</span>' in card
    senior = html[html.index('id="level-senior-software-engineer"'):]
    assert '<a href="/org/people/?level=senior-software-engineer">2 people</a> at this level' in senior


def test_a_person_page_links_the_level_to_its_expectations_and_to_the_next_level(client, charlie):
    from tests.web.org import org_factory as f

    services.ensure_default_ladder()
    f.payments()
    client.force_login(charlie)
    html = client.get("/org/people/e4/").content.decode()
    assert '<a href="/ladder/#level-lead-engineer">Lead Engineer</a>' in html
    nxt = next(lv for lv in services.active_ladder().track_levels("technical") if lv.grade > 3)
    assert f'<a href="/ladder/#level-{nxt.id}">{nxt.title}</a>' in html
