"""The health dashboard, health over time, and the what-if simulation panel (which never writes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe

from trellis.health.asof import parse_as_of
from trellis.health.engine import CODES, SEVERITIES, HealthReport
from trellis.health.render import METRIC_LABELS, metric_value
from trellis.health.report import TITLES
from trellis.health.whatif import SYNTAX, WhatIfResult
from trellis.ladder.model import Ladder
from trellis.lib import clock
from trellis.lib.problems import InputError, Problem
from trellis.web.health import charts, pickers, services
from trellis.web.health.visibility import NOTE, PRIVATE, Visibility
from trellis.web.ladders.services import active_ladder
from trellis.web.org import services as org_services
from trellis.web.org.access import Viewer
from trellis.web.paging import page_of, query_without

MONTHS = 12
T = TypeVar("T")


def _as_of(request: HttpRequest) -> tuple[date | None, list[Problem]]:
    try:
        day = parse_as_of(request.GET.get("as_of"), "as_of", today=clock.today())
        org_services.check_recorded(day)  # before the first import there is no data, not an empty organisation
        return day, []
    except InputError as exc:
        return None, exc.problems


def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs attention first (critical and warning), then the rest (information, acknowledged,
    exempted), then the figures and charts. Each list is paged; the page's queries do not grow with it."""
    day, problems = _as_of(request)
    code, severity = request.GET.get("code") or None, request.GET.get("severity") or None
    if code is not None and code not in CODES:
        problems.append(Problem("code", None, f"unknown finding code '{code}'; codes are: {', '.join(CODES)}"))
    if severity is not None and severity not in SEVERITIES:
        problems.append(Problem("severity", None, f"unknown severity '{severity}'; write one of "
                                                  f"{', '.join(SEVERITIES)}"))
    if problems:
        return render(request, "health/dashboard.html", {"problems": problems}, status=400)
    health = services.health(day)
    visibility = Visibility(request.user)
    # Acknowledgements apply to today's findings; a past date is shown as it was judged then.
    acknowledgements = tuple(services.acknowledgements()) if day is None else ()
    # What this viewer may read of the report is worked out once per report, acknowledgements, day
    # and class of viewer (those who may read the same findings about preferred tracks), not per
    # request: at 100,000 people it is thousands of findings to sort and filter.
    subjects = health.kept("private-subjects", None, lambda: Visibility.subjects(
        [*health.report.findings, *(e.finding for e in health.report.exempted)]))
    # Who may read which of them follows from the viewer's place in the organisation, which the
    # report's key already covers: worked out once per viewer's person (and staff rights) and report.
    viewer = visibility.viewer
    whom = (viewer.staff, None if viewer.privileged else viewer.person)  # HR and admin read them all
    allowed = health.kept("allowed", whom, lambda: visibility.allowed_of(subjects))

    def visible() -> HealthReport:
        judged = services.acknowledged_report(health.report, acknowledgements) if day is None else health.report
        return visibility.report(judged, allowed).filtered(code=code, severity=severity)

    report = health.kept("dashboard", (allowed, acknowledgements, clock.today(), code, severity), visible)
    attention = [f for f in report.findings if f.severity != "info"]
    info = [f for f in report.findings if f.severity == "info"]
    open_pages = {"attention": _page(request, "page", attention), "info": _page(request, "info_page", info)}
    acknowledged_page = _page(request, "acknowledged_page", report.acknowledged)
    exempted_page = _page(request, "exempted_page", report.exempted)
    shown = [*open_pages["attention"], *open_pages["info"], *(f for f, _ in acknowledged_page),
             *(e.finding for e in exempted_page)]
    pages = {**open_pages, "acknowledged": acknowledged_page, "exempted": exempted_page}
    may = visibility.acknowledgeable(shown) if day is None else set()
    names = services.person_names(f.person for f in shown if f.person)
    next_address = request.get_full_path()

    def body() -> str:
        counts = report.severity_counts()
        return render_to_string("health/_dashboard_body.html", {
            "report": report, "as_of": day, "policy": health.policy, "note": NOTE, "pages": pages,
            "ladder": health.ladder, "counts": counts, "attention_count": counts["critical"] + counts["warning"],
            "names": names, "lapsed": report.lapsed, "acknowledgeable": may, "withdrawable": may,
            "next": next_address, "code": code, "severity": severity, "filtered": bool(code or severity),
            "codes": [(c, TITLES[c]) for c in CODES if visibility.sees_all or c != PRIVATE], "severities": SEVERITIES,
            "query": {param: query_without(request, param) for param in PAGE_PARAMS},
            "tiles": tiles(health.report), "charts": dashboard_charts(health.report, health.ladder),
            "today": clock.today(), "csrf_token": CSRF_SLOT,
        })

    # The findings shown, their forms and the figures are written once per report, class of viewer
    # (what they may read, and acknowledge of what is shown), address and names shown; each request
    # only fills in its own form token.
    written = health.kept("dashboard-body", (allowed, acknowledgements, clock.today(), next_address,
                                             frozenset(may), tuple(sorted(names.items())), visibility.sees_all),
                          body)
    return render(request, "health/dashboard.html", {
        "as_of": day, "body": mark_safe(written.replace(CSRF_SLOT, get_token(request)))})


# Where each form of a kept dashboard takes the request's own token (letters only, as a token is).
CSRF_SLOT = "CSRFSLOTFORTHISREQUEST"


PER_PAGE = 20
PAGE_PARAMS = ("page", "info_page", "acknowledged_page", "exempted_page")


