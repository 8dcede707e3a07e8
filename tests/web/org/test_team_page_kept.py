"""A team's page is kept per version of the organisation: asked again it costs a few queries, and
any change through the one writer (an import, an edit) shows at once; what depends on the viewer
(the edit button) is never kept."""

from __future__ import annotations

import pytest

from tests.web.org.edits import HEADER, IMPORTED, imported
from trellis.lib import clock
from trellis.org.edit import PersonEdit, TeamEdit
from trellis.web.org import services
from trellis.web.org.access import Viewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    imported()


def test_a_team_page_asked_again_costs_only_the_session_the_menu_and_the_version(
        client, org, charlie, django_assert_num_queries):
    client.force_login(charlie)
    first = client.get("/org/teams/payments/").content.decode()
    # session, user, the user's groups (for the menu), the organisation's version (with the ladder's)
    with django_assert_num_queries(4):
        again = client.get("/org/teams/payments/").content.decode()
    page = again.index('<div class="page-head">')  # the menu above carries the request's own CSRF token
    assert again[page:] == first[page:] and "Chloé Diaz" in again and "Eve" in again


def test_an_edit_through_the_one_writer_shows_on_the_team_page_at_once(client, org, alice):
    client.force_login(alice)
    assert "Femi" not in client.get("/org/teams/payments/").content.decode()
    with clock.frozen(IMPORTED):
        services.edit_person(PersonEdit("e2", team="payments"), viewer=Viewer.of(alice), user=alice,
                             reason="joins payments")
        html = client.get("/org/teams/payments/").content.decode()
    assert "Femi" in html and "joins payments" in html


def test_a_renamed_team_is_found_under_its_new_name_with_its_history(client, org, alice):
    client.force_login(alice)
    client.get("/org/teams/search/")
    with clock.frozen(IMPORTED):
        services.edit_team(TeamEdit("search", name="discovery"), viewer=Viewer.of(alice), user=alice,
                           reason="new name")
        assert client.get("/org/teams/search/").status_code == 404
        html = client.get("/org/teams/discovery/").content.decode()
    assert "Renamed" in html and "Femi" in html


def test_an_import_shows_on_the_team_page_at_once(client, org, charlie):
    client.force_login(charlie)
    assert "Gus" not in client.get("/org/teams/payments/").content.decode()
    services.apply_import(HEADER + "cto,Ada Ørsted,ada@example.org,cto,,,,,,technical,2019-01-01\n"
                          "em1,Björn Ng,bjorn@example.org,engineering-manager,cto,,payments,Money,people_manager,"
                          "management,2021-05-01\n"
                          "gus,Gus,,software-engineer,em1,,payments,Money,,,\n", "org.csv", as_of=IMPORTED,
                          allow_mass_leave=True)
    html = client.get("/org/teams/payments/").content.decode()
    members = html[html.index("<h2>Members</h2>"):html.index("<h2>History</h2>")]
    assert "Gus" in members and "Eve" not in members


def test_the_edit_button_is_for_hr_and_admin_even_when_the_page_is_kept(client, org, hannah, charlie):
    client.force_login(hannah)
    assert "/org/teams/payments/edit/" in client.get("/org/teams/payments/").content.decode()
    client.force_login(charlie)
    html = client.get("/org/teams/payments/").content.decode()
    assert "/org/teams/payments/edit/" not in html and "Chloé Diaz" in html
