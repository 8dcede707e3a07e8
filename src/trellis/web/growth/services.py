"""Growth's one writer: evidence, review cycles, self-evaluations, reviews, peer feedback, calibration.

Pages, the API and the command line all come through here. Every function checks what the
caller may do with the one access home (``Viewer``); a person the caller may not see is
reported as not found (``Http404``), so that nobody can tell whether there is anything to see.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import Http404
from django.utils.crypto import salted_hmac

from trellis.access import Right
from trellis.growth import cycles
from trellis.growth.evidence import EvidenceItem, check_item, read_evidence_csv
from trellis.growth.readiness import CALIBRATED, Rating, counted_steps, everyone
from trellis.health.policy import Policy
from trellis.ladder.model import Ladder
from trellis.lib import clock
from trellis.lib.gcpause import gc_paused
from trellis.lib.problems import InputError, Problem
from trellis.org.edit import PersonEdit
from trellis.org.model import PEOPLE_MANAGER, PREFERRED_TRACKS, TECH_LEAD
from trellis.web.growth import notify
from trellis.web.growth.models import (
    Adjustment,
    CalibratorView,
    Cycle,
    Evidence,
    Nomination,
    Participant,
    PeerResponse,
    Review,
    SelfEvaluation,
)
from trellis.web.growth.queries import person_or_404
from trellis.web.ladders.services import active_ladder, ensure_default_ladder, ladder_of
from trellis.web.org.access import Viewer
from trellis.web.org.models import Person, RoleAssignment
from trellis.web.org.services import edit_person


def record_evidence(viewer: Viewer, item: EvidenceItem, *, user: Any = None) -> Evidence:
    """Store one piece of evidence about ``item.person_id``; InputError lists what is wrong with it."""
    if not viewer.may(Right.RECORD_EVIDENCE, item.person_id):
        person_or_404(viewer, item.person_id, Right.SEE_EVIDENCE)  # 404 unless they may at least see it
        raise PermissionDenied("you may not record evidence about this person")
    person = person_or_404(viewer, item.person_id, Right.RECORD_EVIDENCE)
    wrong = check_item(item, active_ladder(), clock.today())
    if wrong:
        raise InputError([Problem(field, None, message, column=field) for field, message in wrong])
    return Evidence.objects.create(
        person=person, kind=item.kind, date=item.date, title=item.title.strip(), link=item.link.strip(),
        notes=item.notes.strip(), competencies=list(item.competencies), signals=list(item.signals),
        recorded_by=user if getattr(user, "is_authenticated", False) else None)


def import_evidence(viewer: Viewer, data: bytes | str, source: str, *, user: Any = None) -> int:
    """Bulk import (HR and admin): every row or none; InputError lists every problem with its line."""
    if not viewer.privileged:
        raise PermissionDenied("only HR and admin may import evidence")
    people = dict(Person.objects.values_list("external_id", "pk"))
    items = read_evidence_csv(data, source, active_ladder(), people, clock.today())
    recorder = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        Evidence.objects.bulk_create([
            Evidence(person_id=people[i.person_id], kind=i.kind, date=i.date, title=i.title, link=i.link,
                     notes=i.notes, competencies=list(i.competencies), signals=list(i.signals),
                     recorded_by=recorder) for i in items], batch_size=2000)
    return len(items)


def delete_evidence(viewer: Viewer, evidence_id: int) -> None:
    """Whoever may record evidence about the person may take a piece back."""
    found = Evidence.objects.filter(pk=evidence_id).select_related("person").first()
    if found is None or not viewer.may(Right.SEE_EVIDENCE, found.person.external_id):
        raise Http404("no such evidence")
    if not viewer.may(Right.RECORD_EVIDENCE, found.person.external_id):
        raise PermissionDenied("you may not remove evidence about this person")
    found.delete()




# ---------------------------------------------------------------- review cycles

def _require_staff(viewer: Viewer, what: str) -> None:
    if not viewer.privileged:
        raise PermissionDenied(f"only HR and admin may {what}")


def create_cycle(viewer: Viewer, *, name: str, period_start: date, period_end: date,
                 rule: dict[str, list[str]] | None = None, self_due: date | None = None,
                 review_due: date | None = None, peer_due: date | None = None, anonymous_peers: bool = True,
                 peer_limit: int | None = None) -> Cycle:
    """A new cycle in draft (HR and admin). ``rule`` picks participants: teams, departments, levels, tracks."""
    _require_staff(viewer, "run review cycles")
    problems = cycles.check_cycle(name, period_start, period_end, rule or {}, active_ladder(),
                                  taken=set(Cycle.objects.values_list("name", flat=True)))
    if problems:
        raise InputError(problems)
    return Cycle.objects.create(name=name.strip(), period_start=period_start, period_end=period_end,
                                participants_rule=cycles.clean_rule(rule or {}), self_due=self_due,
                                review_due=review_due, peer_due=peer_due, anonymous_peers=anonymous_peers,
                                peer_limit=peer_limit)


def cycle_by_name(name: str) -> Cycle:
    found = Cycle.objects.filter(name=name).first()
    if found is None:
        raise InputError([Problem("cycle", None, f"no cycle is called '{name}'")])
    return found


def _move(cycle: Cycle, allowed_from: tuple[str, ...], to: str) -> None:
    if cycle.state not in allowed_from:
        raise InputError([Problem("cycle", None, f"cycle '{cycle.name}' is {cycle.state}: it can move to {to} only "
                                                 f"from {' or '.join(allowed_from)}")])


@transaction.atomic
def open_cycle(viewer: Viewer, cycle: Cycle) -> int:
    """Open a draft cycle: fix the ladder it is judged against, enrol participants, name each one's reviewers."""
    _require_staff(viewer, "open review cycles")
    _move(cycle, (Cycle.DRAFT,), Cycle.OPEN)
    version = ensure_default_ladder()
    ladder = ladder_of(version)
    today = clock.today()
    snapshot_people = list(Person.objects.filter(active=True).select_related("team"))
    chosen = cycles.select(snapshot_people, cycle.participants_rule, ladder)
    leads = _tech_leads_by_team(today)
    participants = Participant.objects.bulk_create([Participant(cycle=cycle, person=p, level=p.level)
                                                    for p in chosen])
    SelfEvaluation.objects.bulk_create([SelfEvaluation(participant=pt) for pt in participants])
    reviews = []
    for pt, p in zip(participants, chosen, strict=True):
        reviews.append(Review(participant=pt, role=PEOPLE_MANAGER, reviewer_id=p.manager_id))
        lead = next((pk for pk in leads.get(p.team_id, []) if pk != p.pk), None) if p.team_id else None
        reviews.append(Review(participant=pt, role=TECH_LEAD, reviewer_id=lead))
    Review.objects.bulk_create(reviews)
    cycle.state, cycle.ladder_version, cycle.opened_at = Cycle.OPEN, version, clock.now()
    cycle.save()
    notify.cycle_opened(cycle)
    return len(participants)


