"""What the history says about one person or one team, oldest first, with effective dates."""

from __future__ import annotations

from datetime import date

import pytest

from trellis.web.org import services

pytestmark = pytest.mark.django_db

HEADER = "id,name,level,manager_id,team,department,roles,since\n"
FIRST = HEADER + (
    "cto,Ada,cto,,,,,\n"
    "em,Ben,engineering-manager,cto,pay,Money,people_manager,\n"
    "tl,Cleo,lead-engineer,cto,pay,Money,tech_lead,2022-01-01\n"
    "e1,Dev,software-engineer,em,pay,Money,,\n"
    "e2,Eli,software-engineer,em,pay,Money,,\n"
)
SECOND = FIRST.replace("e1,Dev,software-engineer,em,pay,Money", "e1,Dev,software-engineer,cto,maps,Geo").replace(
    "tl,Cleo,lead-engineer,cto,pay,Money,tech_lead,2022-01-01", "tl,Cleo,software-architect,cto,,,"
    "tech_lead@pay;tech_lead@maps,2025-08-01")
D1, D2 = date(2025, 3, 1), date(2025, 9, 1)


def test_a_team_history_has_its_creation_its_roles_and_people_moving_in_and_out():
    services.apply_import(FIRST, "first.csv", as_of=D1)
    services.apply_import(SECOND, "second.csv", as_of=D2)
    pay = [(c.kind, c.person_id, c.old, c.new, c.effective) for c in services.history_for_team("pay")]
    assert pay[0] == ("role-gained", "tl", None, "tech_lead@pay", date(2022, 1, 1))
    assert ("team-created", None, None, "Money", D1) in pay
    assert ("team-changed", "e1", "pay", "maps", D2) in pay
    assert ("team-changed", "tl", "pay", None, D2) in pay
    maps = [(c.kind, c.person_id, c.new, c.effective) for c in services.history_for_team("maps")]
    assert maps == [("role-gained", "tl", "tech_lead@maps", date(2025, 8, 1)), ("team-created", None, "Geo", D2),
                    ("team-changed", "e1", "maps", D2)]


def test_a_person_history_is_oldest_first_and_says_since_when():
    services.apply_import(FIRST, "first.csv", as_of=D1)
    services.apply_import(SECOND, "second.csv", as_of=D2)
    tl = [(c.kind, c.old, c.new, c.effective) for c in services.history_for_person("tl")]
    assert tl == [
        ("role-gained", None, "tech_lead@pay", date(2022, 1, 1)),
        ("joined", None, "Cleo", D1),
        ("level-changed", "lead-engineer", "software-architect", date(2025, 8, 1)),
        ("role-gained", None, "tech_lead@maps", date(2025, 8, 1)),
        ("team-changed", "pay", None, D2),
    ]
    assert services.history_for_person("nobody") == []


def test_the_snapshot_on_a_past_date_is_the_organisation_then():
    services.apply_import(FIRST, "first.csv", as_of=D1)
    services.apply_import(SECOND, "second.csv", as_of=D2)
    then = services.load_snapshot(date(2025, 5, 1))
    assert then.people["tl"].level == "lead-engineer" and then.people["e1"].team == "pay"
    assert [r.team for r in then.person_roles("tl")] == ["pay"]
    assert "maps" not in then.teams
    now = services.load_snapshot()
    assert now.people["tl"].level == "software-architect"
    assert sorted(r.team for r in now.person_roles("tl")) == ["maps", "pay"]
