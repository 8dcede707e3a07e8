"""HR and admin change a person inside Trellis: checked like an import, all or nothing, with its source."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from tests.web.org.edits import IMPORTED, imported
from trellis.lib import clock
from trellis.lib.problems import InputError
from trellis.org.edit import PersonEdit
from trellis.web.org import services
from trellis.web.org.access import Viewer
from trellis.web.org.models import HistoryEvent, PendingValue, Person, RoleAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    imported()


def edit(who, reason: str = "fixing the record", **fields):  # type: ignore[no-untyped-def]
    person, as_of = fields.pop("person", "e1"), fields.pop("as_of", None)
    return services.edit_person(PersonEdit(person, **fields), viewer=Viewer.of(who), user=who, reason=reason,
                                as_of=as_of)


def test_hr_promotes_a_person_and_the_history_says_who_why_and_when(org, hannah):
    outcome = edit(hannah, "promoted in the spring round", level="senior-software-engineer")
    assert outcome.applied and Person.objects.get(external_id="e1").level == "senior-software-engineer"
    change = services.history_for_person("e1")[-1]
    assert change.kind == "level-changed" and change.effective == clock.today()
    assert change.source == f"edit by hannah on {clock.today().isoformat()}: promoted in the spring round"
    assert PendingValue.objects.get(subject="e1", field="level").value == "senior-software-engineer"


def test_an_ordinary_user_may_not_edit_and_nothing_changes(org, charlie):
    with pytest.raises(PermissionDenied):
        edit(charlie, level="senior-software-engineer")
    assert Person.objects.get(external_id="e1").level == "software-engineer"
    assert not HistoryEvent.objects.filter(kind="level-changed").exists()


def test_every_bad_field_is_named_at_once_and_nothing_is_written(org, alice):
    events = HistoryEvent.objects.count()
    with pytest.raises(InputError) as error:
        edit(alice, level="senior-sofware-engineer", manager_id="nobody", team="paymnts",
             add_roles=(("tech_lead", "serch"),))
    messages = {p.column: p.message for p in error.value.problems}
    assert "did you mean 'senior-software-engineer'" in messages["level"]
    assert "there is no person with id 'nobody'" in messages["manager_id"]
    assert "did you mean 'payments'" in messages["team"]
    assert "did you mean 'search'" in messages["add_role"]
    assert HistoryEvent.objects.count() == events and not PendingValue.objects.exists()


def test_a_reporting_cycle_is_refused(org, alice):
    with pytest.raises(InputError, match=r"reporting cycle: em1 -> e1 -> em1"):
        edit(alice, person="em1", manager_id="e1")


def test_an_edit_may_not_be_dated_after_today(org, alice):
    with pytest.raises(InputError, match="is after today"):
        edit(alice, level="senior-software-engineer", as_of=clock.today() + timedelta(days=1))


def test_a_back_dated_edit_changes_the_organisation_as_it_was_from_that_day(org, alice):
    day = IMPORTED + timedelta(days=30)
    edit(alice, "the promotion was in April", level="senior-software-engineer", as_of=day)
    assert services.load_snapshot(day - timedelta(days=1)).people["e1"].level == "software-engineer"
    assert services.load_snapshot(day).people["e1"].level == "senior-software-engineer"
    assert services.load_snapshot(day + timedelta(days=5)).people["e1"].level_since == day


def test_a_back_dated_edit_may_not_come_before_the_last_recorded_change_of_that_field(org, alice):
    edit(alice, level="senior-software-engineer", as_of=IMPORTED + timedelta(days=30))
    with pytest.raises(InputError, match=r"The level last changed on 2025-03-31: date this edit on or after"):
        edit(alice, level="lead-engineer", as_of=IMPORTED + timedelta(days=10))


def test_a_dry_run_writes_nothing_and_shows_the_findings_it_would_bring(org, alice):
    outcome = services.edit_person(PersonEdit("tl1", remove_roles=(("tech_lead", "payments"),)),
                                   viewer=Viewer.of(alice), reason="moving on", dry_run=True)
    assert not outcome.applied
    assert [(f.code, f.team) for f in outcome.health.appeared] == [("no-tech-lead", "payments")]
    assert RoleAssignment.objects.filter(person__external_id="tl1", end__isnull=True).count() == 1


def test_roles_are_given_and_taken_on_any_team(org, alice):
    edit(alice, person="arc", add_roles=(("tech_lead", "payments"),), remove_roles=(("tech_lead", "search"),))
    held = set(RoleAssignment.objects.filter(person__external_id="arc", end__isnull=True)
               .values_list("team__name", "role"))
    assert held == {("payments", "tech_lead")}
    kinds = [c.kind for c in services.history_for_person("arc")[-2:]]
    assert sorted(kinds) == ["role-gained", "role-lost"]


def test_someone_with_reports_cannot_leave_until_they_have_another_manager(org, alice):
    with pytest.raises(InputError, match=r"still has direct reports \(e1, e2\)"):
        edit(alice, person="em1", leave=True)


def test_a_person_who_leaves_hands_over_their_roles_and_can_come_back(org, alice):
    edit(alice, "left the company", person="arc", leave=True)
    assert not Person.objects.get(external_id="arc").active
    assert not RoleAssignment.objects.filter(person__external_id="arc", end__isnull=True).exists()
    with pytest.raises(InputError, match="has left: mark them as back"):
        edit(alice, person="arc", level="principal-architect")
    edit(alice, "came back", person="arc", rejoin=True)
    assert Person.objects.get(external_id="arc").active


def test_a_person_states_their_own_preferred_track_and_nothing_else(org, charlie):
    Person.objects.filter(external_id="e1").update(user=charlie)
    outcome = edit(charlie, "I want to grow as an engineer", preferred_track="technical")
    assert outcome.applied and Person.objects.get(external_id="e1").preferred_track == "technical"
    assert services.history_for_person("e1")[-1].kind == "preferred-track-changed"
    with pytest.raises(PermissionDenied):
        edit(charlie, level="lead-engineer")
    with pytest.raises(PermissionDenied):
        edit(charlie, person="e2", preferred_track="management")


def test_a_manager_may_not_change_their_reports_preferred_track(org, charlie):
    Person.objects.filter(external_id="em1").update(user=charlie)
    with pytest.raises(PermissionDenied):
        edit(charlie, preferred_track="management")


def test_an_edit_that_changes_nothing_writes_nothing(org, alice):
    outcome = edit(alice, level="software-engineer")
    assert not outcome.applied and outcome.plan.is_empty


def test_a_reason_is_required(org, alice):
    with pytest.raises(InputError, match="say why"):
        edit(alice, reason="  ", level="senior-software-engineer")


def test_the_history_of_an_import_names_its_file(org):
    assert services.history_for_person("e1")[0].source.startswith("import of org.csv by the command line on ")


def test_a_later_edit_of_the_same_field_replaces_the_pending_one(org, alice):
    edit(alice, level="senior-software-engineer")
    edit(alice, level="lead-engineer")
    states = dict(PendingValue.objects.filter(subject="e1", field="level").values_list("value", "state"))
    assert states == {"senior-software-engineer": "superseded", "lead-engineer": "pending"}


def test_today_is_the_one_clock(org, alice):
    with clock.frozen(date(2026, 1, 15)):
        edit(alice, level="senior-software-engineer")
    assert services.history_for_person("e1")[-1].effective == date(2026, 1, 15)


def test_an_edit_may_not_be_dated_before_the_records_begin(org, alice):
    with pytest.raises(InputError, match="there is no data before 2025-03-01"):
        edit(alice, level="senior-software-engineer", as_of=IMPORTED - timedelta(days=1))
