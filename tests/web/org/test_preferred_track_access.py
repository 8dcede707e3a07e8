"""Preferred track: seen by the person, their direct solid and dotted managers, HR and admin; nobody else."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.conftest import PASSWORD
from tests.web.org import org_factory as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    users = {name: User.objects.create_user(name, f"{name}@example.org", PASSWORD)
             for name in ("tess", "ada", "mia", "dana", "ben")}
    return f.payments(**users)


def tess_page(client, username: str) -> str:  # type: ignore[no-untyped-def]
    client.force_login(User.objects.get(username=username))
    return client.get("/org/people/e4/").content.decode()


@pytest.mark.parametrize("viewer", ["tess", "ada", "mia", "alice", "hannah"])
def test_the_person_their_solid_and_dotted_managers_hr_and_admin_see_it(client, org, alice, hannah, viewer):
    html = tess_page(client, viewer)
    assert '<dd class="preferred-track">Technical' in html


@pytest.mark.parametrize("viewer", ["charlie", "ben", "dana"])
def test_anyone_else_does_not_see_it_not_even_the_managers_manager(client, org, charlie, viewer):
    html = tess_page(client, viewer)
    assert "Preferred track" not in html and "preferred-track" not in html


def test_its_history_is_hidden_from_those_who_may_not_see_it(client, org, charlie):
    client.force_login(charlie)
    html = client.get("/org/people/e5/").content.decode()
    assert 'data-kind="level-changed"' in html
    assert 'data-kind="preferred-track-changed"' not in html
    client.force_login(User.objects.get(username="mia"))
    html = client.get("/org/people/e5/").content.decode()
    assert 'data-kind="preferred-track-changed"' in html and "Undecided → Management" in html
