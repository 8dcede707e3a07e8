"""The web app judges by the policy file named in TRELLIS_POLICY, and says so when it is bad."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("org_dates")]


def test_without_a_policy_file_the_defaults_apply(client, charlie, monkeypatch):
    monkeypatch.delenv("TRELLIS_POLICY", raising=False)
    client.login(username="charlie", password=PASSWORD)
    assert "the default policy" in client.get("/health/").content.decode()


def test_a_policy_file_changes_the_thresholds(client, charlie, monkeypatch):
    monkeypatch.setenv("TRELLIS_POLICY", str(FIXTURES / "health" / "policy.yaml"))
    client.login(username="charlie", password=PASSWORD)
    html = client.get("/health/").content.decode()
    assert "policy file" in html and "policy.yaml" in html
    assert client.get("/api/health/report").json()["policy"].endswith("policy.yaml")


def test_a_bad_policy_file_is_listed_with_its_lines_and_the_defaults_apply(client, charlie, monkeypatch):
    monkeypatch.setenv("TRELLIS_POLICY", str(FIXTURES / "health" / "policy-unknown-level.yaml"))
    client.login(username="charlie", password=PASSWORD)
    html = client.get("/health/").content.decode()
    assert "The policy file has errors" in html
    assert "policy-unknown-level.yaml:1" in html and "lead-enginer" in html
    assert "the default policy" in html
