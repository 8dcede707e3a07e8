"""E-mail about review cycles, through Django's e-mail framework (SMTP in production).

A cycle opens, the other half of the pair has submitted, results are released. Each person can
turn these off (``NotificationSetting``). A message says that something happened and links to
it, never its content; each goes to one recipient, so nobody learns who else was told.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.mail import send_mass_mail

from trellis.web.growth.models import Cycle, NotificationSetting, Review
from trellis.web.org.models import Person

# Set while the demo organisation is made: its generated people have addresses that are nobody's.
_quiet: ContextVar[bool] = ContextVar("trellis_growth_quiet", default=False)


@contextmanager
def quiet() -> Iterator[None]:
    """Send nothing inside this block."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def wants_email(user: Any) -> bool:
    setting = NotificationSetting.objects.filter(user=user).first() if user is not None else None
    return setting.email if setting is not None else True


def set_email(user: Any, enabled: bool) -> None:
    NotificationSetting.objects.update_or_create(user=user, defaults={"email": enabled})


def _send(subject: str, body: str, people: Iterable[Person]) -> int:
    if _quiet.get():
        return 0
    chosen = list(people)
    off = set(NotificationSetting.objects.filter(user__person__in=chosen, email=False)
              .values_list("user__person__pk", flat=True))
    addresses = sorted({p.email for p in chosen if p.email and p.pk not in off})
    return send_mass_mail([(subject, body, None, [a]) for a in addresses], fail_silently=True)


def cycle_opened(cycle: Cycle) -> int:
    """Told to every participant when a cycle opens."""
    due = f" by {cycle.self_due:%d %B %Y}" if cycle.self_due else ""
    people = Person.objects.filter(cycles__cycle=cycle)
    return _send(f"Review cycle {cycle.name} is open",
                 f"The review cycle {cycle.name} is open. Write your self-evaluation{due} under Reviews in "
                 "Trellis.\n\nTo stop these messages, turn them off under Reviews.", people)


def other_half_submitted(review: Review) -> int:
    """Told to the other half of the pair when one half submits, if they have not yet."""
    if _quiet.get():
        return 0
    other = Review.objects.filter(participant=review.participant, submitted_at__isnull=True).exclude(
        pk=review.pk).select_related("reviewer", "participant__person", "participant__cycle").first()
    if other is None or other.reviewer is None:
        return 0
    pt = other.participant
    return _send(f"The other half of {pt.person.name}'s review is in",
                 f"The other half of the pair has submitted their review of {pt.person.name} in {pt.cycle.name}. "
                 "Submit yours to read theirs.", [other.reviewer])


def results_released(cycle: Cycle) -> int:
    """Told to every participant when results are released."""
    return _send(f"Results of {cycle.name} are released",
                 f"The results of the review cycle {cycle.name} are released: read the reviews of you under "
                 "Reviews in Trellis.", Person.objects.filter(cycles__cycle=cycle))
