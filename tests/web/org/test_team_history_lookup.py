"""A team's history is looked up through indexes: the team page stays quick however long the history."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from tests.web.org import org_factory as f
from trellis.web.org.services import history_for_team, team_events

pytestmark = pytest.mark.django_db


def plan_of_team_history(name: str) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be read whole anyway
    return team_events(name).explain()


def test_a_teams_history_holds_its_own_events_and_people_moving_out_and_in():
    f.event("team-created", date(2025, 1, 1), team_name="Payments")
    f.event("team-changed", date(2025, 2, 1), person_id="e1", old="Payments", new="Search")
    f.event("team-changed", date(2025, 3, 1), person_id="e2", old="Search", new="Payments")
    f.event("team-changed", date(2025, 4, 1), person_id="e3", old="Search", new="Ops")
    f.event("name-changed", date(2025, 5, 1), person_id="e4", old="Payments", new="Pay Ments")
    assert [(c.kind, c.person_id) for c in history_for_team("Payments")] == [
        ("team-created", None), ("team-changed", "e1"), ("team-changed", "e2")]


def test_a_teams_history_is_found_through_indexes_not_by_reading_every_event():
    f.event("team-changed", date(2025, 2, 1), person_id="e1", old="Payments", new="Search")
    plan = plan_of_team_history("Payments")
    if connection.vendor == "sqlite":
        assert "MULTI-INDEX OR" in plan and "SCAN" not in plan.replace("USE TEMP B-TREE", "")
        for index in ("team_name", "history_moved_out", "history_moved_in"):
            assert index in plan
    else:
        assert "Seq Scan" not in plan and "history_moved_out" in plan and "history_moved_in" in plan
