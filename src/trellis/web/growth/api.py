"""Growth in the JSON API: evidence, review cycles, reviews, peer feedback, readiness, calibration.

Same reads as the pages (``queries``), same writes (``services``), same access: a person the
caller may not see answers 404, exactly as if there were no such person.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import File, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from trellis.growth.evidence import EvidenceItem
from trellis.lib.problems import InputError, Problem
from trellis.web.growth import queries, services
from trellis.web.growth.models import Cycle, Evidence
from trellis.web.org.access import Viewer

router = Router(tags=["growth"])


class EvidenceIn(Schema):
    kind: str
    date: date
    title: str
    link: str = ""
    notes: str = ""
    competencies: list[str] = []
    signals: list[str] = []


class EvidenceOut(EvidenceIn):
    id: int
    person_id: str
    recorded_by: str | None


class ProblemOut(Schema):
    source: str
    line: int | None
    column: str | None
    message: str


class ProblemsOut(Schema):
    detail: str
    problems: list[ProblemOut]


class ImportedOut(Schema):
    imported: int


def problems_out(detail: str, problems: list[Problem]) -> ProblemsOut:
    return ProblemsOut(detail=detail, problems=[ProblemOut(source=p.source, line=p.line, column=p.column,
                                                           message=p.message) for p in problems])


def _evidence(e: Evidence, person_id: str) -> EvidenceOut:
    return EvidenceOut(id=e.pk, person_id=person_id, kind=e.kind, date=e.date, title=e.title, link=e.link,
                       notes=e.notes, competencies=e.competencies, signals=e.signals,
                       recorded_by=e.recorded_by.get_username() if e.recorded_by else None)


@router.get("/people/{path:external_id}/evidence", response=list[EvidenceOut], summary="A person's evidence")
def evidence(request: HttpRequest, external_id: str) -> list[EvidenceOut]:
    _, items = queries.evidence_of(Viewer.of(request.user), external_id)
    return [_evidence(e, external_id) for e in items]


@router.post("/people/{path:external_id}/evidence", response={201: EvidenceOut, 400: ProblemsOut, 403: ProblemsOut},
             summary="Record evidence")
def record(request: HttpRequest, external_id: str, body: EvidenceIn) -> tuple[int, EvidenceOut | ProblemsOut]:
    item = EvidenceItem(external_id, body.kind, body.date, body.title, body.link, body.notes,
                        tuple(body.competencies), tuple(body.signals))
    try:
        stored = services.record_evidence(Viewer.of(request.user), item, user=request.user)
    except InputError as exc:
        return 400, problems_out("the evidence has problems: nothing was recorded", exc.problems)
    except PermissionDenied as exc:
        return 403, problems_out(str(exc), [])
    return 201, _evidence(stored, external_id)


@router.post("/evidence/import", response={200: ImportedOut, 400: ProblemsOut}, summary="Import evidence (CSV)")
def import_evidence(request: HttpRequest, file: UploadedFile = File(...)) -> tuple[int, ImportedOut | ProblemsOut]:
    """HR and admin. All or nothing: any problem imports no row and lists every problem with its line."""
    try:
        n = services.import_evidence(Viewer.of(request.user), file.read(), file.name or "upload.csv",
                                     user=request.user)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except InputError as exc:
        return 400, problems_out("the file has problems: nothing was imported", exc.problems)
    return 200, ImportedOut(imported=n)


# ---------------------------------------------------------------- review cycles

class CycleOut(Schema):
    id: int
    name: str
    period_start: date
    period_end: date
    state: str
    anonymous_peers: bool
    results_released: bool
    ladder_version: int | None


class SelfIn(Schema):
    ratings: dict[str, str] = {}
    evidence_text: dict[str, str] = {}
    evidence_ids: list[int] = []
    signals: list[str] = []
    focus: dict[str, str] = {}
    success: str = ""
    preferred_track: str = ""
    submit: bool = False


class ReviewIn(Schema):
    ratings: dict[str, str] = {}
    summary: str = ""
    submit: bool = False


class FeedbackIn(Schema):
    ratings: dict[str, str] = {}
    comments: str = ""


class NominationIn(Schema):
    peer: str


class DecisionIn(Schema):
    approve: bool


def _cycle(c: Cycle) -> CycleOut:
    return CycleOut(id=c.pk, name=c.name, period_start=c.period_start, period_end=c.period_end, state=c.state,
                    anonymous_peers=c.anonymous_peers, results_released=c.results_released,
                    ladder_version=c.ladder_version.number if c.ladder_version else None)


@router.get("/cycles", response=list[CycleOut], summary="Review cycles")
def cycles(request: HttpRequest) -> list[CycleOut]:
    return [_cycle(c) for c in Cycle.objects.select_related("ladder_version")]


def participant_json(view: queries.ParticipantView) -> dict[str, Any]:
    """What the viewer may see of one participant; anonymous feedback only aggregated, never an id,
    a time or an author."""
    pt, own = view.participant, view.participant.self_evaluation
    self_evaluation = None
    if view.sees_self_evaluation and (own.submitted_at is not None or view.is_self):
        self_evaluation = {"submitted": own.submitted_at is not None, "ratings": own.ratings,
                           "evidence_text": own.evidence_text, "evidence_ids": own.evidence_ids,
                           "signals": own.signals, "focus": own.focus, "success": own.success,
                           "preferred_track": own.preferred_track or None}
    reviews = [{"role": s.review.role, "reviewer": s.reviewer_name, "substitute": s.review.substitute,
                "void": s.reviewer_name is None, "submitted": s.review.submitted_at is not None,
                "ratings": s.review.ratings if s.visible and (s.own or s.review.submitted_at) else None,
                "summary": s.review.summary if s.visible and (s.own or s.review.submitted_at) else None}
               for s in view.reviews]
    feedback = None
    if view.feedback is not None:
        f = view.feedback
        feedback = {"shown": f.shown, "exists": f.exists, "responses": f.responses, "ratings": f.steps,
                    "comments": list(f.comments)}
    return {
        "person": view.person.external_id, "cycle": view.cycle.pk, "level": pt.level,
        "self_evaluation": self_evaluation, "reviews": reviews if view.sees_reviews or any(
            s.own for s in view.reviews) else [],
        "peer_feedback": feedback,
        "attributed_feedback": [{"author": name, "ratings": r.ratings, "comments": r.comments}
                                for name, r in view.attributed],
        "own_feedback": {"ratings": view.own_response.ratings, "comments": view.own_response.comments}
        if view.own_response else None,
        "nominations": [{"peer": n.peer.external_id, "name": n.peer.name, "state": n.state}
                        for n in view.nominations] if view.sees_nominations else None,
        "self_versus_others": [vars(r) for r in view.rows],
        "readiness": [r.as_dict() | {"summary": r.summary, "reasons": list(r.reasons)} for r in view.readiness],
    }


@router.get("/cycles/{cycle_id}/people/{path:external_id}", summary="One participant, as far as the caller may see")
def participant(request: HttpRequest, cycle_id: int, external_id: str) -> dict[str, Any]:
    return participant_json(queries.participant_view(Viewer.of(request.user), cycle_id, external_id))


def _answer(request: HttpRequest, cycle_id: int, external_id: str, act: Any) -> tuple[int, Any]:
    viewer = Viewer.of(request.user)
    pt = queries.participant_or_404(viewer, cycle_id, external_id)
    try:
        act(viewer, pt)
    except InputError as exc:
        return 400, problems_out("nothing was saved", exc.problems)
    return 200, participant_json(queries.participant_view(viewer, cycle_id, external_id))


@router.put("/cycles/{cycle_id}/self/{path:external_id}", response={200: dict[str, Any], 400: ProblemsOut},
            summary="Save or submit one's own self-evaluation")
def put_self(request: HttpRequest, cycle_id: int, external_id: str, body: SelfIn) -> tuple[int, Any]:
    return _answer(request, cycle_id, external_id, lambda viewer, pt: services.save_self_evaluation(
        viewer, pt, ratings=body.ratings, evidence_text=body.evidence_text, evidence_ids=body.evidence_ids,
        signals=body.signals, focus=body.focus, success=body.success, preferred_track=body.preferred_track,
        submit=body.submit, user=request.user))


@router.put("/cycles/{cycle_id}/reviews/{role}/{path:external_id}", response={200: dict[str, Any], 400: ProblemsOut},
            summary="Save or submit one's half of the pair's review")
def put_review(request: HttpRequest, cycle_id: int, external_id: str, role: str, body: ReviewIn) -> tuple[int, Any]:
    return _answer(request, cycle_id, external_id, lambda viewer, pt: services.save_review(
        viewer, pt, role, ratings=body.ratings, summary=body.summary, submit=body.submit))


@router.post("/cycles/{cycle_id}/feedback/{path:external_id}", response={200: dict[str, Any], 400: ProblemsOut},
             summary="Give peer feedback (once)")
def post_feedback(request: HttpRequest, cycle_id: int, external_id: str, body: FeedbackIn) -> tuple[int, Any]:
    return _answer(request, cycle_id, external_id, lambda viewer, pt: services.give_feedback(
        viewer, pt, ratings=body.ratings, comments=body.comments))


@router.post("/cycles/{cycle_id}/nominations/{path:external_id}", response={200: dict[str, Any], 400: ProblemsOut},
             summary="Nominate a peer to give feedback")
def post_nomination(request: HttpRequest, cycle_id: int, external_id: str, body: NominationIn) -> tuple[int, Any]:
    return _answer(request, cycle_id, external_id, lambda viewer, pt: services.nominate(viewer, pt, body.peer))


@router.post("/cycles/{cycle_id}/decisions/{peer}/{path:external_id}",
             response={200: dict[str, Any], 400: ProblemsOut}, summary="Approve or decline a nominated peer")
def post_decision(request: HttpRequest, cycle_id: int, external_id: str, peer: str,
                  body: DecisionIn) -> tuple[int, Any]:
    def decide(viewer: Viewer, pt: Any) -> None:
        nomination = pt.nominations.select_related("participant__cycle", "participant__person").filter(
            peer__external_id=peer).first()
        if nomination is None:
            raise Http404("no such nomination")
        services.decide_nomination(viewer, nomination, body.approve)

    return _answer(request, cycle_id, external_id, decide)


# ---------------------------------------------------------------- calibration (HR and admin; 404 for anyone else)

class ViewsIn(Schema):
    views: dict[str, str] = {}


class AdjustmentIn(Schema):
    competency: str
    step: str
    why: str


def _rater(r: Any, names: dict[str, str]) -> dict[str, Any]:
    s = r.stats
    return {"rater": r.rater, "name": names.get(r.rater), "role": r.role, "people": s.people, "ratings": s.ratings,
            "counts": list(r.counts), "mean": round(s.mean, 3), "spread": round(s.spread, 3),
            "offset": None if s.offset is None else round(s.offset, 3),
            "difference": None if r.difference is None else round(r.difference, 3), "flagged": r.flagged,
            "reason": r.reason or None}


def _adjustment(a: Any) -> dict[str, Any]:
    return {"person": a.participant.person.external_id, "competency": a.competency, "old": a.old_step or None,
            "new": a.new_step, "why": a.why, "by": a.by.get_username() if a.by else None, "at": a.at.isoformat()}


def calibration_json(view: queries.CalibrationView) -> dict[str, Any]:
    c, s = view.cycle, view.cycle_stats
    return {
        "cycle": c.pk, "state": c.state, "locked": c.locked, "scale": [step.id for step in view.ladder.scale],
        "policy": {"leniency_flag_steps": view.flag_steps, "leniency_min_people": view.min_people},
        "cycle_raters": {"ratings": s.ratings, "people": s.people, "mean": round(s.mean, 3),
                         "spread": round(s.spread, 3), "offset": None if s.offset is None else round(s.offset, 3)},
        "people_managers": [_rater(r, view.names) for r in view.managers],
        "tech_leads": [_rater(r, view.names) for r in view.tech_leads],
        "gaps": [{"person": g.person, "mean": round(g.mean, 3), "rated": g.rated,
                  "competencies": [{"competency": comp, "self": view.ladder.scale[own].id,
                                    "pair": view.ladder.scale[pair].id} for comp, own, pair in g.competencies]}
                 for g in view.gaps],
        "tiers": [{"track": t.track, "level": t.level, "people": t.people, "next": t.tiers,
                   "other_track_ready_or_close": t.other_track_ready} for t in view.tiers],
        "people": [{"person": p.person, "level": p.level_id, "viewed": p.viewed,
                    "adjustments": p.adjusted} for p in view.people],
        "agenda": [{"person": a.person, "competency": a.competency, "counted": a.counted,
                    "views": [{"calibrator": who, "step": step} for who, step in a.views]} for a in view.agenda],
        "adjustments": [_adjustment(a) for a in view.adjustments],
    }


@router.get("/cycles/{cycle_id}/calibration", summary="A cycle's calibration: raters, gaps, tiers, adjustments")
def calibration(request: HttpRequest, cycle_id: int) -> dict[str, Any]:
    """HR and admin. Peers never appear: their feedback is never attributed to a rater."""
    return calibration_json(queries.calibration_view(Viewer.of(request.user), cycle_id, user=request.user))


def calibration_person_json(view: queries.CalibrationPersonView) -> dict[str, Any]:
    return {"person": view.person.external_id, "cycle": view.cycle.pk, "level": view.participant.level,
            "revealed": view.revealed, "viewed": view.viewed,
            "competencies": [vars(r) | {"other_views": [{"calibrator": w, "step": s} for w, s in r.other_views]}
                             for r in view.rows],
            "readiness": [r.as_dict() | {"summary": r.summary} for r in view.readiness],
            "adjustments": [_adjustment(a) for a in view.adjustments]}


@router.get("/cycles/{cycle_id}/calibration/people/{path:external_id}",
            summary="One participant in calibration (the pair's ratings once the caller recorded a view)")
def calibration_person(request: HttpRequest, cycle_id: int, external_id: str, reveal: bool = False) -> dict[str, Any]:
    return calibration_person_json(queries.calibration_person(Viewer.of(request.user), cycle_id, external_id,
                                                              user=request.user, reveal=reveal))


def _calibrate(request: HttpRequest, cycle_id: int, external_id: str, act: Any) -> tuple[int, Any]:
    viewer = Viewer.of(request.user)
    services.require_calibrator(viewer)
    pt = queries.participant_or_404(viewer, cycle_id, external_id)
    try:
        act(viewer, pt)
    except InputError as exc:
        return 400, problems_out("nothing was saved", exc.problems)
    return 200, calibration_person_json(queries.calibration_person(viewer, cycle_id, external_id, user=request.user))


@router.put("/cycles/{cycle_id}/calibration/views/{path:external_id}",
            response={200: dict[str, Any], 400: ProblemsOut}, summary="Record one's own view before the meeting")
def put_views(request: HttpRequest, cycle_id: int, external_id: str, body: ViewsIn) -> tuple[int, Any]:
    return _calibrate(request, cycle_id, external_id,
                      lambda viewer, pt: services.record_views(viewer, pt, body.views, user=request.user))


@router.post("/cycles/{cycle_id}/calibration/adjustments/{path:external_id}",
             response={200: dict[str, Any], 400: ProblemsOut}, summary="Adjust a rating, saying why")
def post_adjustment(request: HttpRequest, cycle_id: int, external_id: str, body: AdjustmentIn) -> tuple[int, Any]:
    return _calibrate(request, cycle_id, external_id, lambda viewer, pt: services.adjust(
        viewer, pt, body.competency, body.step, body.why, user=request.user))


@router.post("/cycles/{cycle_id}/calibration/lock", response={200: dict[str, Any], 400: ProblemsOut},
             summary="Lock calibration: no more views or adjustments")
def post_lock(request: HttpRequest, cycle_id: int) -> tuple[int, Any]:
    viewer = Viewer.of(request.user)
    view = queries.calibration_view(viewer, cycle_id, user=request.user)
    try:
        services.lock_calibration(viewer, view.cycle)
    except InputError as exc:
        return 400, problems_out("nothing was locked", exc.problems)
    return 200, calibration_json(queries.calibration_view(viewer, cycle_id, user=request.user))
