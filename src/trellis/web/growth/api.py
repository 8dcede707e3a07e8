"""Growth in the JSON API: evidence, review cycles, reviews, peer feedback, readiness, calibration.

Same reads as the pages (``queries``), same writes (``services``), same access: a person the
caller may not see answers 404, exactly as if there were no such person.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from trellis.growth.evidence import EvidenceItem
from trellis.lib.problems import InputError, Problem
from trellis.web.growth import queries, services
from trellis.web.growth.models import Evidence
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
