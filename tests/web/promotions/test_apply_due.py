"""An approved proposal changes the organisation on its effective date, once, through the one writer,
with the proposal as the source in the history; ``apply-due`` and the web both apply what is due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from trellis.cli import app
from trellis.lib import clock
from trellis.promotions.rules import Handover
from trellis.web.org.access import Viewer
from trellis.web.org.models import HistoryEvent, Person, RoleAssignment
from trellis.web.promotions import services
from trellis.web.promotions.models import Proposal

pytestmark = pytest.mark.django_db


def approved_tess_as_manager(days: int, decider: User | None = None) -> Proposal:
    """Mia's proposal that Tess manage Payments (Ben takes over as tech lead), approved (by ``decider``,
    or the command line's operator) to take effect in ``days`` days."""
    mia = Viewer.of(User.objects.get(username="mia"))
    proposal = services.propose("e4", "engineering-manager", viewer=mia, rationale="Runs the team already",
                                handovers=[Handover("people_manager", "Payments", "e4"),
                                           Handover("tech_lead", "Payments", "e5")])
    services.consent(proposal.pk, viewer=Viewer.of(User.objects.get(username="tess")))
    services.submit(proposal.pk, viewer=mia)
    return services.decide(proposal.pk, True, viewer=Viewer.of(decider) if decider else Viewer.operator(),
                           user=decider, reason="Ready", effective=clock.today() + timedelta(days=days))


def holders(team: str, role: str) -> set[str]:
    return set(RoleAssignment.objects.filter(team__name=team, role=role, end__isnull=True)
               .values_list("person__external_id", flat=True))


def test_an_approval_dated_today_changes_level_track_and_roles_at_once_with_the_proposal_as_source(org):
    proposal = approved_tess_as_manager(0)
    assert proposal.applied_on == clock.today()
    assert Person.objects.get(external_id="e4").level == "engineering-manager"
    assert holders("Payments", "people_manager") == {"e4"} and holders("Payments", "tech_lead") == {"e5"}
    kinds = set(HistoryEvent.objects.filter(person_id_ext="e4", effective=clock.today())
                .values_list("kind", flat=True))
    assert {"level-changed", "track-changed", "role-gained", "role-lost"} <= kinds
    history = services_history("e4")
    assert f"proposal {proposal.pk}" in history


def services_history(person_id: str) -> str:
    from trellis.web.org.services import history_for_person

    return " ".join(str(c) for c in history_for_person(person_id))


def test_apply_due_applies_on_the_date_once(org, runner):
    proposal = approved_tess_as_manager(7)
    assert Person.objects.get(external_id="e4").level == "lead-engineer"
    assert runner.invoke(app, ["promotions", "apply-due"]).output.strip().endswith("0 proposals applied.")
    later = clock.today() + timedelta(days=7)
    with clock.frozen(later):
        first = runner.invoke(app, ["promotions", "apply-due"])
        assert first.exit_code == 0 and "1 proposal applied." in first.output
        events = HistoryEvent.objects.count()
        again = runner.invoke(app, ["promotions", "apply-due"])
        assert again.exit_code == 0 and "0 proposals applied." in again.output
        assert HistoryEvent.objects.count() == events
    assert Proposal.objects.get(pk=proposal.pk).applied_on == later
    assert Person.objects.get(external_id="e4").level == "engineering-manager"


def test_the_web_applies_what_is_due_on_its_first_request_of_the_day(org, client):
    approved_tess_as_manager(3)
    client.force_login(User.objects.get(username="mia"))
    with clock.frozen(clock.today() + timedelta(days=3)):
        client.get("/promotions/")
    assert Person.objects.get(external_id="e4").level == "engineering-manager"


def test_apply_due_refuses_a_date_after_today(org, runner):
    result = runner.invoke(app, ["promotions", "apply-due", "--as-of", "2999-01-01"])
    assert result.exit_code == 1 and "after today" in result.output
