"""Health in the JSON API: findings, metrics, health as of a date, health over time, what-if."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from trellis.health.asof import parse_as_of
from trellis.lib import clock
from trellis.lib.problems import InputError
from trellis.web.health import services
from trellis.web.health.visibility import NOTE, Visibility
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
    except InputError as exc:
        raise HttpError(400, exc.problems[0].message) from exc


@router.get("/report", response=MAY_REFUSE_DAY,
             summary="Findings and metrics, now or as of a past date")
def report(request: HttpRequest, as_of: date | None = None) -> dict[str, Any]:
    _check_day(as_of)
    health = services.health(as_of)
    data = health.report.to_dict()
    visibility = Visibility(request.user)
    shown = visibility.findings(health.report.findings)
    data["findings"] = [f.to_dict() for f in shown]
    data["counts"] = visibility.counts(data["counts"])
    data["severity_counts"] = {s: sum(1 for f in shown if f.severity == s) for s in data["severity_counts"]}
    data["policy"] = health.policy.source
    data["note"] = NOTE
    return data


@router.get("/findings", response=MAY_REFUSE_DAY,
             summary="Findings, filtered by code, severity, team or person")
def findings(request: HttpRequest, as_of: date | None = None, code: str | None = None, severity: str | None = None,
             team: str | None = None, person: str | None = None) -> dict[str, Any]:
    _check_day(as_of)
    health = services.health(as_of)
    chosen = [f for f in health.report.findings
              if (code is None or f.code == code) and (severity is None or f.severity == severity)
              and (team is None or f.team == team) and (person is None or f.person == person)]
    shown = Visibility(request.user).findings(chosen)
    return {"as_of": health.report.as_of.isoformat(), "findings": [f.to_dict() for f in shown], "note": NOTE}


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
    data = result.to_dict()
    visibility = Visibility(request.user)
    data["appeared"] = [f.to_dict() for f in visibility.findings(result.appeared)]
    data["disappeared"] = [f.to_dict() for f in visibility.findings(result.disappeared)]
    data["changed"] = [{"before": b.to_dict(), "after": a.to_dict()} for b, a in visibility.pairs(result.changed)]
    data["note"] = NOTE
    return data

