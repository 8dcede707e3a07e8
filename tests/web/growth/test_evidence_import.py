"""Bulk import of evidence from CSV: HR and admin, all or nothing, every problem with its line."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.web.growth.conftest import login
from trellis.lib import clock
from trellis.web.growth.models import Evidence

pytestmark = pytest.mark.django_db

GOOD = (b"person_id,kind,date,title,link,notes,competencies,signals\n"
        b"e5,pairing,2026-01-10,Paired on the ledger,,,craft;collaboration,\n"
        b"e6,talk,2026-02-01,Talk on retries,https://talks.example.org/1,,empower-others,team-keeps-learning\n")
BAD = (b"person_id,kind,date,title,competencies\n"
       b"e5,pairing,2026-01-10,Fine row,craft\n"
       b"nobody,pairing,2026-01-10,Who,craft\n"
       b"e5,juggling,2026-01-10,What,craft\n"
       b"e5,pairing,10/01/2026,When,craft\n"
       b"e5,pairing,2027-01-01,Later,craft\n"
       b"e5,pairing,2026-01-10,,craft\n"
       b"e5,pairing,2026-01-10,Which,crafting\n")


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.frozen(date(2026, 3, 2)):
        yield


def upload(client, data: bytes, url: str = "/growth/evidence/import/"):  # type: ignore[no-untyped-def]
    return client.post(url, {"file": SimpleUploadedFile("evidence.csv", data, "text/csv")})


def test_hr_imports_every_row(client, org, hannah):
    client.force_login(hannah)
    response = upload(client, GOOD)
    assert response.status_code == 302
    assert sorted(Evidence.objects.values_list("person__external_id", "kind")) == [("e5", "pairing"),
                                                                                    ("e6", "talk")]
    assert "Imported 2 pieces of evidence." in client.get(response.url).content.decode()


def test_a_file_with_any_problem_imports_nothing_and_lists_every_line(client, org, hannah):
    client.force_login(hannah)
    response = upload(client, BAD)
    assert response.status_code == 400
    assert Evidence.objects.count() == 0
    page = response.content.decode()
    assert "6 problems: nothing was imported" in page
    api = upload(client, BAD, "/api/growth/evidence/import")
    assert api.status_code == 400
    assert [(p["line"], p["column"]) for p in api.json()["problems"]] == [
        (3, "person_id"), (4, "kind"), (5, "date"), (6, "date"), (7, "title"), (8, "competencies")]
    assert api.json()["problems"][3]["message"] == ("2027-01-01 is after today (2026-03-02): evidence records "
                                                    "what has happened")
    assert Evidence.objects.count() == 0


def test_the_api_imports_for_admin(client, org, alice):
    client.force_login(alice)
    assert upload(client, GOOD, "/api/growth/evidence/import").json() == {"imported": 2}


@pytest.mark.parametrize("name", ["ben", "mia", "charlie"])
def test_nobody_else_may_import(client, org, charlie, name):
    login(client, name)
    assert upload(client, GOOD).status_code == 403
    assert upload(client, GOOD, "/api/growth/evidence/import").status_code == 403
    assert Evidence.objects.count() == 0
