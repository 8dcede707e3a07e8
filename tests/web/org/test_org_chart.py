"""The org chart: the top of the tree, subtrees loaded when opened, dotted lines and pairs on each card, search."""

from __future__ import annotations

import pytest

from tests.web.org import org_factory as f

pytestmark = pytest.mark.django_db


def node(html: str, external_id: str) -> str:
    start = html.index(f'id="node-{external_id}"')
    return html[start:html.index("</div>", start)]


def test_it_shows_the_top_and_its_direct_reports_but_not_deeper(client, charlie):
    f.payments()
    client.force_login(charlie)
    html = client.get("/org/chart/list/").content.decode()
    assert 'id="node-e1"' in html and 'id="node-e2"' in html and 'id="node-e3"' in html
    assert 'id="node-e5"' not in html, "Mia's reports load only when her subtree is opened"
    assert 'hx-get="/org/chart/e3/children/"' in html


def test_opening_a_subtree_loads_only_that_persons_reports(client, charlie):
    f.payments()
    client.force_login(charlie)
    html = client.get("/org/chart/e3/children/", headers={"HX-Request": "true"}).content.decode()
    assert html.startswith('<ul class="children">')
    assert 'id="node-e5"' in html and 'id="node-e6"' in html
    assert 'id="node-e4"' not in html and "<html" not in html


def test_each_card_shows_the_pair_and_the_dotted_lines(client, charlie):
    f.payments()
    client.force_login(charlie)
    html = client.get("/org/chart/e2/children/").content.decode()
    tess = node(html, "e4")
    assert "tech lead</span>" not in tess  # the badge reads as a sentence
    assert "tech lead of" in tess and "Payments" in tess and "paired with Mia Manager" in tess
    assert "dotted line to" in tess and "Mia Manager" in tess
    top = client.get("/org/chart/list/").content.decode()
    mia = node(top, "e3")
    assert "people manager of" in mia and "paired with Tess Lead" in mia
    assert "no tech lead" in mia, "Search has no tech lead"
    assert "1 dotted-line report" in mia


def test_searching_a_name_with_one_match_opens_the_chart_down_to_that_person(client, charlie):
    f.payments()
    client.force_login(charlie)
    response = client.get("/org/chart/list/", {"q": "cy cod"})
    assert response.status_code == 302
    assert response["Location"] == "/org/chart/list/?focus=e6#node-e6"
    html = client.get("/org/chart/list/", {"focus": "e6"}).content.decode()
    assert 'class="node focused" id="node-e6"' in html


def test_searching_by_id_finds_the_person(client, charlie):
    f.payments()
    client.force_login(charlie)
    assert client.get("/org/chart/list/", {"q": "E4"})["Location"] == "/org/chart/list/?focus=e4#node-e4"


def test_a_search_with_several_matches_lists_them(client, charlie):
    f.payments()
    client.force_login(charlie)
    html = client.get("/org/chart/list/", {"q": "er"}).content.decode()
    matches = html[html.index('aria-label="Search results"'):html.index('aria-label="Org chart"')]
    assert all(name in matches for name in ("Mia Manager", "Ben Builder", "Cy Coder"))
    assert "Tess Lead" not in matches


def test_a_search_with_no_match_says_so(client, charlie):
    f.payments()
    client.force_login(charlie)
    assert "Nobody in the organisation matches" in client.get("/org/chart/list/", {"q": "zzz"}).content.decode()


def test_suggestions_appear_as_a_name_is_typed(client, charlie):
    f.payments()
    client.force_login(charlie)
    html = client.get("/org/suggest/", {"q": "te"}).content.decode()
    assert "Tess Lead" in html and "Ada Architect" in html and "Ben Builder" not in html


def test_people_who_left_are_not_in_the_chart(client, charlie):
    org = f.payments()
    f.leave(org["cy"])
    client.force_login(charlie)
    html = client.get("/org/chart/e3/children/").content.decode()
    assert "Ben Builder" in html and "Cy Coder" not in html


def test_an_empty_organisation_says_how_to_fill_it(client, charlie):
    client.force_login(charlie)
    assert "The organisation is empty" in client.get("/org/chart/list/").content.decode()


def test_a_very_wide_subtree_is_cut_and_points_to_search(client, charlie, monkeypatch):
    org = f.payments()
    monkeypatch.setattr("trellis.web.org.chart.LEVEL_LIMIT", 1)
    client.force_login(charlie)
    html = client.get("/org/chart/e3/children/").content.decode()
    assert html.count('class="node"') == 1
    assert f"More people report to {org['mia'].name} than the chart shows at once" in html
