"""Import then export through the database gives back the very file: any organisation, byte for byte."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import example, given, settings

from tests.org.test_write_org_csv import AS_OF, LADDER, organisations
from trellis.org.csvio import read_org_csv, write_org_csv
from trellis.org.model import OrgSnapshot
from trellis.web.org import services
from trellis.web.org.models import Person, RoleAssignment, Team

pytestmark = pytest.mark.django_db

# Always tried as well: an architect leading three teams, one of which nobody works in, a
# manager of two teams, names in several scripts and a value CSV must quote.
ARCHITECT_AND_MANAGER_OF_TWO = read_org_csv(
    "id,name,level,manager_id,dotted_manager_ids,team,department,roles,since\n"
    "a1,Åsa Ørsted,software-architect,c1,m1,,,tech_lead@Zahlungsverkehr;tech_lead@Données;tech_lead@地図,2024-02-01\n"
    "c1,Чэнь Ли,cto,,,,,,\n"
    'm1,"Nguyễn, Vũ",engineering-manager,c1,,Données,Plateforme,people_manager;people_manager@Zahlungsverkehr,\n'
    "e1,Zoë,software-engineer,m1,,Zahlungsverkehr,Geld,,2023-05-06\n",
    "example.csv", LADDER, as_of=AS_OF, known_teams={"地図"})


@settings(max_examples=15, deadline=None, derandomize=True)
@given(organisations())
@example(ARCHITECT_AND_MANAGER_OF_TWO)
def test_exporting_what_was_imported_gives_the_same_bytes_and_importing_that_changes_nothing(org: OrgSnapshot):
    text = write_org_csv(org)
    with transaction.atomic():  # each example starts from an empty organisation: undone at the end
        # A team that is only led (nobody's own team) must already exist: the file alone cannot name it.
        members = {p.team for p in org.people.values()}
        Team.objects.bulk_create([Team(name=name) for name in org.teams if name not in members])
        plan = services.apply_import(text, "org.csv", as_of=AS_OF)
        assert plan.counts.get("joined") == len(org.people)
        assert RoleAssignment.objects.count() == len(org.roles)
        exported = services.export_csv()
        assert exported.encode("utf-8") == text.encode("utf-8")
        again = services.apply_import(exported, "export.csv", as_of=AS_OF)
        assert again.is_empty and again.changes == []
        assert Person.objects.count() == len(org.people)
        transaction.set_rollback(True)
