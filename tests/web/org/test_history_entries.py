"""History entries read as sentences: a person joining is named once."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD
from tests.web.health import org

pytestmark = pytest.mark.django_db


def test_a_join_on_the_team_page_names_the_person_once(client, charlie):
    org.build()
    client.login(username="charlie", password=PASSWORD)
    html = client.get("/org/teams/payments/").content.decode()
    joins = re.findall(r'<li data-kind="joined">(?:(?!</li>).)*</li>', html, re.S)
    [alice] = [entry for entry in joins if "Alice Lead" in entry]
    assert alice.count("Alice Lead") == 1
