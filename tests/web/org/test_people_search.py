"""Search on the people list, the org chart and the suggestions finds exactly what the database's
own search finds, in the same order, from the directory kept in memory."""

from __future__ import annotations

from datetime import date

import pytest

from tests.org.test_apply_import import HEADER
from tests.web.org import org_factory as f
from trellis.web.org import directory, services
from trellis.web.org.queries import find_people, people_page, search_people

pytestmark = pytest.mark.django_db

NAMES = ["Ana Lima", "Hanna Berg", "Dana Ek", "Céline Arc", "Chloé Bay", "ANAÏS Roy", "Joanna Ward", "Zdeněk Ray",
         "Łucja Nowak", "Mia Manager", "Ana Lima"]
QUERIES = ["ana", "ANA", "a", "an", "ïs", "é", "lima", "a l", "p3", "P3", "p3@example.org", "P3@EXAMPLE.ORG",
           "nobody", "nowak", "ł", "e1@example", "%", "_"]


def org() -> None:
    for i, name in enumerate(NAMES):
        f.person(f"p{i}", name, active=i % 4 != 1)


@pytest.mark.parametrize("q", QUERIES)
def test_the_directory_finds_what_the_database_finds_in_the_same_order(q):
    org()
    assert directory.matching(q) == [p.pk for p in search_people(q)]
    assert [p.pk for p in find_people(q, limit=5)] == [p.pk for p in search_people(q).filter(active=True)[:5]]


def test_a_page_of_matches_holds_the_rows_of_that_page_and_counts_every_match():
    org()
    page = people_page("a", "2", 3)
    everyone = list(search_people("a"))
    assert page.paginator.count == len(everyone)
    assert [p.pk for p in page] == [p.pk for p in everyone[3:6]]


def test_a_new_import_is_found_at_once():
    org()
    assert find_people("quentin", limit=8) == []
    services.apply_import(HEADER + "q1,Quentin Quill,,software-engineer,,,,,,,\n", "org.csv", as_of=date(2025, 3, 1),
                          allow_mass_leave=True)
    assert [p.external_id for p in find_people("quentin", limit=8)] == ["q1"]


def test_a_renamed_person_is_found_by_the_new_name_only():
    org()
    assert find_people("ward", limit=8)
    someone = f.Person.objects.get(external_id="p6")
    someone.name = "Joanna Holm"
    someone.save()
    assert find_people("ward", limit=8) == [] and find_people("holm", limit=8)[0].external_id == "p6"


def test_search_pages_cost_a_fixed_number_of_queries(client, charlie, django_assert_num_queries):
    org()
    client.force_login(charlie)
    client.get("/org/suggest/?q=an")  # builds the directory
    # session, user, groups (for the menu), then the directory's state and the rows found
    with django_assert_num_queries(5):
        assert b"Ana Lima" in client.get("/org/suggest/?q=an").content
