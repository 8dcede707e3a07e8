"""Reads for growth's pages, API and command line: what a viewer may see, in a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Case, Value, When
from django.http import Http404

from trellis.access import Relation, Right, allows
from trellis.growth.feedback import Aggregate, aggregate
from trellis.growth.readiness import Rating, Readiness, frozen_verdicts, person_readiness
from trellis.health.policy import Policy
from trellis.ladder.model import Ladder
from trellis.lib.gcpause import gc_paused
from trellis.org.model import PEOPLE_MANAGER, TECH_LEAD
from trellis.web.growth.models import (
    Adjustment,
    CalibratorView,
    Cycle,
    Evidence,
    Nomination,
    Participant,
    PeerResponse,
    Review,
)
from trellis.web.org.access import Viewer
from trellis.web.org.models import Person


def person_or_404(viewer: Viewer, person_id: str, right: Right) -> Person:
    """The person, when the viewer holds ``right`` about them; otherwise not found, as if absent."""
    if not viewer.may(right, person_id):
        raise Http404("no such person")
    person = Person.objects.filter(external_id=person_id).first()
    if person is None:
        raise Http404("no such person")
    return person


def evidence_of(viewer: Viewer, person_id: str) -> tuple[Person, list[Evidence]]:
    person = person_or_404(viewer, person_id, Right.SEE_EVIDENCE)
    return person, list(Evidence.objects.filter(person=person).select_related("recorded_by"))


@dataclass
class GrowthView:
    person: Person
    evidence_count: int
    may_see_evidence: bool
    cycle: Cycle | None = None  # the cycle readiness comes from
    readiness: list[Readiness] = field(default_factory=list)
    ladder: Ladder | None = None
    rows: list[tuple[str, str, list[tuple[str, str | None, str | None]]]] = field(default_factory=list)


def growth_view(viewer: Viewer, person_id: str) -> GrowthView:
    """A person's growth page: evidence in short and readiness from their latest closed cycle the viewer may read
    (or their latest cycle when none is closed).

    A fixed number of queries whatever the person's history: the viewer's relations, the person,
    the evidence count, the latest participation with its cycle and ladder, its reviews and adjustments."""
    from trellis.web.growth.services import cycle_ladder, cycle_policy

    relations = viewer.relations([person_id])[person_id]
    if not allows(Right.SEE_READINESS, relations):
        raise Http404("no such person")
    person = Person.objects.filter(external_id=person_id).first()
    if person is None:
        raise Http404("no such person")
    may_see_evidence = allows(Right.SEE_EVIDENCE, relations)
    count = Evidence.objects.filter(person=person).count() if may_see_evidence else 0
    view = GrowthView(person, count, may_see_evidence)
    found = Participant.objects.filter(person=person).exclude(cycle__state=Cycle.DRAFT)
    if not allows(Right.SEE_REVIEWS, relations):
        found = found.filter(cycle__results_released=True)
    # The latest closed cycle's frozen verdict, while a newer cycle is still being written; else the latest.
    closed_first = Case(When(cycle__state=Cycle.CLOSED, then=Value(1)), default=Value(0))
    pt = (found.select_related("cycle", "cycle__ladder_version").prefetch_related("reviews", "adjustments")
          .annotate(closed_first=closed_first).order_by("-closed_first", "-cycle__period_end", "-cycle_id").first())
    if pt is None:
        return view
    ladder = cycle_ladder(pt.cycle)
    if ladder.levels_by_id.get(pt.level) is None:
        return view
    view.cycle, view.ladder = pt.cycle, ladder
    view.readiness = participant_readiness(pt, ladder, cycle_policy(pt.cycle))
    view.rows = readiness_rows(ladder, view.readiness)
    return view


def participant_readiness(pt: Participant, ladder: Ladder, policy: Policy, *, rated: bool = True) -> list[Readiness]:
    """A participant's readiness as every page shows it. A closed cycle's verdicts are those frozen when it
    closed (what the command line and the calibration summary read): the rows beside them are worked out
    from the frozen ratings, to explain them, but a later change to the rules never rewrites a verdict.
    A running cycle's come from the pair's submitted ratings and calibration's changes (none while
    ``rated`` is False: the pair has not both submitted yet)."""
    from trellis.web.growth.services import pair_ratings

    if not pt.frozen:
        return person_readiness(ladder, pt.level, pair_ratings(pt) if rated else [], policy)
    ratings = [Rating(c, st, r) for c, st, r in pt.frozen["ratings"]]
    return frozen_verdicts(person_readiness(ladder, pt.level, ratings, policy), pt.frozen.get("readiness"))


def readiness_rows(ladder: Ladder, found: list[Readiness]) -> list[tuple[str, str, list[tuple[str, str | None,
                                                                                                  str | None]]]]:
    """Per competency: its id, its name, and per target (level title, expected step, rating that counts)."""
    titles = {level.id: level.title for level in ladder.levels}
    by_target = [(titles[r.level], {c.competency: c for c in r.competencies}) for r in found]
    return [(c.id, c.name, [(title, rows[c.id].expected if c.id in rows else None,
                             rows[c.id].counted if c.id in rows else None) for title, rows in by_target])
            for c in ladder.competencies]


def participant_or_404(viewer: Viewer, cycle_id: int, person_id: str, right: Right | None = None) -> Participant:
    """The participant, when the viewer holds ``right`` about them (None: any right a participant page shows)."""
    pt = (Participant.objects.filter(cycle_id=cycle_id, person__external_id=person_id)
          .select_related("cycle", "cycle__ladder_version", "person", "self_evaluation").first())
    if pt is None:
        raise Http404("no such participant")
    if right is not None and not viewer.may(right, person_id):
        raise Http404("no such participant")
    return pt


@dataclass
class ReviewShown:
    review: Review
    reviewer_name: str | None  # None: nobody assigned (a void)
    visible: bool  # its content may be shown to this viewer
    own: bool  # the viewer writes it
    competencies: list[str]  # what this half rates


@dataclass
class SelfVersusOthers:
    competency: str
    name: str
    expected: str | None
    self_step: str | None
    tech_lead: str | None
    people_manager: str | None
    pair: str | None
    peers: str | None
    calibrated: bool


@dataclass
class ParticipantView:
    participant: Participant
    cycle: Cycle
    person: Person
    ladder: Ladder
    sees_self_evaluation: bool
    sees_reviews: bool
    reviews: list[ReviewShown]
    feedback: Aggregate | None  # anonymous feedback, aggregated
    attributed: list[tuple[str, PeerResponse]]  # attributed feedback with its author's name
    own_response: PeerResponse | None
    may_give_feedback: bool
    nominations: list[Nomination]
    sees_nominations: bool
    may_nominate: bool
    may_approve: bool
    rows: list[SelfVersusOthers] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    readiness: list[Readiness] = field(default_factory=list)
    adjustments: list[Adjustment] = field(default_factory=list)
    is_self: bool = False


def participant_view(viewer: Viewer, cycle_id: int, person_id: str) -> ParticipantView:
    """Everything of one participant's review this viewer may see; 404 when it is nothing at all.

    The rules: the person sees their self-evaluation, and the reviews once results are released;
    the pair, dotted-line managers, reviewers, HR and admin see them (``trellis.access``), except
    that a reviewer sees the other half of the pair only after submitting their own; a nominated
    peer sees only what they wrote. Anonymous feedback is aggregated (``trellis.growth.feedback``).
    """
    from trellis.web.growth.services import author_key, cycle_ladder, cycle_policy

    pt = participant_or_404(viewer, cycle_id, person_id)
    cycle, person = pt.cycle, pt.person
    relations = viewer.relations([person_id])[person_id]
    sees_self = allows(Right.SEE_SELF_EVALUATION, relations)
    sees_reviews = allows(Right.SEE_REVIEWS, relations) or (
        cycle.results_released and allows(Right.SEE_RELEASED_REVIEWS, relations))
    may_give = allows(Right.GIVE_FEEDBACK, relations)
    sees_nominations = allows(Right.NOMINATE_PEERS, relations) or allows(Right.APPROVE_NOMINATIONS, relations)
    me = viewer.person
    reviews = list(pt.reviews.select_related("reviewer"))
    own = [r for r in reviews if me is not None and r.reviewer_id == me[0]]
    writes_review = bool(own)
    if not (sees_self or sees_reviews or may_give or sees_nominations or writes_review):
        raise Http404("no such participant")
    ladder = cycle_ladder(cycle)
    policy = cycle_policy(cycle)
    waiting = any(r.submitted_at is None for r in own) and not viewer.privileged
    shown = []
    for r in reviews:
        mine = r in own
        visible = mine or (sees_reviews and not waiting)
        shown.append(ReviewShown(r, r.reviewer.name if r.reviewer else None, visible, mine,
                                 [c.id for c in ladder.competencies if c.rated_by_role(r.role)]))
    responses = list(pt.peer_responses.all()) if sees_reviews or may_give else []
    own_response = None
    if me is not None and may_give:
        key = author_key(pt, me[0])
        own_response = next((r for r in responses if r.author_key == key), None)
    feedback = None
    attributed: list[tuple[str, PeerResponse]] = []
    if sees_reviews:
        anonymous = [r for r in responses if r.anonymous]
        feedback = aggregate(((r.ratings, r.comments) for r in anonymous), policy.anonymous_feedback_min,
                             [s.id for s in ladder.scale])
        named = {p.pk: p.name for p in Person.objects.filter(pk__in=[r.author_id for r in responses
                                                                       if not r.anonymous])}
        attributed = sorted(((named.get(r.author_id or 0, "?"), r) for r in responses if not r.anonymous),
                            key=lambda pair: pair[0])
    nominations = list(pt.nominations.select_related("peer").order_by("peer__name")) if sees_nominations else []
    view = ParticipantView(
        pt, cycle, person, ladder, sees_self, sees_reviews, shown, feedback, attributed, own_response,
        may_give and cycle.state == Cycle.OPEN and own_response is None, nominations, sees_nominations,
        allows(Right.NOMINATE_PEERS, relations) and cycle.state == Cycle.OPEN,
        allows(Right.APPROVE_NOMINATIONS, relations) and cycle.state == Cycle.OPEN)
    view.is_self = Relation.SELF in relations
    if sees_self or sees_reviews:
        view.evidence = list(Evidence.objects.filter(person=person, pk__in=pt.self_evaluation.evidence_ids))
    if sees_reviews:
        visible_reviews = [s.review for s in shown if s.visible]
        view.rows = self_versus_others(ladder, pt, visible_reviews, feedback, sees_self)
        view.adjustments = list(pt.adjustments.select_related("by"))
        view.readiness = participant_readiness(pt, ladder, policy, rated=not waiting) if ladder.levels_by_id.get(
            pt.level) else []
    return view


def self_versus_others(ladder: Ladder, pt: Participant, reviews: list[Review], feedback: Aggregate | None,
                       sees_self: bool) -> list[SelfVersusOthers]:
    """Competency by competency: the self-evaluation beside the pair's and the peers' ratings, against the level."""
    level = ladder.levels_by_id.get(pt.level)
    own = pt.self_evaluation.ratings if sees_self else {}
    by_role = {r.role: r.ratings for r in reviews if r.submitted_at is not None}
    adjusted: dict[str, str] = {}
    for a in pt.adjustments.all():
        adjusted[a.competency] = a.new_step
    rank = ladder.step_rank
    rows = []
    for c in ladder.competencies:
        tl, pm = by_role.get(TECH_LEAD, {}).get(c.id), by_role.get(PEOPLE_MANAGER, {}).get(c.id)
        given = [rank[s] for s in (tl, pm) if s in rank]
        pair = adjusted.get(c.id) or (ladder.scale[sum(given) // len(given)].id if given else None)
        rows.append(SelfVersusOthers(
            c.id, c.name, level.expectations[c.id].step if level and c.id in level.expectations else None,
            own.get(c.id), tl, pm, pair, feedback.steps.get(c.id) if feedback else None, c.id in adjusted))
    return rows


@dataclass
class Tasks:
    self_evaluations: list[Participant]
    reviews: list[Review]
    feedback: list[Nomination]
    approvals: list[Nomination]


def my_tasks(viewer: Viewer) -> Tasks:
    """What the viewer has to do in open cycles: four queries."""
    me = viewer.person
    if me is None:
        return Tasks([], [], [], [])
    pk = me[0]
    selfs = list(Participant.objects.filter(person_id=pk, cycle__state=Cycle.OPEN)
                 .select_related("cycle", "person", "self_evaluation"))
    reviews = list(Review.objects.filter(reviewer_id=pk, participant__cycle__state=Cycle.OPEN)
                   .select_related("participant__cycle", "participant__person"))
    asked = list(Nomination.objects.filter(peer_id=pk, state=Nomination.APPROVED, participant__cycle__state=Cycle.OPEN)
                 .select_related("participant__cycle", "participant__person"))
    approvals = list(Nomination.objects.filter(state=Nomination.PROPOSED, participant__cycle__state=Cycle.OPEN,
                                               participant__person__manager_id=pk)
                     .select_related("participant__cycle", "participant__person", "peer"))
    return Tasks(selfs, reviews, asked, approvals)


def cycles_list() -> list[Cycle]:
    return list(Cycle.objects.all())


@dataclass
class CycleView:
    cycle: Cycle
    participants: list[Participant]
    voids: list[Participant]  # no tech lead to review them


def cycle_view(viewer: Viewer, cycle_id: int) -> CycleView:
    """A cycle's participants (HR and admin); everyone else sees only the cycle itself."""
    cycle = Cycle.objects.filter(pk=cycle_id).select_related("ladder_version").first()
    if cycle is None:
        raise Http404("no such cycle")
    if not viewer.privileged:
        return CycleView(cycle, [], [])
    participants = list(cycle.participants.select_related("person", "self_evaluation")
                        .prefetch_related("reviews__reviewer").order_by("person__name"))
    voids = [p for p in participants if any(r.role == TECH_LEAD and r.reviewer_id is None for r in p.reviews.all())]
    return CycleView(cycle, participants, voids)


