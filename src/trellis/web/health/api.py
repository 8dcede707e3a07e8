"""Health in the JSON API: findings, metrics, health as of a date, health over time, what-if."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from trellis.health.asof import parse_as_of
from trellis.health.report import Finding
from trellis.lib import clock
from trellis.lib.problems import InputError
from trellis.web.health import services
from trellis.web.health.visibility import NOTE, Visibility
from trellis.web.org import services as org_services
from trellis.web.org.access import Viewer
from trellis.web.org.api import ProblemsOut
from trellis.web.org.api import _problems as problems_out

router = Router(tags=["health"])
# A day after today, or a months count out of range, is refused in the problem shape.
MAY_REFUSE_DAY = {200: dict[str, Any], 400: ProblemsOut}


class WhatIfIn(Schema):
    changes: list[str]


def _check_day(as_of: date | None) -> None:
    try:
        parse_as_of(as_of.isoformat() if as_of else None, "as_of", today=clock.today())
        org_services.check_recorded(as_of)
    except InputError as exc:
        raise HttpError(400, exc.problems[0].message) from exc


@router.get("/report", response=MAY_REFUSE_DAY,
             summary="Findings and metrics, now or as of a past date")
def report(request: HttpRequest, as_of: date | None = None) -> dict[str, Any]:
    _check_day(as_of)
    health = services.health(as_of)
    visibility = Visibility(request.user)
    shown = visibility.report(services.acknowledged_report(health.report))
    data = shown.to_dict()
    data["counts"] = visibility.counts(data["counts"])
    data["policy"] = health.policy.source
    data["note"] = NOTE
    return data


@router.get("/findings", response=MAY_REFUSE_DAY,
             summary="Findings, filtered by code, severity, team or person")
def findings(request: HttpRequest, as_of: date | None = None, code: str | None = None, severity: str | None = None,
             team: str | None = None, person: str | None = None) -> dict[str, Any]:
    _check_day(as_of)
    health = services.health(as_of)
    chosen = services.acknowledged_report(health.report).filtered(code=code, severity=severity, team=team,
                                                                  person=person)
    shown = Visibility(request.user).report(chosen).to_dict()
    return {"as_of": health.report.as_of.isoformat(), "findings": shown["findings"], "exempted": shown["exempted"],
            "note": NOTE}


@router.get("/metrics", response=MAY_REFUSE_DAY,
             summary="The organisation's metrics")
def metrics(request: HttpRequest, as_of: date | None = None) -> dict[str, Any]:
    _check_day(as_of)
    health = services.health(as_of)
    return {"as_of": health.report.as_of.isoformat(), **health.report.metrics.to_dict()}


@router.get("/timeline", response=MAY_REFUSE_DAY,
             summary="The count of each finding at each month's end")
def timeline(request: HttpRequest, months: int = 12) -> dict[str, Any]:
    if not 1 <= months <= 60:
        raise HttpError(400, "months must be between 1 and 60")
    data = services.timeline(months).to_dict()
    data["counts"] = Visibility(request.user).counts(data["counts"])
    return data


@router.post("/what-if", summary="What planned changes would do; never writes",
             response={200: dict[str, Any], 400: ProblemsOut})
def what_if(request: HttpRequest, payload: WhatIfIn) -> Any:
    try:
        result = services.simulate("\n".join(payload.changes), "changes")
    except InputError as exc:
        return 400, problems_out("The changes have problems: nothing was simulated.", exc.problems)
    data = Visibility(request.user).what_if(result)
    data["note"] = NOTE
    return data



class AcknowledgeIn(Schema):
    code: str
    team: str | None = None
    person: str | None = None
    level: str | None = None
    reason: str
    until: date | None = None


@router.get("/acknowledgements", summary="Acknowledgements not withdrawn, newest first, with what each does today")
def acknowledgements(request: HttpRequest) -> dict[str, Any]:
    rows = services.acknowledgement_status()
    visibility = Visibility(request.user)
    probes = [_probe(ack) for ack, _ in rows]
    seen = {f.key for f in visibility.findings(probes)}
    return {"acknowledgements": [{**ack.to_dict(), "status": status} for ack, status in rows if ack.key in seen],
            "note": NOTE}


@router.post("/acknowledgements", summary="Acknowledge today's finding as deliberate, with a reason",
             response={201: dict[str, Any], 400: ProblemsOut, 403: dict[str, str]})
def acknowledge(request: HttpRequest, payload: AcknowledgeIn) -> Any:
    user = request.user
    try:
        ack = services.acknowledge(Viewer.of(user), code=payload.code, team=payload.team, person=payload.person,
                                   level=payload.level, reason=payload.reason, until=payload.until,
                                   by=services.who(user), by_user=user, source="acknowledgement")
    except InputError as exc:
        return 400, problems_out("The acknowledgement has problems: nothing was recorded.", exc.problems)
    except PermissionDenied as exc:
        return 403, {"detail": str(exc)}
    return 201, ack.to_dict()


@router.delete("/acknowledgements/{ack_id}", summary="Withdraw an acknowledgement: its finding is open again",
               response={200: dict[str, Any], 400: ProblemsOut, 403: dict[str, str]})
def withdraw(request: HttpRequest, ack_id: int) -> Any:
    try:
        ack = services.withdraw(Viewer.of(request.user), ack_id, services.who(request.user))
    except InputError as exc:
        return 400, problems_out("Nothing was withdrawn.", exc.problems)
    except PermissionDenied as exc:
        return 403, {"detail": str(exc)}
    return 200, ack.to_dict()


def _probe(ack: Any) -> Finding:
    """A stand-in finding with an acknowledgement's subject, to ask who may see it."""
    return Finding(ack.code, "info", ack.team, ack.person, None, "", "", level=ack.level)
