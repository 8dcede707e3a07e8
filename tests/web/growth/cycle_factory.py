"""Review cycles built through the services, as HR would run them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import User

from trellis.web.growth import services
from trellis.web.growth.models import Cycle, Participant
from trellis.web.org.access import Viewer

TODAY = date(2026, 3, 2)


def hr() -> Viewer:
    return Viewer.operator()


def as_user(name: str) -> Viewer:
    return Viewer.of(User.objects.get(username=name))


def payments_cycle(*, anonymous: bool = True, name: str = "2026 H1", peer_limit: int | None = None) -> Cycle:
    """An open cycle for everyone in Payments: Mia, Tess, Ben and Cy."""
    cycle = services.create_cycle(hr(), name=name, period_start=date(2026, 1, 1), period_end=date(2026, 6, 30),
                                  rule={"teams": ["Payments"]}, anonymous_peers=anonymous, peer_limit=peer_limit,
                                  self_due=date(2026, 3, 20), review_due=date(2026, 4, 10))
    services.open_cycle(hr(), cycle)
    return cycle


def participant(cycle: Cycle, person_id: str) -> Participant:
    return Participant.objects.select_related("cycle", "person", "self_evaluation").get(
        cycle=cycle, person__external_id=person_id)


def ladder_steps(role: str, step: str = "proficient") -> dict[str, str]:
    from trellis.web.ladders.services import active_ladder

    return {c.id: step for c in active_ladder().competencies if c.rated_by_role(role)}


def submit_pair(cycle: Cycle, person_id: str = "e5", step: str = "proficient") -> None:
    """Each half of the pair the cycle assigned (Tess and Mia for Ben) submits, whether or not they have an account."""
    pt = participant(cycle, person_id)
    summaries = {"tech_lead": "Strong on the craft.", "people_manager": "Growing others well."}
    for review in pt.reviews.select_related("reviewer").order_by("-role"):
        assert review.reviewer is not None, f"{person_id} has no {review.role} to review them"
        by = Viewer.acting_as(review.reviewer.pk, review.reviewer.external_id)
        services.save_review(by, participant(cycle, person_id), review.role,
                             ratings=ladder_steps(review.role, step), summary=summaries[review.role], submit=True)


def peers_answer(cycle: Cycle, names: list[str], person_id: str = "e5", **ratings: Any) -> None:
    """Each named person is nominated, approved by the manager, and answers."""
    pt = participant(cycle, person_id)
    for name in names:
        peer = as_user(name)
        nomination = services.nominate(as_user("ben") if person_id == "e5" else hr(), pt, peer.person_id or "")
        services.decide_nomination(as_user("mia"), nomination, True)
        services.give_feedback(as_user(name), participant(cycle, person_id),
                               ratings=ratings or {"craft": "advanced"}, comments=f"Comment by someone ({len(name)})")


def ask_for_feedback(cycle: Cycle, person_id: str, peer_id: str) -> None:
    """HR nominates ``peer_id`` to give ``person_id`` feedback and approves it."""
    pt = participant(cycle, person_id)
    services.decide_nomination(hr(), services.nominate(hr(), pt, peer_id), True)