def _tech_leads_by_team(day: date) -> dict[int, list[int]]:
    from trellis.web.org.queries import held_on

    found: dict[int, list[int]] = {}
    for team_pk, person_pk in RoleAssignment.objects.filter(held_on(day), role=TECH_LEAD).order_by(
            "start", "id").values_list("team_id", "person_id"):
        found.setdefault(team_pk, []).append(person_pk)
    return found


def assign_reviewer(viewer: Viewer, participant: Participant, reviewer_id: str) -> Review:
    """HR fills the void of a team with no tech lead: the person's nearest technical leader reviews instead."""
    _require_staff(viewer, "assign reviewers")
    if participant.cycle.state not in (Cycle.OPEN, Cycle.DRAFT):
        raise InputError([Problem("cycle", None, "reviewers can be assigned only while the cycle is open")])
    reviewer = Person.objects.filter(external_id=reviewer_id, active=True).first()
    ladder = cycle_ladder(participant.cycle)
    if reviewer is None:
        raise InputError([Problem("reviewer", None, f"no active person has the id '{reviewer_id}'")])
    wrong = cycles.substitute_problem(ladder, participant.person.level, reviewer.level,
                                      reviewer.pk == participant.person_id)
    if wrong:
        raise InputError([Problem("reviewer", None, wrong)])
    review = participant.reviews.get(role=TECH_LEAD)
    if review.submitted_at is not None:
        raise InputError([Problem("reviewer", None, "the tech-lead half of this review is already submitted")])
    review.reviewer, review.substitute = reviewer, True
    review.save()
    return review


