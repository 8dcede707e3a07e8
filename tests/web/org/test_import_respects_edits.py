"""An edit made in Trellis stays pending until a file agrees; a file that differs is a conflict."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web.org.edits import HEADER, ORG, imported
from trellis.org.edit import PersonEdit, TeamEdit
from trellis.web.org import services
from trellis.web.org.access import Viewer
from trellis.web.org.models import HistoryEvent, PendingValue, Person, Team

pytestmark = pytest.mark.django_db
LATER = date(2025, 9, 1)
# The HR system's next export: it has not heard of the promotion, and Femi moved team.
NEXT = ORG.replace("e2,Femi,,senior-software-engineer,em1,,search,", "e2,Femi,,senior-software-engineer,em1,,payments,")


@pytest.fixture
def promoted(db, hannah):  # type: ignore[no-untyped-def]
    imported()
    services.edit_person(PersonEdit("e1", level="senior-software-engineer"), viewer=Viewer.of(hannah), user=hannah,
                         reason="promoted in the spring round", as_of=date(2025, 4, 1))


def test_a_file_that_differs_is_refused_and_lists_each_conflict(promoted):
    with pytest.raises(services.ImportConflicts) as refused:
        services.apply_import(NEXT, "next.csv", as_of=LATER)
    [conflict] = refused.value.conflicts
    assert conflict.describe() == ("e1: level is senior-software-engineer in Trellis (changed by hannah on "
                                   f"{conflict.pending.at.date().isoformat()}: promoted in the spring round) but "
                                   "software-engineer in the file")
    assert "--prefer-file" in refused.value.problems[-1].message
    assert Person.objects.get(external_id="e2").team.name == "search"  # nothing was imported


def test_a_dry_run_shows_the_same_conflicts(promoted):
    with pytest.raises(services.ImportConflicts):
        services.preview_import(NEXT, "next.csv", as_of=LATER)
    plan = services.preview_import(NEXT, "next.csv", as_of=LATER, prefer="trellis")
    assert [c.subject for c in plan.conflicts] == ["e1"]


def test_preferring_the_file_applies_it_and_records_that_it_reverted_the_edit(promoted):
    services.apply_import(NEXT, "next.csv", as_of=LATER, prefer="file")
    assert Person.objects.get(external_id="e1").level == "software-engineer"
    assert PendingValue.objects.get(subject="e1").state == PendingValue.REVERTED
    change = services.history_for_person("e1")[-1]
    assert change.kind == "level-changed" and change.new == "software-engineer"
    assert "reverts the edit by hannah" in change.source and "promoted in the spring round" in change.source


def test_preferring_trellis_keeps_the_edit_pending_and_applies_everything_else(promoted):
    services.apply_import(NEXT, "next.csv", as_of=LATER, prefer="trellis")
    assert Person.objects.get(external_id="e1").level == "senior-software-engineer"
    assert Person.objects.get(external_id="e2").team.name == "payments"
    assert PendingValue.objects.get(subject="e1").state == PendingValue.PENDING
    with pytest.raises(services.ImportConflicts):  # the next import asks again
        services.apply_import(NEXT, "next.csv", as_of=LATER)


def test_a_file_that_agrees_confirms_the_edit(promoted):
    caught_up = NEXT.replace("e1,Eve,,software-engineer,", "e1,Eve,,senior-software-engineer,")
    services.apply_import(caught_up, "next.csv", as_of=LATER)
    assert PendingValue.objects.get(subject="e1").state == PendingValue.CONFIRMED
    assert Person.objects.get(external_id="e2").team.name == "payments"


def test_a_file_without_the_preferred_track_column_keeps_what_people_stated(promoted):
    columns = HEADER.strip().split(",")
    i = columns.index("preferred_track")
    rows = [line.split(",") for line in ORG.strip().split("\n")]
    text = "\n".join(",".join(c for j, c in enumerate(row) if j != i) for row in rows) + "\n"
    text = text.replace("e1,Eve,,software-engineer,", "e1,Eve,,senior-software-engineer,")
    services.apply_import(text, "hr.csv", as_of=LATER)
    assert Person.objects.get(external_id="cto").preferred_track == "technical"
    assert not HistoryEvent.objects.filter(kind="preferred-track-changed").exists()


def test_a_team_renamed_in_trellis_conflicts_with_a_file_that_still_uses_the_old_name(promoted, hannah):
    services.edit_team(TeamEdit("search", name="Discovery"), viewer=Viewer.of(hannah), user=hannah,
                       reason="new name", as_of=date(2025, 5, 1))
    caught_up = ORG.replace("e1,Eve,,software-engineer,", "e1,Eve,,senior-software-engineer,")
    with pytest.raises(services.ImportConflicts, match="search"):
        services.apply_import(caught_up, "next.csv", as_of=LATER)
    services.apply_import(caught_up, "next.csv", as_of=LATER, prefer="trellis")
    assert set(Team.objects.values_list("name", flat=True)) == {"payments", "Discovery"}
    assert Person.objects.get(external_id="e2").team.name == "Discovery"
    assert [c.kind for c in services.history_for_team("Discovery")].count("team-renamed") == 1


def test_a_team_rename_reverted_by_the_file_takes_the_old_name_back(promoted, hannah):
    services.edit_team(TeamEdit("search", name="Discovery"), viewer=Viewer.of(hannah), user=hannah,
                       reason="new name", as_of=date(2025, 5, 1))
    caught_up = ORG.replace("e1,Eve,,software-engineer,", "e1,Eve,,senior-software-engineer,")
    services.apply_import(caught_up, "next.csv", as_of=LATER, prefer="file")
    assert set(Team.objects.values_list("name", flat=True)) == {"payments", "search"}
    assert services.load_snapshot(date(2025, 6, 1)).people["e2"].team == "Discovery"
    assert services.load_snapshot(date(2025, 4, 1)).people["e2"].team == "search"
