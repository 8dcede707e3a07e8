"""An admin links a person to a sign-in account; nothing else about the person can be edited by hand."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from tests.conftest import PASSWORD
from tests.web.org import org_factory as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):  # type: ignore[no-untyped-def]
    """A superuser: the Django admin site is for staff accounts."""
    return User.objects.create_superuser("root", "root@example.org", PASSWORD)


def test_an_admin_links_a_person_to_an_account_and_that_person_then_sees_their_preferred_track(
        client, root, charlie):
    org = f.payments()
    client.force_login(root)
    url = f"/admin/org/person/{org['ben'].pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="name"' not in page.content.decode(), "the name is read-only"
    editable = set(re.findall(r'<(?:input|select|textarea)[^>]*name="([a-z_]+)"', page.content.decode()))
    assert editable - {"csrfmiddlewaretoken", "_save", "_continue", "_addanother"} == {"user"}, \
        "only the link to an account: anything else changed here would not be in the history"
    response = client.post(url, {"user": charlie.pk, "name": "Renamed"})
    assert response.status_code == 302
    org["ben"].refresh_from_db()
    assert org["ben"].user == charlie and org["ben"].name == "Ben Builder"
    client.force_login(charlie)
    assert '<dd class="preferred-track">Management' in client.get("/org/people/e5/").content.decode()


def test_people_cannot_be_added_or_deleted_by_hand(client, root):
    org = f.payments()
    client.force_login(root)
    assert client.get("/admin/org/person/add/").status_code == 403
    assert client.get(f"/admin/org/person/{org['ben'].pk}/delete/").status_code == 403