@transaction.atomic
def move_to_calibration(viewer: Viewer, cycle: Cycle) -> None:
    _require_staff(viewer, "calibrate")
    _move(cycle, (Cycle.OPEN,), Cycle.CALIBRATION)
    cycle.state = Cycle.CALIBRATION
    cycle.save()


@transaction.atomic
def close_cycle(viewer: Viewer, cycle: Cycle) -> int:
    """Close: freeze every review with the ladder version it was made against, and the readiness it gives."""
    _require_staff(viewer, "close review cycles")
    _move(cycle, (Cycle.OPEN, Cycle.CALIBRATION), Cycle.CLOSED)
    ladder = cycle_ladder(cycle)
    policy = current_policy()
    version = cycle.ladder_version.number if cycle.ladder_version else None
    with gc_paused():  # many small objects, none in a cycle: the collector would walk them for nothing
        levels = dict(cycle.participants.values_list("pk", "level"))
        ratings = cycle_ratings(cycle)
        judged = everyone(ladder, ((pk, level, ratings.get(pk, [])) for pk, level in levels.items()
                                   if level in ladder.levels_by_id), policy)
        frozen = {pk: {"ladder_version": version,
                       "ratings": [[r.competency, r.step, r.rater] for r in ratings.get(pk, [])],
                       "readiness": [r.as_dict() for r in judged.get(pk, [])]} for pk in levels}
        _store_frozen(frozen)
    cycle.state, cycle.closed_at = Cycle.CLOSED, clock.now()
    cycle.readiness_policy = _readiness_thresholds(policy)
    cycle.save()
    return len(levels)


def cycle_ratings(cycle: Cycle) -> dict[int, list[Rating]]:
    """Per participant (database key), the pair's submitted ratings and calibration's last word per competency,
    for readiness: the same as ``pair_ratings`` for every participant at once, in two queries and no model
    objects (a cycle of 10,000 people has 20,000 reviews)."""
    found: dict[int, list[Rating]] = {}
    for pk, role, given in Review.objects.filter(participant__cycle=cycle, submitted_at__isnull=False).values_list(
            "participant_id", "role", "ratings"):
        mine = found.setdefault(pk, [])
        mine += [Rating(comp, step, role) for comp, step in given.items()]
    last: dict[tuple[int, str], str] = {}
    for pk, comp, step in Adjustment.objects.filter(participant__cycle=cycle).order_by("at", "id").values_list(
            "participant_id", "competency", "new_step"):
        last[(pk, comp)] = step
    for (pk, comp), step in last.items():
        found.setdefault(pk, []).append(Rating(comp, step, CALIBRATED))
    return found


def _store_frozen(frozen: dict[int, dict[str, Any]]) -> None:
    """Write each participant's frozen review with one statement run many times, rather than Django's
    bulk_update, whose one CASE expression per batch grows with the batch (10,000 people close in about
    a second this way: ``python -m bench readiness_db``)."""
    field = Participant._meta.get_field("frozen")
    qn = connection.ops.quote_name
    sql = (f"UPDATE {qn(Participant._meta.db_table)} SET {qn(field.column)} = %s "
           f"WHERE {qn(Participant._meta.pk.column)} = %s")
    rows = [(field.get_db_prep_value(value, connection), pk) for pk, value in frozen.items()]
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[i:i + 5000])


