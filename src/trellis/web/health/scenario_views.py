"""Pages of saved what-if scenarios: list, save, open (run again today), edit, delete, compare.

Thin: ``trellis.web.health.scenarios`` saves and decides who may see what; the findings each viewer
reads go through ``Visibility`` as on the what-if panel. A scenario one may not open answers 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from trellis.health.render import METRIC_LABELS, metric_value
from trellis.health.whatif import SYNTAX
from trellis.lib import clock
from trellis.lib.problems import InputError
from trellis.web.health import pickers, scenarios, services
from trellis.web.health.models import Scenario
from trellis.web.health.views import result_context
from trellis.web.org.access import Viewer

# Who may open a scenario, in words (trellis.access.scenario_visible), for the pages that share one.
RULE = ("its author, HR and admin, and the managers (solid, dotted or further up the line) of every person its "
        "changes name. Each of them sees only the findings they may see.")


def _get(request: HttpRequest, number: int) -> Scenario:
    try:
        return scenarios.get(Viewer.of(request.user), number)
    except scenarios.NoSuchScenario as exc:
        raise Http404(str(exc)) from exc


def _changeable(request: HttpRequest, number: int) -> tuple[Scenario, Viewer]:
    """The scenario, when the viewer may change it: 404 if they may not open it, 403 if only that."""
    row = _get(request, number)
    viewer = Viewer.of(request.user)
    if not viewer.may_change_scenario(row.author_id):
        raise PermissionDenied("only the scenario's author, HR and admin may change or delete it")
    return row, viewer


def scenario_list(request: HttpRequest, problem: str = "", status: int = 200) -> HttpResponse:
    shown = scenarios.visible(Viewer.of(request.user))
    return render(request, "health/scenarios.html", {
        "scenarios": shown, "rows": [(row, len(row.changes.splitlines())) for row in shown],
        "compare_problem": problem, "rule": f"Each scenario is shared with {RULE}"}, status=status)


@require_http_methods(["GET", "POST"])
def scenario_new(request: HttpRequest) -> HttpResponse:
    """Save a simulation as a scenario (the what-if panel's result posts here)."""
    data = request.POST if request.method == "POST" else request.GET
    form = {"name": data.get("name", ""), "note": data.get("note", ""), "changes": data.get("changes", "")}
    if request.method == "POST":
        try:
            row = scenarios.save(Viewer.of(request.user), name=form["name"], note=form["note"],
                                 changes=form["changes"], by=services.who(request.user), by_user=request.user)
        except InputError as exc:
            return _form(request, form, None, exc.problems, status=400)
        messages.success(request, f"Saved the scenario “{row.name}”.")
        return redirect("health-scenario", number=row.pk)
    return _form(request, form, None, [])


@require_http_methods(["GET", "POST"])
def scenario_edit(request: HttpRequest, number: int) -> HttpResponse:
    row, viewer = _changeable(request, number)
    if request.method == "POST":
        form = {key: request.POST.get(key, "") for key in ("name", "note", "changes")}
        try:
            scenarios.save(viewer, name=form["name"], note=form["note"], changes=form["changes"], by=row.by,
                           number=row.pk)
        except InputError as exc:
            return _form(request, form, row, exc.problems, status=400)
        messages.success(request, f"Saved the scenario “{form['name'].strip()}”.")
        return redirect("health-scenario", number=row.pk)
    lines = scenarios.run(row).lines
    return _form(request, {"name": row.name, "note": row.note, "changes": "\n".join(lines)}, row, [])


def _form(request: HttpRequest, form: dict[str, str], row: Scenario | None, problems: list[Any],
          status: int = 200) -> HttpResponse:
    return render(request, "health/scenario_form.html", {
        "form": form, "scenario": row, "problems": problems, "syntax": SYNTAX.values(),
        "pickers": pickers.PICKERS, "rule": RULE}, status=status)


def scenario_page(request: HttpRequest, number: int) -> HttpResponse:
    row = _get(request, number)
    ran = scenarios.run(row)
    return render(request, "health/scenario.html", {
        "scenario": row, "run": ran, "today": clock.today(),
        "may_change": Viewer.of(request.user).may_change_scenario(row.author_id),
        "others": [s for s in scenarios.visible(Viewer.of(request.user)) if s.pk != row.pk],
        "rule": RULE, "panel": f"{reverse('health-what-if')}?{urlencode({'changes': chr(10).join(ran.lines)})}",
        **result_context(request.user, ran.result)})


@require_http_methods(["GET", "POST"])
def scenario_delete(request: HttpRequest, number: int) -> HttpResponse:
    row, viewer = _changeable(request, number)
    if request.method == "POST":
        scenarios.delete(viewer, number)
        messages.success(request, f"Deleted the scenario “{row.name}”. The organisation is unchanged.")
        return redirect("health-scenarios")
    return render(request, "health/scenario_delete.html", {"scenario": row})


def scenario_compare(request: HttpRequest) -> HttpResponse:
    """Two scenarios side by side, each run again today: findings and metrics."""
    numbers = [request.GET.get("a", ""), request.GET.get("b", "")]
    if not all(n.isdigit() for n in numbers):
        return scenario_list(request, "Choose two scenarios to compare.", status=400)
    rows = [_get(request, int(n)) for n in numbers]
    runs = [scenarios.run(row) for row in rows]
    sides = [{"scenario": ran.scenario, "run": ran, **result_context(request.user, ran.result)} for ran in runs]
    before = runs[0].result.metrics_before
    metrics = [(METRIC_LABELS.get(name, name), metric_value(name, value),
                *[(metric_value(name, ran.result.metrics_after[name]), ran.result.metrics_after[name] != value)
                  for ran in runs]) for name, value in before.items()]
    return render(request, "health/scenario_compare.html", {"sides": sides, "metrics": metrics,
                                                             "today": clock.today()})