def bench_readiness() -> tuple[int, dict[str, int]] | None:
    """From the latest closed cycle: its id, and per level how many active people are ready now or close
    for it (as their next level or the other track's peer). None before any cycle is closed. Two queries."""
    latest = Cycle.objects.filter(state=Cycle.CLOSED).order_by("-closed_at", "-pk").values_list("pk", flat=True).first()
    if latest is None:
        return None
    counts: dict[str, int] = {}
    for frozen in Participant.objects.filter(cycle_id=latest, person__active=True).values_list("frozen", flat=True):
        for target in (frozen or {}).get("readiness", []):
            if target.get("kind") != "current" and target.get("tier") in ("ready-now", "close"):
                counts[target["level"]] = counts.get(target["level"], 0) + 1
    return latest, counts


def cycle_readiness(cycle: Cycle) -> list[tuple[str, list[dict[str, object]]]]:
    """Readiness of every participant of a cycle, sorted by person id, in the JSON shape of ``trellis readiness``.

    A closed cycle answers what it froze when it closed (a later ladder or policy change never rewrites it);
    a running one works it out now from the pair's submitted ratings and calibration's changes.
    One query for a closed cycle, three for a running one (plus the ladder and the policy)."""
    from trellis.growth.readiness import everyone
    from trellis.web.growth.services import cycle_ladder, cycle_policy, cycle_ratings

    # Some 100,000 small objects and none in a cycle: the collector would only walk them again and again.
    with gc_paused():
        if cycle.state == Cycle.CLOSED:
            # Only the frozen readiness is read (the database extracts it), not the ratings beside it.
            rows = Participant.objects.filter(cycle=cycle).values_list("person__external_id", "frozen__readiness")
            return sorted((pid, list(readiness or [])) for pid, readiness in rows)
        ladder = cycle_ladder(cycle)
        ratings = cycle_ratings(cycle)
        people = cycle.participants.values_list("pk", "person__external_id", "level")
        found = everyone(ladder, ((pid, level, ratings.get(pk, [])) for pk, pid, level in people
                                  if level in ladder.levels_by_id), cycle_policy(cycle))
        return sorted((pid, [r.as_dict() for r in targets]) for pid, targets in found.items())