# ---------------------------------------------------------------- calibration

def require_calibrator(viewer: Viewer) -> None:
    """Calibration answers as if absent to anyone but its calibrators (HR and admin)."""
    if not viewer.holds(Right.CALIBRATE):
        raise Http404("no such cycle")


def record_views(viewer: Viewer, pt: Participant, views: dict[str, str], *, user: Any) -> int:
    """A calibrator's own view of a participant's ratings, recorded before the meeting (blank: no view).

    Recorded before seeing the pair's ratings on the calibration page, so that the meeting starts from
    independent judgements rather than from the first number anyone saw. Returns how many are held."""
    require_calibrator(viewer)
    if not getattr(user, "is_authenticated", False):
        raise InputError([Problem("calibrator", None, "a calibrator's view is recorded by a signed-in account")])
    cycle = pt.cycle
    if cycle.state not in (Cycle.OPEN, Cycle.CALIBRATION) or cycle.locked:
        raise InputError([Problem("cycle", None, f"cycle '{cycle.name}' is {_calibration_state(cycle)}: views are "
                                                 "recorded while it is open or in calibration, before it is locked")])
    ladder = cycle_ladder(cycle)
    given = {k: v for k, v in views.items() if v}
    problems = _check_ratings(given, [c.id for c in ladder.competencies], ladder, "views")
    if problems:
        raise InputError(problems)
    with transaction.atomic():
        CalibratorView.objects.filter(participant=pt, calibrator=user).exclude(competency__in=list(given)).delete()
        for comp, step in given.items():
            CalibratorView.objects.update_or_create(participant=pt, calibrator=user, competency=comp,
                                                    defaults={"step": step})
    return len(given)


def adjust(viewer: Viewer, pt: Participant, competency: str, step: str, why: str, *, user: Any = None) -> Adjustment:
    """Calibration changes the rating that counts for one competency, saying why; readiness uses it from then on."""
    require_calibrator(viewer)
    cycle = pt.cycle
    if cycle.state != Cycle.CALIBRATION or cycle.locked:
        raise InputError([Problem("cycle", None, f"cycle '{cycle.name}' is {_calibration_state(cycle)}: ratings "
                                                 "are adjusted only in calibration, before it is locked")])
    ladder = cycle_ladder(cycle)
    problems = _check_ratings({competency: step}, [c.id for c in ladder.competencies], ladder, "step")
    if not why.strip():
        problems.append(Problem("why", None, "say why the rating changes (it is kept with the adjustment)",
                                column="why"))
    if problems:
        raise InputError(problems)
    old = counted_now(pt, ladder).get(competency, "")
    if old == step:
        raise InputError([Problem("step", None, f"{competency} already counts as {step}: nothing to adjust",
                                  column=competency)])
    return Adjustment.objects.create(participant=pt, competency=competency, old_step=old, new_step=step,
                                     why=why.strip(), by=user if getattr(user, "is_authenticated", False) else None)


def lock_calibration(viewer: Viewer, cycle: Cycle) -> None:
    """No more views or adjustments: what calibration settled is what closing freezes."""
    require_calibrator(viewer)
    if cycle.state != Cycle.CALIBRATION or cycle.locked:
        raise InputError([Problem("cycle", None, f"cycle '{cycle.name}' is {_calibration_state(cycle)}: only a "
                                                 "cycle in calibration can be locked")])
    cycle.locked = True
    cycle.save(update_fields=["locked"])


def _calibration_state(cycle: Cycle) -> str:
    return f"{cycle.state}{' and locked' if cycle.locked else ''}"