def _page(request: HttpRequest, param: str, items: Sequence[T]) -> Page[T]:
    return page_of(request, param, items, PER_PAGE)


def timeline(request: HttpRequest) -> HttpResponse:
    """The findings-over-time charts, loaded after the dashboard so the page itself stays quick: one small
    chart per finding that was ever present, on one whole-number scale, and the same counts as a table."""
    series = services.timeline(MONTHS)
    counts = Visibility(request.user).counts(series.counts)
    moving = [(code, values) for code, values in counts.items() if any(values)]
    months = [d.strftime("%b %Y") for d in series.dates]
    ticks = charts.integer_ticks(max((max(values) for _, values in moving), default=0))
    panels = [(code, TITLES.get(code, code), charts.small_multiple(
        f"{TITLES.get(code, code)}: open findings at each month's end", months, values, ticks,
        colour=charts.PALETTE[k % len(charts.PALETTE)])) for k, (code, values) in enumerate(moving)]
    # Against the worst month shown: a void that opened and closed within the year still shows.
    rows = [(code, TITLES.get(code, code), values, max(values), values[-1] - max(values)) for code, values in moving]
    return render(request, "health/_timeline.html", {"panels": panels, "rows": rows, "dates": series.dates,
                                                     "months": len(series.dates)})


def own_findings(request: HttpRequest) -> HttpResponse:
    """What hits one team (``?team=NAME``: the findings filed under it and those about the people who
    hold its roles) or one person (``?person=ID``), for their pages; acknowledged ones apart."""
    team, person = request.GET.get("team"), request.GET.get("person")
    if bool(team) == bool(person):
        return HttpResponse("Say which team (?team=NAME) or which person (?person=ID).", status=400,
                            content_type="text/plain")
    health = services.health()
    report = services.acknowledged_report(health.report)
    notes: dict[tuple[str, str, str, str], str] = {}
    if team:
        holders = services.role_holders(health).get(team, [])
        chosen, notes = services.hitting_team(report.findings, holders, team)
        acknowledged_, more = services.hitting_team([f for f, _ in report.acknowledged], holders, team)
        notes.update(more)
    else:
        chosen = report.for_person(person or "")
        acknowledged_ = [f for f, _ in report.acknowledged if f.person == person]
    visibility = Visibility(request.user)
    wanted = {f.key for f in acknowledged_}
    seen = visibility.report(replace(report, findings=chosen, exempted=[],
                                     acknowledged=[(f, a) for f, a in report.acknowledged if f.key in wanted]))
    shown = [*seen.findings, *(f for f, _ in seen.acknowledged)]
    may = visibility.acknowledgeable(shown)
    # Forms on the fragment return to the page it was put into (htmx says which), else to the team or person.
    back = _local_path(request.headers.get("HX-Current-URL") or "") or (
        reverse("org-team", args=[team]) if team else reverse("org-person", args=[person]))
    return render(request, "health/_own_findings.html", {
        "findings": seen.findings, "acknowledged": seen.acknowledged, "lapsed": seen.lapsed, "notes": notes,
        "names": services.person_names(f.person for f in shown if f.person), "note": NOTE,
        "acknowledgeable": may, "withdrawable": may, "next": back,
        "subject": "team" if team else "person", "ladder": health.ladder})


def _local_path(url: str) -> str:
    """Where a form on a fragment returns: the page it was put into, when that is this site's."""
    path = urlsplit(url)
    return f"{path.path}{'?' + path.query if path.query else ''}" if path.path.startswith("/") else ""


def acknowledge(request: HttpRequest) -> HttpResponse:
    """A finding acknowledged from a page: back to the page, or the problems (400) or a refusal (403)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    until = None
    problems: list[Problem] = []
    if text := request.POST.get("until", "").strip():
        try:
            until = date.fromisoformat(text)
        except ValueError:
            problems.append(Problem("until", None, f"'{text}' is not a date: write it as YYYY-MM-DD"))
    if not problems:
        user = request.user
        try:
            services.acknowledge(Viewer.of(user), code=request.POST.get("code", ""),
                                 team=request.POST.get("team") or None, person=request.POST.get("person") or None,
                                 level=request.POST.get("level") or None, reason=request.POST.get("reason", ""),
                                 until=until, by=services.who(user), by_user=user, source="acknowledgement")
        except InputError as exc:
            problems = exc.problems
    if problems:
        return render(request, "health/acknowledge_problems.html",
                      {"problems": problems, "next": _safe_next(request)}, status=400)
    return redirect(_safe_next(request))


def withdraw(request: HttpRequest, ack_id: int) -> HttpResponse:
    """An acknowledgement withdrawn from a page (the same right as acknowledging): its finding is open again."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.withdraw(Viewer.of(request.user), ack_id, services.who(request.user))
    except InputError as exc:
        return render(request, "health/acknowledge_problems.html",
                      {"problems": exc.problems, "next": _safe_next(request)}, status=400)
    return redirect(_safe_next(request))


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("health")


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
    """What a simulation's result shows this viewer: findings through the viewer's filters (people by
    name, one query), metrics before and after."""
    visibility = Visibility(user)
    after = result.metrics_after
    appeared, disappeared = visibility.findings(result.appeared), visibility.findings(result.disappeared)
    changed = visibility.pairs(result.changed)
    shown = [*appeared, *disappeared, *(a for _, a in changed)]
    return {"result": result, "appeared": appeared, "disappeared": disappeared, "changed": changed,
            "names": services.person_names(f.person for f in shown if f.person),
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