# ---------------------------------------------------------------- calibration

@dataclass
class CalibrationPerson:
    person: str  # the person's id
    name: str
    level_id: str
    level: str  # the level's title
    counted_offset: float | None  # mean of (counted step - expected) over rated competencies
    viewed: bool  # the viewer has recorded a view of this person
    adjusted: int  # adjustments made


@dataclass
class AgendaItem:
    person: str
    name: str
    competency: str
    counted: str | None
    views: list[tuple[str, str]]  # (calibrator, step) that differ from the rating that counts


@dataclass
class CalibrationView:
    cycle: Cycle
    ladder: Ladder
    cycle_stats: Any
    managers: list[Any]  # trellis.growth.calibration.Rater, people managers
    tech_leads: list[Any]
    names: dict[str, str]  # person id -> name (raters and participants)
    gaps: list[Any]
    tiers: list[Any]
    level_titles: dict[str, str]
    track_names: dict[str, str]
    people: list[CalibrationPerson]
    agenda: list[AgendaItem]
    adjustments: list[Adjustment]
    flag_steps: float
    min_people: int


def calibration_view(viewer: Viewer, cycle_id: int, *, user: Any = None) -> CalibrationView:
    """A cycle's calibration for HR and admin (404 for anyone else): the raters' figures, managers and tech
    leads apart; the largest self-versus-pair gaps; readiness tiers by level and track; where calibrators'
    views differ from the rating that counts; the adjustments. Peer feedback never appears: it is never
    attributed to a rater.

    Five queries whatever the size (the cycle, participants, submitted reviews, adjustments, views), read
    as plain rows: a cycle of 10,000 people has 20,000 reviews (``python -m bench readiness_db``)."""
    with gc_paused():  # some 200,000 small objects at 10,000 people, none in a cycle
        return _calibration_view(viewer, cycle_id, user=user)


