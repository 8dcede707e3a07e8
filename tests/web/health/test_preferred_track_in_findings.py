"""Findings never reveal a preferred track to someone who may not see it."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.web.health import org
from trellis.web.health.visibility import NEUTRAL_ACTION

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("org_dates")]


def _codes_for_bob(client) -> dict[str, str]:
    data = client.get("/api/health/findings?person=bob").json()
    return {f["code"]: f["action"] for f in data["findings"]}


def test_hr_sees_that_bob_is_a_peter_principle_risk(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    codes = _codes_for_bob(client)
    assert "peter-principle-risk" in codes
    assert "prefers the technical track" in codes["dual-role"]


def test_bobs_manager_sees_it_too(client, charlie):
    org.link("charlie", "victor")
    client.login(username="charlie", password=PASSWORD)
    assert "peter-principle-risk" in _codes_for_bob(client)


def test_bob_himself_sees_it(client, charlie):
    org.link("charlie", "bob")
    client.login(username="charlie", password=PASSWORD)
    assert "peter-principle-risk" in _codes_for_bob(client)


def test_a_colleague_sees_the_two_jobs_but_not_the_preference(client, charlie):
    org.link("charlie", "alice")
    client.login(username="charlie", password=PASSWORD)
    codes = _codes_for_bob(client)
    assert "peter-principle-risk" not in codes
    assert codes["dual-role"] == NEUTRAL_ACTION
    data = client.get("/api/health/report").json()
    assert data["withheld"] >= 1
    assert all(f["code"] != "peter-principle-risk" for f in data["findings"])
    html = client.get("/health/").content.decode()
    assert "prefers the technical track" not in html
    assert "about career preferences" in html
