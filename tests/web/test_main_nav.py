"""The main links mark the page one is on and offer the import to HR only, whoever opened a page first:
they are written once per kind of page and kind of user."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _nav(html: str) -> str:
    return html[html.index('<nav aria-label="Main">'):html.index("</nav>")]


def test_the_page_one_is_on_is_marked_and_no_other(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    for address, current in (("/ladder/", "Ladder"), ("/org/teams/", "Teams"), ("/org/people/", "People"),
                             ("/health/", "Health")):
        marked = re.findall(r'aria-current="page">([^<]+)</a>', _nav(client.get(address).content.decode()))
        assert marked == [current], address


def test_only_hr_is_offered_the_import_whoever_asked_first(client, hannah, charlie):
    for first, second in (("hannah", "charlie"), ("charlie", "hannah")):
        client.login(username=first, password=PASSWORD)
        client.get("/org/teams/")
        client.login(username=second, password=PASSWORD)
        assert ('href="/org/import/"' in _nav(client.get("/org/teams/").content.decode())) == (second == "hannah")