def _calibration_view(viewer: Viewer, cycle_id: int, *, user: Any = None) -> CalibrationView:
    from trellis.growth import calibration
    from trellis.growth.readiness import CALIBRATED, counted_steps, everyone
    from trellis.web.growth.services import cycle_ladder, cycle_policy, require_calibrator

    require_calibrator(viewer)
    cycle = Cycle.objects.filter(pk=cycle_id).select_related("ladder_version").first()
    if cycle is None:
        raise Http404("no such cycle")
    ladder = cycle_ladder(cycle)
    policy = cycle_policy(cycle)
    rank = ladder.step_rank
    participants = list(cycle.participants.order_by("person__sort_key", "person__name", "person__external_id")
                        .values_list("pk", "person__external_id", "person__name", "level",
                                     "self_evaluation__ratings", "self_evaluation__submitted_at", "frozen"))
    reviews: dict[int, list[tuple[str, dict[str, str], str]]] = {}
    names: dict[str, str] = {pid: name for _, pid, name, *_ in participants}
    for pk, role, given, rater, rater_name in Review.objects.filter(
            participant__cycle=cycle, submitted_at__isnull=False, reviewer__isnull=False).values_list(
            "participant_id", "role", "ratings", "reviewer__external_id", "reviewer__name"):
        reviews.setdefault(pk, []).append((role, given, rater))
        names[rater] = rater_name
    adjustments = list(Adjustment.objects.filter(participant__cycle=cycle).select_related("by", "participant__person")
                       .order_by("at", "pk"))
    views: dict[int, list[tuple[int, str, str, str]]] = {}
    for pk, calibrator, username, comp, step in CalibratorView.objects.filter(participant__cycle=cycle).values_list(
            "participant_id", "calibrator_id", "calibrator__username", "competency", "step"):
        views.setdefault(pk, []).append((calibrator, username, comp, step))
    last: dict[int, dict[str, str]] = {}
    for a in adjustments:
        last.setdefault(a.participant_id, {})[a.competency] = a.new_step
    made = Counter(a.participant_id for a in adjustments)
    me = getattr(user, "pk", None)
    ratings: list[calibration.PairRating] = []
    pairs: list[tuple[str, str, int, int]] = []
    people: list[CalibrationPerson] = []
    agenda: list[AgendaItem] = []
    counted_by_person: dict[str, tuple[str, list[Rating]]] = {}
    for pk, pid, name, level_id, own, submitted, _ in participants:
        level = ladder.levels_by_id.get(level_id)
        expected = {c: rank[e.step] for c, e in level.expectations.items()} if level else {}
        mine = []
        for role, given, rater in reviews.get(pk, []):
            ratings += [calibration.PairRating(rater, role, pid, comp, rank[step], expected.get(comp))
                        for comp, step in given.items() if step in rank]
            mine += [Rating(comp, step, role) for comp, step in given.items()]
        mine += [Rating(comp, step, CALIBRATED) for comp, step in last.get(pk, {}).items()]
        counted_by_person[pid] = (level_id, mine)
        steps = counted_steps(ladder, mine)
        own = (own or {}) if submitted is not None else {}
        pairs += [(pid, comp, rank[own[comp]], pos) for comp, pos in steps.counted.items() if own.get(comp) in rank]
        offsets = [pos - expected[comp] for comp, pos in steps.counted.items() if comp in expected]
        differing: dict[str, list[tuple[str, str]]] = {}
        for _, username, comp, step in views.get(pk, []):
            pos = steps.counted.get(comp)
            if pos is None or ladder.scale[pos].id != step:
                differing.setdefault(comp, []).append((username, step))
        agenda += [AgendaItem(pid, name, comp, ladder.scale[steps.counted[comp]].id
                              if comp in steps.counted else None, sorted(found))
                   for comp, found in sorted(differing.items())]
        people.append(CalibrationPerson(pid, name, level_id, level.title if level else level_id,
                                        sum(offsets) / len(offsets) if offsets else None,
                                        any(v[0] == me for v in views.get(pk, [])), made.get(pk, 0)))
    cycle_stats, raters = calibration.raters(ratings, len(ladder.scale), flag_steps=policy.leniency_flag_steps,
                                             min_people=policy.leniency_min_people, names=names)
    if cycle.state == Cycle.CLOSED:
        targets = {pid: [(t["kind"], t["tier"]) for t in (frozen or {}).get("readiness", [])]
                   for _, pid, *_, frozen in participants}
    else:
        judged = everyone(ladder, ((pid, level, found) for pid, (level, found) in counted_by_person.items()
                                   if level in ladder.levels_by_id), policy)
        targets = {pid: [(r.kind, r.tier) for r in found] for pid, found in judged.items()}
    track_of = {level.id: level.track for level in ladder.levels}
    tiers = calibration.tiers_by_level(
        ((track_of.get(p.level_id, ""), p.level_id, targets.get(p.person, [])) for p in people),
        [(level.track, level.id) for level in ladder.levels])
    return CalibrationView(
        cycle, ladder, cycle_stats, [r for r in raters if r.role == PEOPLE_MANAGER],
        [r for r in raters if r.role == TECH_LEAD], names, calibration.gaps(pairs), tiers,
        {level.id: level.title for level in ladder.levels}, {t.id: t.name for t in ladder.tracks}, people, agenda,
        adjustments, policy.leniency_flag_steps, policy.leniency_min_people)


