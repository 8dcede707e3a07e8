"""An import is read and planned before it takes the write lock; what is written meanwhile is never lost.

Planning 100,000 people takes seconds: on SQLite, sign-ins (which write) would wait for all of it
if the plan were made holding the lock. Under the lock the import checks that nothing changed since
it planned, and plans again when something did.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from tests.web.org.edits import ORG, imported
from trellis.org.edit import PersonEdit
from trellis.web.org import services, version
from trellis.web.org.access import Viewer
from trellis.web.org.models import HistoryEvent, ImportBatch, PendingValue, Person

LATER = date(2025, 9, 1)
# The HR system's next export: it has not heard of Emma's promotion, and Femi moved team.
NEXT = ORG.replace("e2,Femi,,senior-software-engineer,em1,,search,", "e2,Femi,,senior-software-engineer,em1,,payments,")


def _promote_meanwhile(monkeypatch, hannah):  # type: ignore[no-untyped-def]
    """Between the plan and the lock, another process promotes e1 in Trellis (its own transaction)."""
    planned = services._planned
    calls: list[date] = []

    def plan_then_edit(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[2])
        result = planned(*args, **kwargs)
        if len(calls) == 1:
            generation = version._generation
            services.edit_person(PersonEdit("e1", level="senior-software-engineer"), viewer=Viewer.of(hannah),
                                 user=hannah, reason="promoted in the autumn round", as_of=LATER)
            version._generation = generation  # another process's edit: only the database shows it
        return result

    monkeypatch.setattr(services, "_planned", plan_then_edit)
    return calls


@pytest.mark.django_db(transaction=True)
def test_the_file_is_planned_outside_the_write_transaction(monkeypatch):
    imported()
    seen: list[bool] = []
    load = services._load_state
    monkeypatch.setattr(services, "_load_state",
                        lambda as_of, *rest: seen.append(connection.in_atomic_block) or load(as_of, *rest))
    services.apply_import(NEXT, "next.csv", as_of=LATER, judge_health=False)
    assert seen == [False]  # read once, outside any transaction: nothing changed before the lock
    assert Person.objects.get(external_id="e2").team.name == "payments"


@pytest.mark.django_db
def test_an_edit_made_between_the_plan_and_the_lock_is_seen_and_the_file_refused(monkeypatch, hannah):
    imported()
    calls = _promote_meanwhile(monkeypatch, hannah)
    batches = ImportBatch.objects.count()
    with pytest.raises(services.ImportConflicts) as refused:
        services.apply_import(NEXT, "next.csv", as_of=LATER, judge_health=False)
    assert calls == [LATER, LATER]  # planned, then planned again under the lock
    assert [c.subject for c in refused.value.conflicts] == ["e1"]
    assert Person.objects.get(external_id="e1").level == "senior-software-engineer"  # the edit is kept
    assert Person.objects.get(external_id="e2").team.name == "search"  # nothing of the file was written
    assert ImportBatch.objects.count() == batches


@pytest.mark.django_db
def test_preferring_trellis_keeps_an_edit_made_meanwhile_and_records_every_change_once(monkeypatch, hannah):
    imported()
    _promote_meanwhile(monkeypatch, hannah)
    services.apply_import(NEXT, "next.csv", as_of=LATER, prefer="trellis", judge_health=False)
    assert Person.objects.get(external_id="e1").level == "senior-software-engineer"
    assert PendingValue.objects.get(subject="e1").state == PendingValue.PENDING
    assert Person.objects.get(external_id="e2").team.name == "payments"
    assert HistoryEvent.objects.filter(person_id_ext="e1", kind="level-changed").count() == 1
    assert HistoryEvent.objects.filter(person_id_ext="e2", kind="team-changed").count() == 1


@pytest.mark.django_db
def test_a_second_import_while_the_first_is_planning_is_refused_cleanly(monkeypatch):
    imported()
    planned = services._planned
    refused: list[str] = []

    def plan_while_another_starts(*args, **kwargs):  # type: ignore[no-untyped-def]
        with pytest.raises(services.ImportRunning) as caught:
            services.apply_import(NEXT, "other.csv", as_of=LATER, judge_health=False)
        refused.append(str(caught.value))
        return planned(*args, **kwargs)

    monkeypatch.setattr(services, "_planned", plan_while_another_starts)
    services.apply_import(NEXT, "next.csv", as_of=LATER, judge_health=False)
    assert len(refused) == 1 and "an import is running since" in refused[0] and "(next.csv)" in refused[0]
    assert ImportBatch.objects.filter(source="other.csv").count() == 0
    assert Person.objects.get(external_id="e2").team.name == "payments"


@pytest.mark.django_db(transaction=True)
def test_an_edit_is_planned_and_judged_outside_the_write_transaction_too(monkeypatch):
    from django.contrib.auth.models import User

    imported()
    admin = User.objects.create_user("ada", is_superuser=True)
    seen: list[bool] = []
    load = services._load_state
    monkeypatch.setattr(services, "_load_state", lambda as_of: seen.append(connection.in_atomic_block) or load(as_of))
    outcome = services.edit_person(PersonEdit("e1", level="senior-software-engineer"), viewer=Viewer.of(admin),
                                   user=admin, reason="promoted", as_of=LATER)
    assert outcome.applied and outcome.health is not None
    assert seen and not any(seen)  # its plan, and the health judged once it was written
    assert Person.objects.get(external_id="e1").level == "senior-software-engineer"


@pytest.mark.django_db
def test_an_edit_planned_while_another_was_written_is_planned_again(monkeypatch, hannah):
    imported()
    viewer = Viewer.of(hannah)
    load = services._load_state
    loads: list[date] = []

    def load_then_another_edit(as_of: date) -> services._State:
        loads.append(as_of)
        state = load(as_of)
        if len(loads) == 1:  # another writer moves Femi meanwhile
            generation = version._generation
            services.edit_person(PersonEdit("e2", team="payments"), viewer=viewer, reason="moved", as_of=LATER,
                                 health=False)
            version._generation = generation
        return state

    monkeypatch.setattr(services, "_load_state", load_then_another_edit)
    services.edit_person(PersonEdit("e1", level="senior-software-engineer"), viewer=viewer, reason="promoted",
                         as_of=LATER)
    # Written from its first plan, the promotion would have put Femi back in search.
    assert Person.objects.get(external_id="e2").team.name == "payments"  # neither edit was lost
    assert Person.objects.get(external_id="e1").level == "senior-software-engineer"
    assert HistoryEvent.objects.filter(person_id_ext__in=["e1", "e2"], effective=LATER).count() == 2
