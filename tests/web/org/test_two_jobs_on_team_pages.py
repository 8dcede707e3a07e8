"""The team page tags "both roles" by the one definition of two jobs, the one health's dual-role uses."""

from __future__ import annotations

import pytest

from tests.web.org import org_factory as f
from trellis.org.model import two_jobs
from trellis.web.health.services import health

pytestmark = pytest.mark.django_db


def test_two_jobs_means_a_people_manager_role_and_a_tech_lead_role_on_any_teams():
    assert two_jobs(["people_manager", "tech_lead"])
    assert not two_jobs(["tech_lead", "tech_lead"]) and not two_jobs(["people_manager"]) and not two_jobs([])


def test_a_manager_of_one_team_who_leads_another_is_tagged_on_both_team_pages(client, charlie):
    org = f.payments()
    f.role(org["mia"], org["search"], "tech_lead")  # Mia manages Payments and Search, and now leads Search
    client.force_login(charlie)
    for team in ("Payments", "Search"):
        html = client.get(f"/org/teams/{team}/").content.decode()
        assert "both roles" in html, team
    assert {x.person for x in health().report.findings if x.code == "dual-role"} == {"e3"}


def test_someone_in_one_job_is_not_tagged(client, charlie):
    f.payments()
    client.force_login(charlie)
    assert "both roles" not in client.get("/org/teams/Payments/").content.decode()