@dataclass
class CalibrationRow(SelfVersusOthers):
    """Self versus others as calibration sees it (``pair``: the rating that counts; peers only aggregated),
    with the calibrators' views."""

    my_view: str | None = None
    other_views: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class CalibrationPersonView:
    cycle: Cycle
    participant: Participant
    person: Person
    ladder: Ladder
    rows: list[CalibrationRow]
    revealed: bool  # the pair's ratings are shown: the viewer recorded a view, asked to see them, or it is locked
    viewed: bool
    adjustments: list[Adjustment]
    readiness: list[Readiness]


def calibration_person(viewer: Viewer, cycle_id: int, person_id: str, *, user: Any = None,
                       reveal: bool = False) -> CalibrationPersonView:
    """One participant as calibration sees them (HR and admin; 404 for anyone else). Until the calibrator has
    recorded their own view (or asks to see the ratings anyway), the pair's ratings and other calibrators'
    views are left out, so that their view is their own. Peers appear only aggregated, past the threshold."""
    from trellis.web.growth.services import cycle_ladder, cycle_policy, require_calibrator

    require_calibrator(viewer)
    pt = participant_or_404(viewer, cycle_id, person_id)
    ladder = cycle_ladder(pt.cycle)
    policy = cycle_policy(pt.cycle)
    views = list(pt.calibrator_views.select_related("calibrator"))
    me = getattr(user, "pk", None)
    mine = {v.competency: v.step for v in views if v.calibrator_id == me}
    viewed = bool(mine)
    revealed = viewed or reveal or pt.cycle.locked or pt.cycle.state == Cycle.CLOSED
    # Every response, attributed or not, only aggregated: calibration never ties a peer to a rating.
    feedback = aggregate(((r.ratings, r.comments) for r in pt.peer_responses.all()), policy.anonymous_feedback_min,
                         [s.id for s in ladder.scale])
    submitted = [r for r in pt.reviews.all() if r.submitted_at is not None]
    rows = []
    for r in self_versus_others(ladder, pt, submitted, feedback, pt.self_evaluation.submitted_at is not None):
        hidden = {} if revealed else {"tech_lead": None, "people_manager": None, "pair": None, "peers": None,
                                      "calibrated": False}
        others = sorted((v.calibrator.get_username(), v.step) for v in views
                        if v.competency == r.competency and v.calibrator_id != me) if revealed else []
        rows.append(CalibrationRow(**(vars(r) | hidden), my_view=mine.get(r.competency), other_views=others))
    level = ladder.levels_by_id.get(pt.level)
    readiness = participant_readiness(pt, ladder, policy) if revealed and level is not None else []
    return CalibrationPersonView(pt.cycle, pt, pt.person, ladder, rows, revealed, viewed,
                                 list(pt.adjustments.select_related("by")), readiness)


