"""The health dashboard, health over time, and the what-if simulation panel (which never writes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from trellis.health.asof import parse_as_of
from trellis.health.engine import SEVERITIES, HealthReport
from trellis.health.render import METRIC_LABELS, metric_value
from trellis.health.whatif import SYNTAX, WhatIfResult
from trellis.ladder.model import Ladder
from trellis.lib import clock
from trellis.lib.problems import InputError, Problem
from trellis.web.health import charts, pickers, services
from trellis.web.health.visibility import NOTE, Visibility
from trellis.web.ladders.services import active_ladder
from trellis.web.org import services as org_services

MONTHS = 12


def _as_of(request: HttpRequest) -> tuple[date | None, list[Problem]]:
    try:
        day = parse_as_of(request.GET.get("as_of"), "as_of", today=clock.today())
        org_services.check_recorded(day)  # before the first import there is no data, not an empty organisation
        return day, []
    except InputError as exc:
        return None, exc.problems


def dashboard(request: HttpRequest) -> HttpResponse:
    day, problems = _as_of(request)
    if problems:
        return render(request, "health/dashboard.html", {"problems": problems}, status=400)
    health = services.health(day)
    report = health.report
    visibility = Visibility(request.user)
    findings = visibility.findings(report.findings)
    groups = [(severity, [f for f in findings if f.severity == severity]) for severity in SEVERITIES]
    return render(request, "health/dashboard.html", {
        "report": report, "as_of": day, "policy": health.policy, "groups": groups, "note": NOTE,
        "counts": {severity: len(group) for severity, group in groups}, "tiles": tiles(report),
        "charts": dashboard_charts(report, health.ladder),
    })


def timeline(request: HttpRequest) -> HttpResponse:
    """The findings-over-time chart, loaded after the dashboard so the page itself stays quick."""
    series = services.timeline(MONTHS)
    counts = Visibility(request.user).counts(series.counts)
    moving = [(code, values) for code, values in counts.items() if any(values)]
    labels = [d.strftime("%b %y") for d in series.dates]
    svg = charts.line_chart(f"Findings at each month's end, last {MONTHS} months", labels, moving)
    # Against the year's worst month: a void that opened and closed within the year still shows.
    rows = [(code, values, max(values), values[-1] - max(values)) for code, values in moving]
    return render(request, "health/_timeline.html", {"svg": svg, "rows": rows, "labels": labels})


def own_findings(request: HttpRequest) -> HttpResponse:
    """The findings about one team (``?team=NAME``) or one person (``?person=ID``), for their pages."""
    team, person = request.GET.get("team"), request.GET.get("person")
    if bool(team) == bool(person):
        return HttpResponse("Say which team (?team=NAME) or which person (?person=ID).", status=400,
                            content_type="text/plain")
    report = services.health().report
    chosen = report.for_team(team) if team else report.for_person(person or "")
    return render(request, "health/_own_findings.html", {
        "findings": Visibility(request.user).findings(chosen), "note": NOTE,
        "subject": "team" if team else "person"})


def what_if(request: HttpRequest) -> HttpResponse:
    """The simulation panel. ``?changes=`` in the address runs the simulation, so a link shares it;
    a POST of the form does the same. Nothing here writes."""
    text = request.POST.get("changes", "") if request.method == "POST" else request.GET.get("changes", "")
    example = services.simulation().example
    context: dict[str, Any] = {"text": text, "syntax": SYNTAX.values(), "levels": active_ladder().levels,
                               "example": example, "example_text": "\n".join(example), "pickers": pickers.PICKERS}
    status = 200
    if request.method == "POST" or text.strip():
        try:
            result = services.simulate(text, "what-if form")
        except InputError as exc:
            context["problems"] = exc.problems
            status = 400
        else:
            context.update(result_context(request.user, result))
            context["link"] = f"{request.path}?{urlencode({'changes': text.strip()})}"
    return render(request, "health/what_if.html", context, status=status)


def result_context(user: Any, result: WhatIfResult) -> dict[str, Any]:
    """What a simulation's result shows this viewer: findings through the viewer's filters, metrics before and after."""
    visibility = Visibility(user)
    after = result.metrics_after
    return {"result": result, "appeared": visibility.findings(result.appeared),
            "disappeared": visibility.findings(result.disappeared), "changed": visibility.pairs(result.changed),
            "note": NOTE, "metrics": [(METRIC_LABELS.get(name, name), metric_value(name, before),
                                       metric_value(name, after[name]), before != after[name])
                                      for name, before in result.metrics_before.items()]}


TILES = [
    ("headcount", "People"), ("teams", "Teams"), ("pair_share", "Teams with a complete pair"),
    ("tech_lead_share", "Teams with a tech lead"), ("engineers_per_manager", "Engineers per manager"),
    ("span_mean", "Mean span"), ("span_max", "Widest span"), ("staff_and_above_share", "Staff and above"),
    ("people_in_two_roles", "People in two roles"), ("teams_per_tech_lead_max", "Most teams led by one person"),
    ("architecture_line_share", "Tech leads under the architecture line"),
]


def tiles(report: HealthReport) -> list[tuple[str, str]]:
    summary = report.metrics.summary()
    return [(label, metric_value(name, summary[name])) for name, label in TILES]


def dashboard_charts(report: HealthReport, ladder: Ladder) -> list[str]:
    m = report.metrics
    no_manager = report.counts().get("no-people-manager", 0)
    with_manager = m.teams - no_manager
    lead_only = m.teams_with_tech_lead - m.teams_with_pair
    manager_only = with_manager - m.teams_with_pair
    neither = max(m.teams - m.teams_with_pair - lead_only - manager_only, 0)
    result = [charts.bar_chart("Leadership of teams", [
        ("Complete pair", m.teams_with_pair), ("Tech lead only", lead_only),
        ("People manager only", manager_only), ("Neither", neither)])]
    result.append(charts.bar_chart("Span of control (solid-line reports)", [
        (f"{n} report{'s' if n != 1 else ''}", count) for n, count in sorted(m.span_distribution.items())],
        colour=charts.PALETTE[1]))
    for k, track in enumerate(ladder.tracks):
        bars = [(level.title, m.headcount_by_level.get(level.id, 0)) for level in ladder.track_levels(track.id)]
        result.append(charts.bar_chart(f"People per level: {track.name}", bars,
                                       colour=charts.PALETTE[k % 2]))
    result.append(charts.bar_chart("Teams per tech lead", [
        (f"{n} team{'s' if n != 1 else ''}", count)
        for n, count in sorted(m.teams_per_tech_lead_distribution.items())], colour=charts.PALETTE[2]))
    return result


