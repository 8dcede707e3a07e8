"""Growth for the demo organisation: evidence, one closed review cycle and one open one, so that no page is empty.

Everything is written through ``trellis.web.growth.services``, as each person would write it (their
self-evaluation, their half of a review, their feedback), with no e-mail sent. The ratings are drawn
around each level's expectations with a fixed seed; two reviewers rate noticeably high and low, as real
raters do, so calibration has something to find.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from trellis.growth.evidence import KIND_IDS
from trellis.ladder.model import Ladder, Level
from trellis.lib import clock
from trellis.org.model import PEOPLE_MANAGER, TECH_LEAD
from trellis.web.growth import notify, services
from trellis.web.growth.models import Cycle, Participant
from trellis.web.ladders.services import active_ladder
from trellis.web.org.access import Viewer
from trellis.web.org.models import Person

TITLES = {
    "mentoring": "Weekly mentoring with a new engineer",
    "code-review": "Careful review of the payments refactor",
    "pairing": "Paired on the flaky test suite",
    "design-document": "Design document for the event pipeline",
    "incident": "Led the incident review after the outage",
    "talk": "Talk on testing legacy code",
    "customer-problem": "Fixed a key customer's import problem",
    "prototype": "Prototype of the search ranking",
    "other": "Ran the team's architecture kata",
}
FOCUS = "Pair more with the newer engineers and write down the decisions we take."
SUCCESS = "The team ships the next milestone without me in every review."


def _as(person: Person) -> Viewer:
    return Viewer.acting_as(person.pk, person.external_id)


def demo_cycles(demo_person: Person | None = None) -> list[str]:
    """Idempotent: nothing is added when a cycle exists. ``demo_person``: the demo user's person, who is
    given reviews and feedback still to write in the open cycle."""
    if Cycle.objects.exists():
        return []
    ladder = active_ladder()
    today = clock.today()
    rng = random.Random(7)
    operator = Viewer.operator()
    # One transaction: the whole demo is written at once, not a commit (and a disk flush) per form.
    with notify.quiet(), transaction.atomic():
        evidence = services.import_evidence(operator, _evidence_csv(ladder, rng, today), "demo evidence")
        closed = services.create_cycle(
            operator, name=f"Review to {today - timedelta(days=90):%B %Y}", period_start=today - timedelta(days=270),
            period_end=today - timedelta(days=90), self_due=today - timedelta(days=110),
            peer_due=today - timedelta(days=100), review_due=today - timedelta(days=95))
        services.open_cycle(operator, closed)
        lenient, harsh = _biased_reviewers(closed)
        bias = {lenient: 1, harsh: -1}
        _write(closed, ladder, rng, bias, share=1.0, submit=1.0, peers=0.2, skip=None)
        services.move_to_calibration(operator, closed)
        _calibrate(closed, ladder, demo_person.user if demo_person else None)
        services.lock_calibration(operator, closed)
        services.close_cycle(operator, closed)
        services.release_results(operator, closed)
        current = services.create_cycle(
            operator, name=f"Review to {today + timedelta(days=90):%B %Y}", period_start=today - timedelta(days=90),
            period_end=today + timedelta(days=90), self_due=(self_due := today + timedelta(days=3)),
            peer_due=today + timedelta(days=10), review_due=today + timedelta(days=20))
        services.open_cycle(operator, current)
        _write(current, ladder, rng, bias, share=0.5, submit=0.5, peers=0.1,
               skip=demo_person.pk if demo_person else None)
        asked = _ask_for_feedback(current, demo_person) if demo_person else 0
    lines = [f"Growth: {evidence} pieces of evidence; review cycle '{closed.name}' closed with results released, "
             f"'{current.name}' open (self-evaluations due {clock.written(self_due)})."]
    if asked:
        lines.append(f"The demo user has reviews and {asked} requests for feedback to write in '{current.name}'.")
    return lines


def _evidence_csv(ladder: Ladder, rng: random.Random, today: date) -> str:
    people = list(Person.objects.filter(active=True).order_by("external_id").values_list("external_id", flat=True))
    competencies = [c.id for c in ladder.competencies]
    signals = [s.id for s in ladder.signals]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["person_id", "kind", "date", "title", "link", "notes", "competencies", "signals"])
    for pid in people:
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            kind = rng.choice(KIND_IDS)
            writer.writerow([pid, kind, (today - timedelta(days=rng.randint(1, 330))).isoformat(), TITLES[kind],
                             "https://example.org/work/" + str(rng.randint(100, 999)), "",
                             ";".join(rng.sample(competencies, 2)), rng.choice(signals) if signals else ""])
    return out.getvalue()


def _biased_reviewers(cycle: Cycle) -> tuple[int, int]:
    """The reviewers with the most people to review: one rates high, the other low."""
    counts: dict[int, int] = {}
    for reviewer in cycle.participants.values_list("reviews__reviewer_id", flat=True):
        if reviewer is not None:
            counts[reviewer] = counts.get(reviewer, 0) + 1
    busiest = sorted(counts, key=lambda pk: (-counts[pk], pk))
    return (busiest[0], busiest[1]) if len(busiest) > 1 else (0, 0)


def _step(ladder: Ladder, level: Level | None, competency: str, shift: int, rng: random.Random) -> str:
    rank = ladder.step_rank
    expected = rank[level.expectations[competency].step] if level and competency in level.expectations else 2
    drawn = expected + shift + rng.choice((-1, 0, 0, 0, 1))
    return ladder.scale[max(0, min(len(ladder.scale) - 1, drawn))].id


def _write(cycle: Cycle, ladder: Ladder, rng: random.Random, bias: dict[int, int], *, share: float, submit: float,
           peers: float, skip: int | None) -> None:
    """Each participant writes their self-evaluation and each reviewer their half, for ``share`` of the
    participants (``submit`` of those submit, the others keep a draft); ``peers`` of them get feedback from
    three teammates. ``skip``: a person whose own reviews stay to be written."""
    participants = list(Participant.objects.filter(cycle=cycle).select_related(
        "cycle", "cycle__ladder_version", "person", "self_evaluation").prefetch_related(
        "reviews__reviewer").order_by("person__external_id"))
    team_of: dict[int | None, list[Person]] = {}
    for pt in participants:
        team_of.setdefault(pt.person.team_id, []).append(pt.person)
    operator = Viewer.operator()
    for pt in participants:
        if rng.random() >= share:
            continue
        level = ladder.levels_by_id.get(pt.level)
        done = rng.random() < submit
        ratings = {c: _step(ladder, level, c, rng.choice((0, 0, 1)), rng) for c in (level.expectations if level
                                                                                     else {})}
        services.save_self_evaluation(
            _as(pt.person), pt, ratings=ratings, evidence_text={}, evidence_ids=[], signals=[],
            focus={c.id: FOCUS for c in ladder.competencies if c.focus_area and rng.random() < 0.5},
            success=SUCCESS, preferred_track="", submit=done)
        for review in pt.reviews.all():
            if review.reviewer is None or review.reviewer_id == skip or (not done and review.role == PEOPLE_MANAGER):
                continue
            mine = [c.id for c in ladder.competencies if c.rated_by_role(review.role)]
            shift = bias.get(review.reviewer.pk, 0)
            services.save_review(_as(review.reviewer), pt, review.role,
                                 ratings={c: _step(ladder, level, c, shift, rng) for c in mine},
                                 summary=_summary(review.role), submit=done or review.role == TECH_LEAD)
        mates = [p for p in team_of.get(pt.person.team_id, []) if p.pk not in (pt.person_id, skip)]
        if pt.person.team_id is not None and len(mates) >= 3 and rng.random() < peers:
            for mate in rng.sample(mates, 3):
                nomination = services.nominate(_as(pt.person), pt, mate.external_id)
                services.decide_nomination(operator, nomination, True)
                services.give_feedback(_as(mate), pt, ratings={c.id: _step(ladder, level, c.id, 0, rng)
                                                               for c in ladder.competencies if c.focus_area},
                                       comments=rng.choice(_COMMENTS))


def _calibrate(cycle: Cycle, ladder: Ladder, user: Any) -> None:
    """The demo user recorded views of three people before the meeting; the meeting adjusted two ratings."""
    operator = Viewer.operator()
    pts = list(Participant.objects.filter(cycle=cycle, reviews__submitted_at__isnull=False).distinct().select_related(
        "cycle", "cycle__ladder_version", "person").order_by("person__external_id")[:3])
    for i, pt in enumerate(pts):
        counted = services.counted_now(pt, ladder)
        comp = next((c.id for c in ladder.competencies if c.id in counted), ladder.competencies[0].id)
        if user is not None:
            services.record_views(operator, pt, {comp: ladder.scale[2 + i].id}, user=user)
        if i < 2 and comp in counted:
            lower = ladder.scale[max(0, ladder.step_rank[counted[comp]] - 1)].id
            if lower != counted[comp]:
                services.adjust(operator, pt, comp, lower, "Compared with the others at this level in the meeting: "
                                "the evidence shows steady work, not yet more.", user=user)

_COMMENTS = (
    "Always makes time to explain a design, and the team is better for it.",
    "Could say no more often: the team's plan slipped twice for side requests.",
    "Their reviews teach; I changed how I write tests because of them.",
    "Calm in incidents and good at finding the real cause.",
)


def _summary(role: str) -> str:
    return ("Strong on the craft; keep writing down the design decisions."
            if role == TECH_LEAD else "Grows the people around them; take on more of the planning.")


def _ask_for_feedback(cycle: Cycle, person: Person, how_many: int = 2) -> int:
    """The demo user is asked for feedback by two people of the open cycle, approved by HR."""
    pts = list(Participant.objects.filter(cycle=cycle).exclude(person=person).exclude(
        nominations__peer=person).select_related("cycle", "person").order_by("person__external_id")[:how_many])
    for pt in pts:
        services.decide_nomination(Viewer.operator(), services.nominate(_as(pt.person), pt, person.external_id),
                                   True)
    return len(pts)
