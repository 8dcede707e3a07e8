"""Pages of the organisation: teams, people, the org chart. Reading only; importing is in ``upload``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from trellis.org.model import PEOPLE_MANAGER, TECH_LEAD
from trellis.web.ladders.services import active_ladder
from trellis.web.org import chart, queries
from trellis.web.org.access import Viewer
from trellis.web.org.models import Person, Team

TEAMS_PER_PAGE = 100
PEOPLE_PER_PAGE = 50
SUGGESTIONS = 8


def teams_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    page = Paginator(queries.teams_with_pairs(q), TEAMS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [TeamRow(t, [r.person for r in t.current_roles if r.role == PEOPLE_MANAGER],
                    [r.person for r in t.current_roles if r.role == TECH_LEAD], t.member_count)
            for t in page]
    return render(request, "org/teams.html", {"page": page, "rows": rows, "q": q})


@dataclass
class TeamRow:
    team: Team
    managers: list[Person]
    tech_leads: list[Person]
    member_count: int


def team_page(request: HttpRequest, key: str) -> HttpResponse:
    ladder = active_ladder()
    view = queries.team_view(key, ladder)
    return render(request, "org/team.html", {"view": view, "team": view.team, "ladder": ladder})


def people_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    page = queries.people_page(q, request.GET.get("page"), PEOPLE_PER_PAGE)
    return render(request, "org/people.html", {"page": page, "q": q, "ladder": active_ladder()})


def person_page(request: HttpRequest, external_id: str) -> HttpResponse:
    ladder = active_ladder()
    view = queries.person_view(external_id, ladder, Viewer.of(request.user))
    return render(request, "org/person.html", {"view": view, "person": view.person, "ladder": ladder})


def chart_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    focus_id = request.GET.get("focus", "").strip()
    matches: list[Person] = []
    if q:
        matches = queries.find_people(q, limit=SUGGESTIONS + 1)
        if len(matches) == 1:
            return redirect(focus_url(matches[0]))
    focus = Person.objects.filter(external_id=focus_id, active=True).first() if focus_id else None
    if focus_id and focus is None:
        raise Http404("no such person in the organisation")
    ladder = active_ladder()
    top, cut = chart.chart(ladder, focus)
    return render(request, "org/chart.html", {
        "nodes": top, "cut": cut, "ladder": ladder, "q": q, "focus": focus,
        "matches": matches[:SUGGESTIONS], "more_matches": len(matches) > SUGGESTIONS,
    })


def chart_children(request: HttpRequest, external_id: str) -> HttpResponse:
    """The direct reports of one person, as the list the chart puts under that person's node."""
    manager = Person.objects.filter(external_id=external_id).first()
    if manager is None:
        raise Http404("no such person")
    ladder = active_ladder()
    nodes, cut = chart.nodes_under(manager, ladder)
    return render(request, "org/_children.html", {"nodes": nodes, "more": cut, "manager": manager, "ladder": ladder})


def suggest(request: HttpRequest) -> HttpResponse:
    """Names matching what is typed into a search box, for the chart and the people page."""
    q = request.GET.get("q", "").strip()
    people = queries.find_people(q, limit=SUGGESTIONS) if len(q) >= 2 else []
    return render(request, "org/_suggest.html", {"people": people, "q": q})


def focus_url(person: Person) -> str:
    return f"{reverse('org-chart')}?{urlencode({'focus': person.external_id})}#node-{quote(person.external_id)}"
