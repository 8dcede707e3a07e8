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
    html = client.get("/health/").content.decode()
    assert "prefers the technical track" not in html
    assert 'data-code="peter-principle-risk"' not in html


def test_nothing_tells_a_colleague_that_a_preference_finding_exists(client, charlie):
    """Bob prefers the technical track and manages people; Erin prefers management: a colleague
    must not be able to tell them apart by counts, notes or simulations."""
    org.link("charlie", "alice")
    client.login(username="charlie", password=PASSWORD)
    about_bob = client.get("/api/health/findings?person=bob").json()
    assert set(about_bob) == {"as_of", "findings", "exempted", "note"}
    report = client.get("/api/health/report").json()
    assert "peter-principle-risk" not in report["counts"]
    assert sum(report["severity_counts"].values()) == len(report["findings"])
    assert "peter-principle-risk" not in client.get("/api/health/timeline").json()["counts"]
    bob = client.get("/health/findings/?person=bob").content.decode()
    erin = client.get("/health/findings/?person=erin").content.decode()
    assert "career preference" in bob and bob.count("career preference") == erin.count("career preference")
    for person in ("bob", "erin"):
        answer = client.post("/api/health/what-if", {"changes": [f"give tech_lead@search {person}"]},
                             content_type="application/json").json()
        assert "prefers" not in str(answer), answer
        assert "withheld" not in answer


def test_hr_sees_the_preference_counts_and_the_simulation_in_full(client, hannah):
    client.login(username="hannah", password=PASSWORD)
    assert client.get("/api/health/report").json()["counts"]["peter-principle-risk"] == 1
    assert "peter-principle-risk" in client.get("/api/health/timeline").json()["counts"]
    answer = client.post("/api/health/what-if", {"changes": ["give tech_lead@search bob"]},
                         content_type="application/json").json()
    assert any("prefers the technical track" in pair["after"]["action"] for pair in answer["changed"])
