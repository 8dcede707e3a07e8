"""Importing an organisation file into the database: all or nothing, every change recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from trellis.lib.problems import InputError
from trellis.web.org import services
from trellis.web.org.models import DottedLine, HistoryEvent, ImportBatch, Person, RoleAssignment, Team

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).parent.parent.parent / "docs"

D1 = date(2025, 3, 1)
D2 = date(2025, 9, 1)

HEADER = "id,name,email,level,manager_id,dotted_manager_ids,team,department,roles,preferred_track,since\n"
ORG = HEADER + (
    "cto,Ada Ørsted,ada@example.org,cto,,,,,,technical,2019-01-01\n"
    "em1,Björn Ng,bjorn@example.org,engineering-manager,cto,,payments,Money,people_manager;people_manager@search,"
    "management,2021-05-01\n"
    "tl1,Chloé Diaz,,lead-engineer,cto,em1,payments,Money,tech_lead,technical,2022-01-01\n"
    "arc,Dana Li,,software-architect,cto,em1,,,tech_lead@search,technical,\n"
    "e1,Eve,,software-engineer,em1,,payments,Money,,,\n"
    "e2,Femi,,senior-software-engineer,em1,,search,,,,\n"
)


def table_counts() -> dict[str, int]:
    return {m.__name__: m.objects.count()
            for m in (Person, Team, DottedLine, RoleAssignment, HistoryEvent, ImportBatch)}


def test_a_first_import_stores_people_teams_lines_and_roles():
    plan = services.apply_import(ORG, "org.csv", as_of=D1)
    assert plan.counts["joined"] == 6
    # The first import is a baseline: no history row per person, team and role (a reader works its
    # entries out from the batch, see test_baseline_entries).
    assert table_counts() == {"Person": 6, "Team": 2, "DottedLine": 2, "RoleAssignment": 4,
                              "HistoryEvent": 0, "ImportBatch": 1}
    em = Person.objects.get(external_id="em1")
    assert em.manager is not None and em.manager.external_id == "cto"
    assert sorted(RoleAssignment.objects.filter(person=em).values_list("team__name", "role", "start")) == [
        ("payments", "people_manager", date(2021, 5, 1)), ("search", "people_manager", date(2021, 5, 1))]
    assert Team.objects.get(name="payments").department == "Money"


def test_importing_the_same_file_again_changes_nothing_and_records_nothing():
    services.apply_import(ORG, "org.csv", as_of=D1)
    before = table_counts()
    plan = services.apply_import(ORG, "org.csv", as_of=D2)
    assert plan.is_empty and plan.changes == []
    assert table_counts() == before


def test_a_bad_file_writes_nothing():
    services.apply_import(ORG, "org.csv", as_of=D1)
    before = table_counts()
    with pytest.raises(InputError):
        services.apply_import(ORG + "e3,Gil,,no-such-level,em1,,,,,,\n", "org.csv", as_of=D2)
    assert table_counts() == before


def test_the_organisation_exported_after_an_import_is_the_file_sorted_by_id():
    services.apply_import(ORG, "org.csv", as_of=D1)
    rows = ORG.splitlines(keepends=True)[1:]
    expected = sorted(row.replace(",,,\n", ",,undecided,\n") for row in rows)
    assert services.export_csv() == HEADER + "".join(expected)


def test_the_example_file_in_the_docs_imports_cleanly():
    example = DOCS / "examples" / "org.csv"
    plan = services.apply_import(example.read_bytes(), str(example), as_of=D1)
    assert plan.counts["joined"] == 11
    assert services.export_csv() == example.read_text(encoding="utf-8")


def test_an_import_dated_before_the_last_one_is_refused():
    services.apply_import(ORG, "org.csv", as_of=D2)
    before = table_counts()
    changed = ORG.replace("Eve,", "Eve Ek,")
    for attempt in (services.preview_import, services.apply_import):
        with pytest.raises(InputError) as caught:
            attempt(changed, "late.csv", as_of=D1)
        assert str(caught.value) == ("late.csv: error: an import dated 2025-03-01 cannot follow the one dated "
                                     "2025-09-01: date it 2025-09-01 or later (--as-of), with 'since' for changes "
                                     "that happened earlier")
    assert table_counts() == before


def test_a_team_whose_members_all_moved_can_still_be_led_in_the_next_import():
    services.apply_import(ORG, "org.csv", as_of=D1)
    moved = ORG.replace("em1,,search,", "em1,,payments,")
    plan = services.apply_import(moved, "moved.csv", as_of=D2)
    assert plan.counts == {"team-changed": 1}
    assert sorted(RoleAssignment.objects.filter(team__name="search", end=None).values_list("person__external_id",
                                                                                          "role")) == [
        ("arc", "tech_lead"), ("em1", "people_manager")]
    export = services.export_csv()
    assert ",search," not in export and "tech_lead@search" in export  # nobody works in search, two lead it
    assert services.apply_import(export, "export.csv", as_of=D2).is_empty


def test_a_role_on_a_team_that_neither_the_file_nor_the_database_has_is_refused():
    services.apply_import(ORG, "org.csv", as_of=D1)
    before = table_counts()
    with pytest.raises(InputError) as caught:
        services.apply_import(ORG.replace("tech_lead@search", "tech_lead@serch"), "typo.csv", as_of=D2)
    assert [(p.line, p.column) for p in caught.value.problems] == [(5, "roles")]
    assert "did you mean 'search'?" in caught.value.problems[0].message
    assert table_counts() == before