def counted_now(pt: Participant, ladder: Ladder) -> dict[str, str]:
    """Per competency, the step that counts now: the pair's mean rounded down, or calibration's last word."""
    steps = counted_steps(ladder, pair_ratings(pt))
    return {comp: ladder.scale[pos].id for comp, pos in steps.counted.items()}


def release_results(viewer: Viewer, cycle: Cycle) -> None:
    """Let each participant see the reviews of them (anonymous peers stay anonymous)."""
    _require_staff(viewer, "release results")
    if cycle.state == Cycle.DRAFT:
        raise InputError([Problem("cycle", None, "a draft cycle has no results to release")])
    cycle.results_released = True
    cycle.save()
    notify.results_released(cycle)


def pair_ratings(pt: Participant) -> list[Rating]:
    """The pair's submitted ratings and calibration's last word per competency, for readiness."""
    found = [Rating(comp, step, r.role) for r in pt.reviews.all() if r.submitted_at is not None
             for comp, step in r.ratings.items()]
    last: dict[str, str] = {}
    for a in pt.adjustments.all():
        last[a.competency] = a.new_step
    found += [Rating(comp, step, CALIBRATED) for comp, step in last.items()]
    return found


def cycle_ladder(cycle: Cycle) -> Ladder:
    return ladder_of(cycle.ladder_version) if cycle.ladder_version else active_ladder()


def current_policy() -> Policy:
    from trellis.web.health.services import policy_in_force

    return policy_in_force(active_ladder()).policy


def cycle_policy(cycle: Cycle) -> Policy:
    """The policy a cycle's readiness is judged by: the thresholds frozen when it closed, else today's."""
    current = current_policy()
    return current.model_copy(update=cycle.readiness_policy) if cycle.readiness_policy else current


def _readiness_thresholds(policy: Policy) -> dict[str, object]:
    return {name: getattr(policy, name) for name in type(policy).model_fields if name.startswith("readiness_")}


# ---------------------------------------------------------------- what participants write

def participant_or_404(viewer: Viewer, cycle_id: int, person_id: str, right: Right) -> Participant:
    from trellis.web.growth.queries import participant_or_404 as find

    return find(viewer, cycle_id, person_id, right)


def _writable(cycle: Cycle) -> None:
    if cycle.state != Cycle.OPEN:
        raise InputError([Problem("cycle", None, f"cycle '{cycle.name}' is {cycle.state}: forms can be changed only "
                                                 "while it is open")])


def _check_ratings(ratings: dict[str, str], allowed: Iterable[str], ladder: Ladder, field: str) -> list[Problem]:
    allowed = list(allowed)
    steps = ladder.step_rank
    problems = []
    for comp, step in ratings.items():
        if comp not in allowed:
            problems.append(Problem(field, None, f"'{comp}' is not rated here; rate {', '.join(allowed)}",
                                    column=comp))
        elif step not in steps:
            problems.append(Problem(field, None, f"'{step}' is not a step of the scale "
                                                 f"({', '.join(s.id for s in ladder.scale)})", column=comp))
    return problems


