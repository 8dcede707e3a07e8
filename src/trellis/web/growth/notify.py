"""E-mail about review cycles, through Django's e-mail framework (SMTP in production).

A cycle opens, a form is due within three days (``remind_due``, run daily by ``trellis cycle
remind``), the other half of the pair has submitted, results are released. Each person can
turn these off (``NotificationSetting``). A message says that something happened and links to
it, never its content; each goes to one recipient, so nobody learns who else was told.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta
from smtplib import SMTPException
from typing import Any

from django.core.mail import EmailMessage, get_connection, send_mass_mail

from trellis.lib import clock
from trellis.web.growth.models import (
    Cycle,
    Nomination,
    NotificationSetting,
    Participant,
    PeerResponse,
    Reminder,
    Review,
)
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


# ---------------------------------------------------------------- "due in three days"

REMIND_DAYS = 3


@dataclass
class Due:
    form: str  # "self:PK", "review:PK" or "feedback:PK" (a nomination), the reminder's key
    due: date
    person: Person  # who owes it
    what: str  # "your self-evaluation in 2026 H1", "your review of Ben Builder in 2026 H1"


@dataclass
class Reminded:
    messages: int = 0  # e-mails sent, one per person
    forms: int = 0  # forms reminded of
    skipped: int = 0  # people who turned e-mail off or have no address
    failed: list[str] = field(default_factory=list)  # addresses the server refused; tried again next run
    planned: list[Due] = field(default_factory=list)


def due_soon(today: date, days: int = REMIND_DAYS) -> list[Due]:
    """Forms of open cycles due within ``days`` days (today included) and not yet done or reminded of.

    A fixed number of queries: the self-evaluations, the reviews, the approved nominations with the
    responses to them, and the reminders already sent."""
    from trellis.web.growth.services import author_key

    last = today + timedelta(days=days)
    window = {"participant__cycle__state": Cycle.OPEN}
    found: list[Due] = []
    # Someone who has left is owed nothing and told nothing.
    for pt in Participant.objects.filter(cycle__state=Cycle.OPEN, cycle__self_due__range=(today, last),
                                         self_evaluation__submitted_at__isnull=True, person__active=True
                                         ).select_related("cycle", "person"):
        found.append(Due(f"self:{pt.pk}", pt.cycle.self_due, pt.person,  # type: ignore[arg-type]
                         f"your self-evaluation in {pt.cycle.name}"))
    for r in Review.objects.filter(**window, participant__cycle__review_due__range=(today, last),
                                   submitted_at__isnull=True, reviewer__active=True).select_related(
            "participant__cycle", "participant__person", "reviewer"):
        cycle = r.participant.cycle
        found.append(Due(f"review:{r.pk}", cycle.review_due, r.reviewer,  # type: ignore[arg-type]
                         f"your review of {r.participant.person.name} in {cycle.name}"))
    asked = list(Nomination.objects.filter(**window, participant__cycle__peer_due__range=(today, last),
                                           state=Nomination.APPROVED, peer__active=True).select_related(
        "participant__cycle", "participant__person", "peer"))
    answered = set(PeerResponse.objects.filter(participant__in={n.participant_id for n in asked}).values_list(
        "participant_id", "author_key"))
    for n in asked:
        pt = n.participant
        if (pt.pk, author_key(pt, n.peer_id)) not in answered:
            found.append(Due(f"feedback:{n.pk}", pt.cycle.peer_due, n.peer,  # type: ignore[arg-type]
                             f"your feedback for {pt.person.name} in {pt.cycle.name}"))
    sent = set(Reminder.objects.filter(form__in=[d.form for d in found]).values_list("form", "due"))
    return [d for d in found if (d.form, d.due) not in sent]


def remind_due(today: date, *, dry_run: bool = False) -> Reminded:
    """E-mail each person once about the forms due from them within three days: one message a person, each
    form reminded of once per deadline, whoever turned e-mail off left out. Safe to run as often as wanted;
    what the server refuses is tried again next time."""
    outcome = Reminded(planned=due_soon(today))
    if dry_run or not outcome.planned:
        return outcome
    by_person: dict[int, list[Due]] = {}
    for d in outcome.planned:
        by_person.setdefault(d.person.pk, []).append(d)
    off = set(NotificationSetting.objects.filter(user__person__pk__in=list(by_person), email=False)
              .values_list("user__person__pk", flat=True))
    connection = get_connection(fail_silently=False)
    for pk, forms in sorted(by_person.items()):
        person = forms[0].person
        if pk in off or not person.email:
            outcome.skipped += 1
            continue
        lines = "\n".join(f"- {d.what}, due {d.due:%d %B %Y}" for d in sorted(forms, key=lambda d: (d.due, d.what)))
        message = EmailMessage(f"Due soon: {len(forms)} form{'s' if len(forms) != 1 else ''} in Trellis",
                               f"Due from you within {REMIND_DAYS} days:\n\n{lines}\n\nThey are under Reviews "
                               "in Trellis (/growth/cycles/).\n\nTo stop these messages, turn them off under "
                               "Reviews.", None, [person.email], connection=connection)
        try:
            message.send()
        except (OSError, SMTPException):
            outcome.failed.append(person.email)
            continue
        Reminder.objects.bulk_create([Reminder(form=d.form, due=d.due, person=person, sent_at=clock.now())
                                      for d in forms], ignore_conflicts=True)
        outcome.messages += 1
        outcome.forms += len(forms)
    return outcome
