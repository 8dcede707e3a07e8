"""The people directory: language-aware order, filters, search, pages and the CSV of the view."""

from __future__ import annotations

import re
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


@pytest.fixture
def org(client, charlie):  # type: ignore[no-untyped-def]
    from trellis.web.ladders import services as ladders

    ladders.ensure_default_ladder()
    client.force_login(charlie)
    return f.payments()


def _listed(client, **params: str) -> set[str]:  # type: ignore[no-untyped-def]
    html = client.get("/org/people/", params).content.decode()
    return set(re.findall(r'<tr[^>]*>\s*<td><a href="/org/people/(\w+)/"', html))


def test_the_directory_filters_by_level_track_team_and_department(client, org):
    assert _listed(client, level="senior-software-engineer") == {"e5", "e6"}
    assert _listed(client, track="management") == {"e1", "e3"}
    assert _listed(client, team="payments") == {"e3", "e4", "e5", "e6"}
    assert _listed(client, department="Money", track="technical") == {"e4", "e5", "e6"}


def test_the_directory_shows_everyone_under_a_manager(client, org):
    assert _listed(client, under="e1") == {"e2", "e3", "e4", "e5", "e6"}
    assert _listed(client, under="e3") == {"e5", "e6"}


def test_the_directory_searches_by_name_and_email(client, org):
    assert _listed(client, q="builder") == {"e5"}
    assert _listed(client, q="e6@example.org") == {"e6"}
    assert _listed(client, q="ben", team="Payments") == {"e5"}


def test_people_who_left_are_listed_last_and_marked(client, org):
    f.leave(org["cy"])
    html = client.get("/org/people/", {"team": "Payments"}).content.decode()
    assert html.index('href="/org/people/e4/"') < html.index('href="/org/people/e6/"')
    assert '<span class="tag left">left</span>' in html


def test_the_pages_keep_the_filters(client, charlie):
    f.Person.objects.bulk_create([f.Person(external_id=f"p{i:03}", name=f"Person {i:03}", level="lead-engineer",
                                           sort_key=f"{i:03}") for i in range(120)])
    client.force_login(charlie)
    html = client.get("/org/people/", {"level": "lead-engineer"}).content.decode()
    assert 'href="?level=lead-engineer&amp;page=2"' in html


def test_hr_downloads_the_current_view_as_csv(client, org, hannah):
    from django.contrib.auth.models import Group

    from trellis.web.accounts.roles import HR

    hannah.groups.add(Group.objects.get_or_create(name=HR)[0])
    client.force_login(hannah)
    assert "download this view as CSV" in client.get("/org/people/", {"team": "Payments"}).content.decode()
    response = client.get("/org/people/export.csv", {"team": "Payments", "track": "technical"})
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    lines = text.splitlines()
    assert lines[0].startswith("id,name,email,level,level_title,track,team,department,manager_id")
    assert [line.split(",")[0] for line in lines[1:]] == ["e5", "e6", "e4"]  # Ben, Cy, Tess by name


def test_only_hr_and_admin_may_download_the_directory(client, org):
    assert client.get("/org/people/export.csv").status_code == 403
    assert "download this view as CSV" not in client.get("/org/people/").content.decode()


def test_the_upgrade_writes_every_stored_sort_key_again_in_the_shorter_form(monkeypatch):
    from importlib import import_module

    from django.apps import apps

    from trellis.lib.collation import name_sort_key

    rekey = import_module("trellis.web.org.migrations.0013_shorter_sort_keys")
    names = ["Zdeněk Ray", "Łucja Nowak", "Chloé Bay", "Céline Arc", "中文"]
    for i, name in enumerate(names):
        f.person(f"e{i}", name)
    Person.objects.update(sort_key="1ce51d321c4700000020")  # a key of the form stored before
    monkeypatch.setattr(rekey, "BATCH", 2)  # over several batches
    rekey.rekey_people(apps, None)
    assert {p.name: p.sort_key for p in Person.objects.all()} == {name: name_sort_key(name) for name in names}
    assert list(Person.objects.order_by("sort_key").values_list("name", flat=True)) == [
        "Céline Arc", "Chloé Bay", "Łucja Nowak", "Zdeněk Ray", "中文"]
