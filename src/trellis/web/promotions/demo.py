"""Proposals for the demo organisation: one in each state, one held by the Peter-Principle guard."""

from __future__ import annotations

from datetime import timedelta

from trellis.lib import clock
from trellis.org.model import PEOPLE_MANAGER, TECH_LEAD
from trellis.promotions.rules import Handover, next_level
from trellis.web.growth.models import Evidence
from trellis.web.ladders.services import active_ladder
from trellis.web.org.access import Viewer
from trellis.web.org.models import Person, RoleAssignment
from trellis.web.promotions import services
from trellis.web.promotions.models import Proposal


def _by_manager(person: Person) -> Viewer:
    assert person.manager is not None
    return Viewer.acting_as(person.manager.pk, person.manager.external_id)


def demo_proposals() -> list[str]:
    """Made through the services like any others, by each person's own manager. Idempotent: none
    are added when proposals exist."""
    if Proposal.objects.exists():
        return []
    ladder = active_ladder()
    operator = Viewer.operator()
    today = clock.today()
    with_manager = (Person.objects.filter(active=True, manager__isnull=False, manager__active=True)
                    .select_related("manager").order_by("external_id"))
    used: set[int] = set()

    def pick(**lookups: object) -> Person | None:
        found = with_manager.filter(**lookups).exclude(pk__in=used).first()
        if found is not None:
            used.add(found.pk)
        return found

    made: list[str] = []
    # A tech lead who prefers the technical track, proposed as their team's manager: held by the guard.
    lead_role = (RoleAssignment.objects.filter(end__isnull=True, role=TECH_LEAD, person__preferred_track="technical",
                                               person__level="lead-engineer", person__manager__isnull=False)
                 .select_related("person", "team").order_by("person__external_id").first())
    if lead_role is not None:
        lead = lead_role.person
        used.add(lead.pk)
        successor = pick(team=lead_role.team, level="senior-software-engineer")
        handovers = [Handover(PEOPLE_MANAGER, lead_role.team.name, lead.external_id),
                     Handover(TECH_LEAD, lead_role.team.name, successor.external_id if successor else None)]
        held = services.propose(lead.external_id, "engineering-manager", viewer=_by_manager(
            Person.objects.select_related("manager").get(pk=lead.pk)), rationale=(
            "Already runs the team's planning and one-to-ones while the manager role is vacant half the time."),
            evidence=["Led the quarterly planning for the team", "Mentors two engineers weekly"],
            effective=today + timedelta(days=30), handovers=handovers)
        made.append(f"proposal {held.pk}: {lead.name} to Engineering Manager, held until they confirm")

    def promotion(level: str, rationale: str) -> Proposal | None:
        person = pick(level=level)
        following = next_level(ladder, level)
        if person is None or following is None:
            return None
        # The two latest entries of their evidence log (the demo's review cycles record some), and a line of text.
        logged = list(Evidence.objects.filter(person=person).order_by("-date", "-id").values_list("pk", flat=True)[:2])
        return services.propose(person.external_id, following.id, viewer=_by_manager(person), rationale=rationale,
                                evidence=["Ran the incident review"], evidence_ids=logged,
                                effective=today + timedelta(days=45))

    submitted = promotion("senior-software-engineer", "Leads the design of the team's services and pairs daily.")
    if submitted is not None:
        services.submit(submitted.pk, viewer=operator)
        made.append(f"proposal {submitted.pk}: submitted")
    in_review = promotion("software-engineer", "Delivers steadily and reviews others' code carefully.")
    if in_review is not None:
        services.submit(in_review.pk, viewer=operator)
        services.comment(in_review.pk, viewer=operator, text="Good evidence of code review; ask for design work.",
                         vote="approve")
        made.append(f"proposal {in_review.pk}: in review")
    approved = promotion("lead-engineer", "Sets the architecture for three teams and the teams keep learning from it.")
    if approved is not None:
        services.submit(approved.pk, viewer=operator)
        services.decide(approved.pk, True, viewer=operator, reason="Clear case; the committee agreed.",
                        effective=today + timedelta(days=14))
        made.append(f"proposal {approved.pk}: approved, takes effect in two weeks")
    declined = promotion("senior-software-engineer", "Strong individual output.")
    if declined is not None:
        services.submit(declined.pk, viewer=operator)
        services.decide(declined.pk, False, viewer=operator,
                        reason="Output is strong; collaboration and mentoring are not yet in evidence.")
        made.append(f"proposal {declined.pk}: declined")
    withdrawn = promotion("software-engineer", "Asked for by the person.")
    if withdrawn is not None:
        services.withdraw(withdrawn.pk, viewer=operator, reason="The person wants another year at this level.")
        made.append(f"proposal {withdrawn.pk}: withdrawn")
    return made
