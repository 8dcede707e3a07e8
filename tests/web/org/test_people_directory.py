"""The people directory: language-aware order, filters, search, pages and the CSV of the view."""

from __future__ import annotations

from datetime import date

import pytest

from tests.org.test_apply_import import HEADER
from tests.web.org import org_factory as f
from trellis.web.org import services
from trellis.web.org.models import Person

pytestmark = pytest.mark.django_db

NAMES = HEADER + "".join(f"p{i},{name},,software-engineer,,,,,,,\n"
                         for i, name in enumerate(["Zdeněk Ray", "Łucja Nowak", "Chloé Bay", "Céline Arc"]))


def _names_in_order(html: str, names: list[str]) -> list[str]:
    return sorted(names, key=html.index)


def test_imported_people_are_listed_in_language_aware_order(client, charlie):
    services.apply_import(NAMES, "org.csv", as_of=date(2025, 3, 1))
    client.force_login(charlie)
    html = client.get("/org/people/").content.decode()
    names = ["Zdeněk Ray", "Łucja Nowak", "Chloé Bay", "Céline Arc"]
    assert _names_in_order(html, names) == ["Céline Arc", "Chloé Bay", "Łucja Nowak", "Zdeněk Ray"]


def test_a_renamed_person_moves_to_their_new_place_in_the_order():
    someone = f.person("e1", "Zoe Zed")
    before = someone.sort_key
    someone.name = "Ada Zed"
    someone.save(update_fields=["name"])
    assert Person.objects.get(pk=someone.pk).sort_key < before
