"""Pages of the organisation: teams, people, the org chart. Reading only; importing is in ``upload``."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from trellis.ladder.model import Ladder
from trellis.lib.lru import LRU
from trellis.org.model import PEOPLE_MANAGER, TECH_LEAD
from trellis.web.ladders.services import active_ladder
from trellis.web.org import chart, people_filters, queries
from trellis.web.org.access import Viewer
from trellis.web.org.models import Person, Team
from trellis.web.org.queries import level_info, today
from trellis.web.org.templatetags.org_extras import person_url, team_url
from trellis.web.org.version import version

TEAMS_PER_PAGE = 100
PEOPLE_PER_PAGE = 50
TEAM_CHOICES = 500  # teams offered as suggestions in the directory's team filter
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


@dataclass(frozen=True)
class TeamPage:
    """A team's page as every viewer sees it, below what depends on the viewer (the edit button)."""

    name: str
    department: str
    members: int
    body: SafeString


TEAM_PAGES_KEPT = 2000
_team_pages = LRU(TEAM_PAGES_KEPT)


def team_page(request: HttpRequest, key: str) -> HttpResponse:
    """A team's page. Its body is the same for everyone and is kept per version of the organisation,
    day and ladder: at 100,000 people a team's history alone is hundreds of rows to read and write
    out, and a team page is opened far more often than the organisation changes."""
    page = _team_pages.get((version(), key, today()), lambda: _team_page(key))
    return render(request, "org/team.html", {"team": page})


def _team_page(key: str) -> TeamPage:
    ladder = active_ladder()
    view = queries.team_view(key, ladder)
    body = render_to_string("org/_team_body.html", {"view": view, "team": view.team, "ladder": ladder})
    return TeamPage(view.team.name, view.team.department, len(view.members), mark_safe(body))


def people_page(request: HttpRequest) -> HttpResponse:
    ladder = active_ladder()
    filters = people_filters.Filters.of(request.GET)
    number = request.GET.get("page")
    page = (queries.people_page(filters.q, number, PEOPLE_PER_PAGE) if filters.only_search
            else Paginator(people_filters.people(filters, ladder), PEOPLE_PER_PAGE).get_page(number))
    teams, departments = _choices.get(version(), _team_choices)
    return render(request, "org/people.html", {
        "page": page, "filters": filters, "ladder": ladder, "rows": people_rows(page, ladder),
        "teams": teams, "department_options": options(departments, filters.department),
        "under_person": Person.objects.filter(external_id=filters.under).first() if filters.under else None,
    })


_choices = LRU(2)
LEFT = ' class="left"'
SELECTED = " selected"


def _team_choices() -> tuple[list[str], list[str]]:
    """The teams (when few enough to offer) and departments the directory's filters offer, kept per
    version of the organisation: every search reads them, and at 100,000 people they are 14,000 teams."""
    team_names = list(Team.objects.order_by("name").values_list("name", flat=True)[:TEAM_CHOICES + 1])
    departments = list(Team.objects.exclude(department="").order_by("department")
                       .values_list("department", flat=True).distinct())
    return (team_names if len(team_names) <= TEAM_CHOICES else []), departments


def options(values: list[str], chosen: str) -> SafeString:
    """``<option>`` of each value, ``chosen`` (any case) selected: hundreds of departments at 100,000 people."""
    chosen = chosen.lower()
    return mark_safe("".join(f'<option value="{escape(v)}"{SELECTED if v.lower() == chosen else ""}>'
                             f"{escape(v)}</option>" for v in values))


def people_rows(people: Iterable[Person], ladder: Ladder) -> SafeString:
    """The directory's table rows, written here rather than by a template: a page of 50 people is
    then a third of the time (the same markup ``org/people.html`` would write)."""
    e = escape
    rows = []
    for p in people:
        lv = level_info(ladder, p.level)
        left = not p.active
        team = f'<a href="{e(team_url(p.team.name))}">{e(p.team.name)}</a>' if p.team else ""
        manager = (f'<a href="{e(person_url(p.manager.external_id))}">{e(p.manager.name)}</a>'
                   if p.manager else "")
        email = f'<a href="mailto:{e(p.email)}">{e(p.email)}</a>' if p.email else ""
        gone = ' <span class="tag left">left</span>' if left else ""
        rows.append(
            f"<tr{LEFT if left else ''}>\n"
            f'    <td><a href="{e(person_url(p.external_id))}">{e(p.name)}</a>{gone} '
            f'<code class="id">{e(p.external_id)}</code></td>\n'
            f'    <td>{e(lv.title)} <span class="track {e(lv.kind)}">{e(lv.track)}</span></td>\n'
            f"    <td>{team}</td>\n    <td>{manager}</td>\n    <td>{email}</td>\n  </tr>\n")
    return mark_safe("".join(rows))


def people_export(request: HttpRequest) -> StreamingHttpResponse:
    """The people of the directory's current view as CSV: HR and admin only."""
    if not Viewer.of(request.user).privileged:
        raise PermissionDenied("only HR and admin may export the people directory")
    ladder = active_ladder()
    found = people_filters.people(people_filters.Filters.of(request.GET), ladder)

    def rows() -> Iterator[str]:
        out = _Line()
        writer = csv.writer(out)
        writer.writerow(people_filters.CSV_COLUMNS)
        yield out.take()
        for p in found.iterator(chunk_size=2000):
            lv = level_info(ladder, p.level)
            writer.writerow([p.external_id, p.name, p.email, p.level, lv.title, lv.track,
                             p.team.name if p.team else "", p.team.department if p.team else "",
                             p.manager.external_id if p.manager else "", p.manager.name if p.manager else "",
                             "yes" if p.active else "no"])
            yield out.take()

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="people-{today().isoformat()}.csv"'
    return response


class _Line:
    """A file for ``csv.writer`` that hands back each line written."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def take(self) -> str:
        text, self.text = self.text, ""
        return text


def person_page(request: HttpRequest, external_id: str) -> HttpResponse:
    ladder = active_ladder()
    view = queries.person_view(external_id, ladder, Viewer.of(request.user))
    return render(request, "org/person.html", {"view": view, "person": view.person, "ladder": ladder})


def list_page(request: HttpRequest) -> HttpResponse:
    """The org chart as an indented list: the accessible alternative to the drawing."""
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
    return f"{reverse('org-chart-list')}?{urlencode({'focus': person.external_id})}#node-{quote(person.external_id)}"