def save_self_evaluation(viewer: Viewer, pt: Participant, *, ratings: dict[str, str],
                         evidence_text: dict[str, str], evidence_ids: list[int], signals: list[str],
                         focus: dict[str, str], success: str, preferred_track: str, submit: bool,
                         user: Any = None) -> SelfEvaluation:
    """Save the person's own self-evaluation as a draft, or submit it (then it no longer changes)."""
    if viewer.person_id != pt.person.external_id:
        raise Http404("no such self-evaluation")
    _writable(pt.cycle)
    own = pt.self_evaluation
    if own.submitted_at is not None:
        raise InputError([Problem("self-evaluation", None, "the self-evaluation is already submitted")])
    ladder = cycle_ladder(pt.cycle)
    ratings = {k: v for k, v in ratings.items() if v}
    problems = _check_ratings(ratings, [c.id for c in ladder.competencies], ladder, "ratings")
    focus_ids = {c.id for c in ladder.competencies if c.focus_area}
    problems += [Problem("focus", None, f"'{k}' is not one of the five focus areas", column=k) for k in focus
                 if k not in focus_ids]
    known_signals = {s.id for s in ladder.signals}
    problems += [Problem("signals", None, f"unknown signal '{s}'", column=s) for s in signals if s not in known_signals]
    mine = set(Evidence.objects.filter(person=pt.person, pk__in=evidence_ids).values_list("pk", flat=True))
    problems += [Problem("evidence_ids", None, f"evidence {e} is not in {pt.person.name}'s log") for e in evidence_ids
                 if e not in mine]
    if preferred_track and preferred_track not in PREFERRED_TRACKS:
        problems.append(Problem("preferred_track", None, f"'{preferred_track}' is not a track: use "
                                                         f"{', '.join(PREFERRED_TRACKS)}"))
    if submit:
        level = ladder.levels_by_id.get(pt.level)
        missing = [c for c in (level.expectations if level else {}) if c not in ratings]
        if missing:
            problems.append(Problem("ratings", None, f"rate every competency before submitting; missing: "
                                                     f"{', '.join(missing)}"))
    if problems:
        raise InputError(problems)
    own.ratings, own.evidence_text, own.evidence_ids = ratings, {k: v for k, v in evidence_text.items() if v}, \
        sorted(mine)
    own.signals, own.focus = sorted(set(signals)), {k: v for k, v in focus.items() if v}
    own.success, own.preferred_track = success.strip(), preferred_track
    if submit:
        own.submitted_at = clock.now()
    with transaction.atomic():
        own.save()
        if submit and preferred_track and preferred_track != pt.person.preferred_track:
            _record_preferred_track(viewer, pt, preferred_track, user)
    return own


def _record_preferred_track(viewer: Viewer, pt: Participant, track: str, user: Any) -> None:
    """The track stated in a submitted self-evaluation becomes the person's preferred track, through the
    organisation's one writer, so that its history says where it came from. A draft changes nothing there:
    only what the person submits is stated."""
    edit_person(PersonEdit(pt.person.external_id, preferred_track=track), viewer=viewer,
                reason=f"stated in the self-evaluation of {pt.cycle.name}", user=user, origin="self-evaluation",
                health=False)


def save_review(viewer: Viewer, pt: Participant, role: str, *, ratings: dict[str, str], summary: str,
                submit: bool) -> Review:
    """The assigned reviewer writes their half of the pair's review: the competencies the ladder gives their role."""
    review = next((r for r in pt.reviews.all() if r.role == role), None)
    me = viewer.person
    if review is None or me is None or review.reviewer_id != me[0]:
        raise Http404("no such review")
    _writable(pt.cycle)
    if review.submitted_at is not None:
        raise InputError([Problem("review", None, "this review is already submitted")])
    ladder = cycle_ladder(pt.cycle)
    ratings = {k: v for k, v in ratings.items() if v}
    mine = [c.id for c in ladder.competencies if c.rated_by_role(role)]
    problems = _check_ratings(ratings, mine, ladder, "ratings")
    if submit:
        missing = [c for c in mine if c not in ratings]
        if missing:
            problems.append(Problem("ratings", None, f"rate every competency of your half before submitting; "
                                                     f"missing: {', '.join(missing)}"))
    if problems:
        raise InputError(problems)
    review.ratings, review.summary = ratings, summary.strip()
    if submit:
        review.submitted_at = clock.now()
    review.save()
    if submit:
        notify.other_half_submitted(review)
    return review


