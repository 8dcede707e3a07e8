"""The drawn org chart: the page, each subtree's boxes as SVG, and the JSON its script asks for."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from trellis.web.health import services as health_services
from trellis.web.health.visibility import Visibility
from trellis.web.ladders.services import active_ladder
from trellis.web.org import chart, drawing, queries
from trellis.web.org.models import Person, RoleAssignment
from trellis.web.org.queries import held_on, today

FOUND = 8
FINDINGS_ASKED = 400  # ids one request may ask findings for (one opened subtree at most)


def chart_page(request: HttpRequest) -> HttpResponse:
    """The top of the organisation (or one person's part of it with ``?root=ID``), with ``?focus=ID`` in view."""
    ladder = active_ladder()
    root_id = request.GET.get("root", "").strip()
    focus_id = request.GET.get("focus", "").strip()
    groups: list[tuple[str, list[drawing.Box]]] = []
    root = None
    cut = False
    if root_id:
        root = Person.objects.filter(external_id=root_id, active=True).first()
        if root is None:
            raise Http404("no such person in the organisation")
        top, _ = chart.nodes_of(Person.objects.filter(pk=root.pk), ladder)
        groups.append(("", [drawing.box(n, ladder) for n in top]))
        kids, cut = chart.nodes_under(root, ladder)
        if kids:
            groups.append((root.external_id, [drawing.box(n, ladder) for n in kids]))
    else:
        focus = Person.objects.filter(external_id=focus_id, active=True).first() if focus_id else None
        top, cut = chart.chart(ladder, focus)
        groups.append(("", [drawing.box(n, ladder) for n in top]))
        _flatten(top, ladder, groups)
    url = _person_url()
    drawn = [(parent, mark_safe(drawing.svg(boxes, url))) for parent, boxes in groups]  # svg() escapes
    return render(request, "org/drawn.html", {
        "groups": drawn if groups[0][1] else [], "root": root, "cut": cut, "focus_id": focus_id})


def _flatten(nodes: list[chart.ChartNode], ladder: object, groups: list[tuple[str, list[drawing.Box]]]) -> None:
    for n in nodes:
        if n.children is not None:
            groups.append((n.person.external_id, [drawing.box(c, ladder) for c in n.children]))  # type: ignore[arg-type]
            _flatten(n.children, ladder, groups)


def chart_boxes(request: HttpRequest, external_id: str) -> HttpResponse:
    """The boxes of one person's direct reports, as SVG for the drawing to place."""
    manager = Person.objects.filter(external_id=external_id).first()
    if manager is None:
        raise Http404("no such person")
    ladder = active_ladder()
    nodes, cut = chart.nodes_under(manager, ladder)
    boxes = drawing.svg([drawing.box(n, ladder) for n in nodes], _person_url())
    return HttpResponse(f'<svg xmlns="http://www.w3.org/2000/svg"><g class="kids" data-parent="{escape(external_id)}">'
                        f'{boxes}</g></svg>', content_type="image/svg+xml; charset=utf-8")


def _person_url() -> str:
    return reverse("org-person", args=["ID"])


def chart_path(request: HttpRequest, external_id: str) -> JsonResponse:
    """The solid line from the top of the organisation down to a person: what to open to show them."""
    person = Person.objects.filter(external_id=external_id, active=True).first()
    if person is None:
        raise Http404("no such person in the organisation")
    return JsonResponse({"name": person.name, "path": [p.external_id for p in chart.chain_above(person)]})


def chart_find(request: HttpRequest) -> JsonResponse:
    """People whose name, id or email matches ``?q=``, for the drawing's search."""
    q = request.GET.get("q", "").strip()
    people = queries.find_people(q, limit=FOUND) if q else []  # the directory kept in memory
    return JsonResponse({"people": [{"id": p.external_id, "name": p.name, "team": p.team.name if p.team else ""}
                                    for p in people]})


def chart_findings(request: HttpRequest) -> JsonResponse:
    """The findings about each of ``?ids=a,b,…`` that the viewer may read: about the person, or about a
    team on which they hold a role (a team with no tech lead shows on its people manager's box)."""
    ids = [i for i in request.GET.get("ids", "").split(",") if i][:FINDINGS_ASKED]
    report = health_services.health().report
    teams: dict[str, set[str]] = {}
    for pid, team in (RoleAssignment.objects.filter(held_on(today()), person__external_id__in=ids)
                      .values_list("person__external_id", "team__name")):
        teams.setdefault(team, set()).add(pid)
    wanted = set(ids)
    concerning = [f for f in report.findings if (f.person in wanted) or (f.team in teams and not f.person)]
    shown = Visibility(request.user).findings(concerning)
    result: dict[str, list[dict[str, str]]] = {}
    for f in shown:
        holders = {f.person} if f.person in wanted else teams.get(f.team or "", set())
        for pid in holders:
            result.setdefault(pid, []).append({"code": f.code, "severity": str(f.severity), "message": f.message})
    return JsonResponse({"findings": result})
