"""What the what-if panel's pickers offer as a person types: each option with the word a change is written with."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from trellis.web.org.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("org_dates")]


def options(client, field: str, q: str = "") -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    response = client.get("/health/what-if/options/", {"field": field, "q": q})
    assert response.status_code == 200, response.content
    return [(o["word"], o["label"]) for o in response.json()["options"]]


def test_people_are_offered_by_name_and_written_by_name_unless_someone_shares_it(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    assert options(client, "person", "alice") == [('"Alice Lead"', "Alice Lead")]
    namesake = Person.objects.get(external_id="p1")
    namesake.name = "Alice Lead"
    namesake.save()
    from trellis.web.health import services

    services.clear_cache()
    assert sorted(options(client, "person", "alice lead")) == [("alice", "Alice Lead"), ("p1", "Alice Lead")]
    assert options(client, "person", "") == []


def test_teams_levels_roles_and_no_manager_are_offered(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    assert options(client, "team", "PAY") == [("payments", "payments")]
    assert ("engineering-manager", "Engineering Manager") in options(client, "level", "manager")
    assert len(options(client, "level")) == 8  # at most eight at once
    assert options(client, "role", "lead") == [("tech_lead", "Tech lead")]
    assert options(client, "manager", "no")[0] == ("none", "No manager")


def test_an_unknown_field_is_a_400(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    assert client.get("/health/what-if/options/", {"field": "salary"}).status_code == 400