def nominate(viewer: Viewer, pt: Participant, peer_id: str) -> Nomination:
    """The person (or their manager, HR) names a peer to ask for feedback; the manager approves."""
    if not viewer.may(Right.NOMINATE_PEERS, pt.person.external_id):
        raise Http404("no such participant")
    _writable(pt.cycle)
    peer = Person.objects.filter(external_id=peer_id, active=True).first()
    if peer is None:
        raise InputError([Problem("peer", None, f"no active person has the id '{peer_id}'")])
    if peer.pk == pt.person_id:
        raise InputError([Problem("peer", None, "a person cannot give themself peer feedback")])
    if Nomination.objects.filter(participant=pt, peer=peer).exists():
        raise InputError([Problem("peer", None, f"{peer.name} is already nominated")])
    return Nomination.objects.create(participant=pt, peer=peer)


def decide_nomination(viewer: Viewer, nomination: Nomination, approve: bool) -> Nomination:
    pt = nomination.participant
    if not viewer.may(Right.APPROVE_NOMINATIONS, pt.person.external_id):
        raise Http404("no such nomination")
    _writable(pt.cycle)
    if approve:
        limit = pt.cycle.peer_limit or current_policy().peer_nominations_max
        approved = Nomination.objects.filter(participant=pt, state=Nomination.APPROVED).exclude(pk=nomination.pk)
        if approved.count() >= limit:
            raise InputError([Problem("nomination", None, f"{pt.person.name} already has {limit} approved peers, "
                                                          "the limit for this cycle")])
    nomination.state = Nomination.APPROVED if approve else Nomination.DECLINED
    nomination.save()
    return nomination


def author_key(pt: Participant, author_pk: int) -> str:
    """A keyed hash of the author and the request: enough to refuse a second response and to let the
    author find their own, unreadable without the deployment's secret key."""
    return salted_hmac("trellis.growth.peer-response", f"{pt.cycle_id}:{pt.pk}:{author_pk}",
                       algorithm="sha256").hexdigest()


def give_feedback(viewer: Viewer, pt: Participant, *, ratings: dict[str, str], comments: str) -> PeerResponse:
    """A nominated, approved peer answers once; in an anonymous cycle the row keeps no author."""
    me = viewer.person
    if me is None or not viewer.may(Right.GIVE_FEEDBACK, pt.person.external_id):
        raise Http404("no such request for feedback")
    _writable(pt.cycle)
    ladder = cycle_ladder(pt.cycle)
    ratings = {k: v for k, v in ratings.items() if v}
    problems = _check_ratings(ratings, [c.id for c in ladder.competencies], ladder, "ratings")
    if not ratings and not comments.strip():
        problems.append(Problem("feedback", None, "write a comment or rate at least one competency"))
    key = author_key(pt, me[0])
    if PeerResponse.objects.filter(participant=pt, author_key=key).exists():
        problems.append(Problem("feedback", None, "you have already given your feedback in this cycle"))
    if problems:
        raise InputError(problems)
    anonymous = pt.cycle.anonymous_peers
    return PeerResponse.objects.create(participant=pt, author_key=key, anonymous=anonymous,
                                       author_id=None if anonymous else me[0], ratings=ratings,
                                       comments=comments.strip())


def export_ratings(cycle: Cycle) -> list[tuple[str, str, str, str]]:
    """Submitted self and pair ratings of a cycle, sorted; calibration's changes replace the pair's.

    Peer ratings stay out: one row per response would show one response alone."""
    rows: list[tuple[str, str, str, str]] = []
    participants = cycle.participants.select_related("person", "self_evaluation").prefetch_related(
        "reviews", "adjustments")
    for pt in participants:
        pid = pt.person.external_id
        own = pt.self_evaluation
        if own.submitted_at is not None:
            rows += [(pid, comp, step, "self") for comp, step in own.ratings.items()]
        adjusted = {a.competency: a.new_step for a in pt.adjustments.all()}
        for r in pt.reviews.all():
            if r.submitted_at is not None:
                rows += [(pid, comp, adjusted.get(comp, step), r.role) for comp, step in r.ratings.items()]
    return sorted(rows)
