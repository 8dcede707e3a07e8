"""Ids as real HR systems write them (slashes, spaces, dots, '@', any script) work in every page and API address."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.web.org.hr_export import EXPORT, HR
from trellis.org.csvio import ReadOptions, parse_where, read_level_map, read_mapping_file
from trellis.web.ladders.services import active_ladder
from trellis.web.org import services

pytestmark = pytest.mark.django_db

ODD = ["HR/2019/104", "CTR 77", "EXT.0042", "HR/2016/101"]
SPACE_TEAM = "Payments Core"


def import_export(data: bytes | None = None, as_of: date = date(2025, 3, 1)) -> None:
    options = ReadOptions(mapping=read_mapping_file(HR / "columns.map"),
                          level_map=read_level_map((HR / "level-map.csv").read_bytes(), "m", active_ladder()),
                          where=parse_where(["Division=Engineering"]), outside_managers="top")
    services.apply_import(EXPORT.read_bytes() if data is None else data, "company.csv", as_of=as_of,
                          options=options, allow_mass_leave=True)


@pytest.fixture
def imported(db):  # type: ignore[no-untyped-def]
    import_export()


@pytest.mark.parametrize("pid", ODD)
def test_each_person_page_and_api_answer_for_an_odd_id(client, charlie, imported, pid):
    client.force_login(charlie)
    page = client.get(reverse("org-person", args=[pid]))
    assert page.status_code == 200 and pid in page.content.decode()
    assert client.get(f"/api/org/people/{quote(pid)}").json()["id"] == pid
    assert client.get(f"/api/org/people/{quote(pid)}/history").status_code == 200
    assert client.get(reverse("org-chart-children", args=[pid])).status_code == 200


@pytest.mark.parametrize("name", ["growth-person", "growth-summary", "growth-evidence"])
def test_the_growth_pages_of_a_slash_id_answer_without_an_error(client, hannah, imported, name):
    client.force_login(hannah)
    path = reverse(name, args=["HR/2019/104"])
    assert path.startswith("/growth/people/HR/2019/104/")
    assert client.get(path).status_code in (200, 403, 404)
    assert client.get("/api/growth/people/HR/2019/104/evidence").status_code in (200, 403, 404)


def test_a_slash_id_reads_as_one_id_in_the_address():
    assert reverse("org-person", args=["HR/2019/104"]) == "/org/people/HR/2019/104/"
    assert reverse("org-chart-children", args=["HR/2018/102"]) == "/org/chart/HR/2018/102/children/"


def test_lists_search_the_chart_and_team_pages_answer_with_odd_ids(client, charlie, imported):
    client.force_login(charlie)
    for path in ["/org/people/", "/org/people/?q=HR/2019/104", "/org/teams/", "/org/chart/",
                 "/org/chart/?focus=HR%2F2019%2F104", "/org/suggest/?q=Fat", reverse("org-team", args=["Checkout"]),
                 reverse("org-team", args=[SPACE_TEAM]), "/api/org/people?q=CTR%2077", f"/api/org/teams/{SPACE_TEAM}"]:
        assert client.get(path).status_code == 200, path
    chart = client.get("/org/chart/?focus=HR%2F2019%2F104").content.decode()
    assert 'href="/org/people/HR/2019/104/"' in chart


def test_pages_keep_answering_after_a_person_with_a_slash_id_leaves(client, charlie, imported):
    text = EXPORT.read_text(encoding="utf-8-sig")
    kept = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("HR/2022/21"))
    import_export(kept.encode(), date(2025, 3, 2))
    client.force_login(charlie)
    for path in ["/org/people/?q=HR/2022/212", reverse("org-person", args=["HR/2022/212"]), "/org/teams/",
                 "/org/chart/", "/api/org/people?status=left"]:
        assert client.get(path).status_code == 200, path


def test_the_person_page_and_the_chart_say_who_reports_outside_the_organisation(client, charlie, imported):
    client.force_login(charlie)
    page = client.get(reverse("org-person", args=["HR/2016/101"])).content.decode()
    assert "reports outside the organisation" in page
    assert "reports outside the organisation" in client.get("/org/chart/").content.decode()
    assert "top of the organisation" not in client.get(reverse("org-person", args=["CTR 77"])).content.decode()


def test_a_slash_team_name_works_in_the_team_page_and_api(client, charlie, imported):
    text = EXPORT.read_text(encoding="utf-8-sig").replace(",Mobile,", ",Apps/Mobile,")
    import_export(text.encode(), date(2025, 3, 2))
    client.force_login(charlie)
    assert client.get(reverse("org-team", args=["Apps/Mobile"])).status_code == 200
    assert client.get("/api/org/teams/Apps/Mobile").json()["name"] == "Apps/Mobile"
    assert client.get("/api/org/teams/Apps/Mobile/history").status_code == 200
