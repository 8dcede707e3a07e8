"""The first import writes no history row per person, team and role, and every history reads as if it had:
the entries are worked out from the import and the changes recorded since."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from trellis.org.edit import PersonEdit, TeamEdit
from trellis.web.org import services
from trellis.web.org.access import Viewer
from trellis.web.org.models import (
    DottedLine,
    HistoryEvent,
    ImportBatch,
    OrgEdit,
    PendingValue,
    Person,
    RoleAssignment,
    Team,
)

pytestmark = pytest.mark.django_db

HEADER = "id,name,level,manager_id,team,department,roles,since\n"
FIRST = HEADER + (
    "cto,Ada,cto,,,,,\n"
    "zed,Zed Lead,engineering-manager,cto,pay,Money,people_manager;people_manager@maps,2021-05-01\n"
    "tl,Cleo,lead-engineer,cto,pay,Money,tech_lead,2022-01-01\n"
    "e1,Dev,software-engineer,zed,pay,Money,,\n"
    "arc,Arlo,software-architect,cto,,,tech_lead@maps,2025-03-01\n"
    "e2,Eli,software-engineer,zed,maps,Geo,,\n"
    "a9,Abe,software-engineer,zed,maps,Geo,,\n"
)
# A month later: Dev moves to maps, Eli leaves, Cleo is promoted and hands pay over, a newcomer joins.
SECOND = (FIRST.replace("e1,Dev,software-engineer,zed,pay,Money", "e1,Dev,software-engineer,zed,maps,Geo")
          .replace("e2,Eli,software-engineer,zed,maps,Geo,,\n", "")
          .replace("tl,Cleo,lead-engineer,cto,pay,Money,tech_lead,2022-01-01",
                   "tl,Cleo,software-architect,cto,pay,Money,,2025-04-01")
          + "new,Nia,software-engineer,zed,pay,Money,,\n")
D1, D2, D3 = date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1)


def scenario(baseline_history: bool) -> dict[str, list[tuple[object, ...]]]:
    services.apply_import(FIRST, "first.csv", as_of=D1, baseline_history=baseline_history)
    services.apply_import(SECOND, "second.csv", as_of=D2, allow_mass_leave=True)
    viewer = _privileged()
    services.edit_team(TeamEdit("maps", name="Maps & Geo"), viewer=viewer, reason="renamed", as_of=D3)
    services.edit_person(PersonEdit("a9", team="pay"), viewer=viewer, reason="moved", as_of=D3)
    histories: dict[str, list[tuple[object, ...]]] = {}
    for pid in Person.objects.values_list("external_id", flat=True):
        histories[pid] = _shown(services.history_for_person(pid))
    for name in Team.objects.values_list("name", flat=True):
        histories[f"team:{name}"] = _shown(services.history_for_team(name))
    return histories


def _privileged() -> Viewer:
    from django.contrib.auth.models import User

    user = User.objects.get_or_create(username="root", defaults={"is_superuser": True, "is_staff": True})[0]
    return Viewer.of(user)


def _shown(changes: list[services.Change]) -> list[tuple[object, ...]]:
    return [(c.kind, c.effective, c.person_id, c.team, c.old, c.new, c.old_since, c.source) for c in changes]


def _empty() -> None:
    with connection.cursor() as cursor:
        for model in (PendingValue, HistoryEvent, OrgEdit, ImportBatch, RoleAssignment, DottedLine, Person, Team):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def test_every_history_reads_the_same_with_or_without_the_first_imports_rows():
    with_rows = scenario(baseline_history=True)
    assert HistoryEvent.objects.filter(batch=ImportBatch.objects.order_by("id").first()).count() > 0
    _empty()
    without = scenario(baseline_history=False)
    assert HistoryEvent.objects.filter(effective=D1).count() == 0
    assert without == with_rows
    assert [k for k, *_ in without["tl"]] == ["role-gained", "joined", "level-changed", "role-lost"]
    assert [(k, p) for k, _, p, *_ in without["team:Maps & Geo"][:5]] == [
        ("role-gained", "zed"), ("team-created", None), ("joined", "e2"), ("joined", "a9"), ("role-gained", "arc")]


def test_the_first_import_writes_no_row_per_person_by_default():
    services.apply_import(FIRST, "first.csv", as_of=D1)
    assert HistoryEvent.objects.count() == 0
    assert ImportBatch.objects.get().summary["baseline_history"] is False
    assert [c.kind for c in services.history_for_person("e1")] == ["joined"]
    assert services.history_for_person("e1")[0].source.startswith("import of first.csv by the command line on ")

