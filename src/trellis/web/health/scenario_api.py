"""Saved what-if scenarios in the JSON API: list, save, open (run again today), edit, delete, compare.

A scenario the caller may not open answers 404, whether it exists or not; one they may open but
not change answers 403. Findings go through the caller's ``Visibility`` as everywhere in health.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from trellis.lib import clock
from trellis.lib.problems import InputError
from trellis.web.health import scenarios, services
from trellis.web.health.models import Scenario
from trellis.web.health.visibility import NOTE, Visibility
from trellis.web.org.access import Viewer
from trellis.web.org.api import ProblemsOut
from trellis.web.org.api import _problems as problems_out

router = Router(tags=["health"])


class ScenarioIn(Schema):
    name: str
    note: str = ""
    changes: list[str]


def _summary(row: Scenario, viewer: Viewer) -> dict[str, Any]:
    return {"id": row.pk, "name": row.name, "note": row.note, "changes": row.changes.splitlines(),
            "by": row.by, "created_at": row.created_at.isoformat(), "updated_at": row.updated_at.isoformat(),
            "may_change": viewer.may_change_scenario(row.author_id)}


def _opened(request: HttpRequest, row: Scenario) -> dict[str, Any]:
    """The scenario with what it would do if made today, as this caller may read it."""
    data = Visibility(request.user).what_if(scenarios.run(row).result)
    return {**_summary(row, Viewer.of(request.user)), "run_on": clock.today().isoformat(), "result": data,
            "note_on_findings": NOTE}


def _get(request: HttpRequest, number: int) -> Scenario:
    try:
        return scenarios.get(Viewer.of(request.user), number)
    except scenarios.NoSuchScenario as exc:
        raise HttpError(404, str(exc)) from exc


@router.get("/scenarios", summary="Saved what-if scenarios the caller may open, most recently saved first")
def scenario_list(request: HttpRequest) -> dict[str, Any]:
    viewer = Viewer.of(request.user)
    return {"scenarios": [_summary(row, viewer) for row in scenarios.visible(viewer)]}


@router.post("/scenarios", summary="Save planned changes as a named scenario; never changes the organisation",
             response={201: dict[str, Any], 400: ProblemsOut})
def scenario_create(request: HttpRequest, payload: ScenarioIn) -> Any:
    try:
        row = scenarios.save(Viewer.of(request.user), name=payload.name, note=payload.note,
                             changes="\n".join(payload.changes), by=services.who(request.user), by_user=request.user)
    except InputError as exc:
        return 400, problems_out("The scenario has problems: nothing was saved.", exc.problems)
    return 201, _summary(row, Viewer.of(request.user))


@router.get("/scenarios/compare", summary="Two scenarios side by side, each run again against today's organisation",
            response={200: dict[str, Any], 404: ProblemsOut})
def scenario_compare(request: HttpRequest, a: int, b: int) -> Any:
    rows = [_get(request, a), _get(request, b)]
    return 200, {"run_on": clock.today().isoformat(), "scenarios": [_opened(request, row) for row in rows]}


@router.get("/scenarios/{number}", summary="A scenario, run again against today's organisation",
            response={200: dict[str, Any]})
def scenario_get(request: HttpRequest, number: int) -> Any:
    return 200, _opened(request, _get(request, number))


@router.put("/scenarios/{number}", summary="Change a scenario's name, note or changes (its author, HR and admin)",
            response={200: dict[str, Any], 400: ProblemsOut, 403: ProblemsOut})
def scenario_update(request: HttpRequest, number: int, payload: ScenarioIn) -> Any:
    row = _get(request, number)
    try:
        row = scenarios.save(Viewer.of(request.user), name=payload.name, note=payload.note,
                             changes="\n".join(payload.changes), by=row.by, number=number)
    except InputError as exc:
        return 400, problems_out("The scenario has problems: nothing was saved.", exc.problems)
    return 200, _summary(row, Viewer.of(request.user))


@router.delete("/scenarios/{number}", summary="Delete a scenario (its author, HR and admin); the organisation is "
                                              "unchanged", response={200: dict[str, Any], 403: ProblemsOut})
def scenario_delete(request: HttpRequest, number: int) -> Any:
    _get(request, number)
    row = scenarios.delete(Viewer.of(request.user), number)
    return 200, {"deleted": number, "name": row.name}