@dataclass(frozen=True)
class DueForm:
    """A form an open cycle waits for from someone: their self-evaluation, a review, peer feedback."""

    kind: str  # "self-evaluation", "review", "feedback"
    what: str  # "Review Ben Builder as tech lead"
    cycle: str
    due: date | None
    url: str


def due_from(person_pk: int) -> list[DueForm]:
    """What open cycles wait for from this person and they have not submitted, soonest deadline first (no
    deadline last). At most four queries: self-evaluations, reviews, requests for feedback, their answers' keys
    (a keyed hash: nothing here reads who wrote what)."""
    from django.urls import reverse

    from trellis.web.growth.services import author_key

    found: list[DueForm] = []
    for pt in Participant.objects.filter(person_id=person_pk, cycle__state=Cycle.OPEN,
                                         self_evaluation__submitted_at__isnull=True).select_related("cycle", "person"):
        found.append(DueForm("self-evaluation", "Your self-evaluation", pt.cycle.name, pt.cycle.self_due,
                             reverse("growth-self", args=[pt.cycle_id, pt.person.external_id])))
    for r in Review.objects.filter(reviewer_id=person_pk, participant__cycle__state=Cycle.OPEN,
                                   submitted_at__isnull=True).select_related("participant__cycle",
                                                                             "participant__person"):
        pt = r.participant
        found.append(DueForm("review", f"Review {pt.person.name} as {r.get_role_display().lower()}", pt.cycle.name,
                             pt.cycle.review_due, reverse("growth-review", args=[pt.cycle_id, r.role,
                                                                                 pt.person.external_id])))
    asked = list(Nomination.objects.filter(peer_id=person_pk, state=Nomination.APPROVED,
                                           participant__cycle__state=Cycle.OPEN).select_related(
        "participant__cycle", "participant__person"))
    answered = set(PeerResponse.objects.filter(participant__in=[n.participant_id for n in asked]).values_list(
        "participant_id", "author_key")) if asked else set()
    for n in asked:
        pt = n.participant
        if (pt.pk, author_key(pt, person_pk)) not in answered:
            found.append(DueForm("feedback", f"Give {pt.person.name} feedback", pt.cycle.name, pt.cycle.peer_due,
                                 reverse("growth-feedback", args=[pt.cycle_id, pt.person.external_id])))
    return sorted(found, key=lambda d: (d.due is None, d.due or date.min, d.cycle, d.what))
