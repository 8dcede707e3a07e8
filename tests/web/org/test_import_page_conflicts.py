"""The upload page shows where a file differs from edits made in Trellis, and asks which side wins."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web.org.csv_files import upload
from tests.web.org.edits import ORG, imported
from trellis.org.edit import PersonEdit
from trellis.web.org import services
from trellis.web.org.access import Viewer
from trellis.web.org.models import PendingValue, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(db, hannah):  # type: ignore[no-untyped-def]
    imported()
    services.edit_person(PersonEdit("e1", level="senior-software-engineer"), viewer=Viewer.of(hannah), user=hannah,
                         reason="promoted in spring", as_of=date(2025, 4, 1))


def preview(client):  # type: ignore[no-untyped-def]
    return client.post("/org/import/", {"file": upload(ORG), "as_of": "2025-09-01"})


def confirm(client, **fields):  # type: ignore[no-untyped-def]
    return client.post("/org/import/confirm/", {"token": client.session["trellis_org_import"]["token"], **fields})


def test_the_preview_lists_each_conflict_with_who_when_and_why(client, edited, hannah):
    client.force_login(hannah)
    html = preview(client).content.decode()
    assert "1 value edited in Trellis differs in this file" in html
    assert "<td>senior-software-engineer</td><td>software-engineer</td>" in html
    assert "promoted in spring" in html and 'name="prefer" value="file"' in html


def test_confirming_without_a_choice_is_refused_and_imports_nothing(client, edited, hannah):
    client.force_login(hannah)
    preview(client)
    answer = confirm(client)
    assert answer.status_code == 409 and "Not imported" in answer.content.decode()
    assert PendingValue.objects.get(subject="e1").state == PendingValue.PENDING


@pytest.mark.parametrize(("prefer", "level", "state"), [
    ("trellis", "senior-software-engineer", PendingValue.PENDING),
    ("file", "software-engineer", PendingValue.REVERTED)])
def test_either_side_can_win(client, edited, hannah, prefer, level, state):
    client.force_login(hannah)
    preview(client)
    assert confirm(client, prefer=prefer).status_code == 302
    assert Person.objects.get(external_id="e1").level == level
    assert PendingValue.objects.get(subject="e1").state == state
