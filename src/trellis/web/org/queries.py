"""Reading the organisation for the pages and the API.

Each read costs a fixed number of SQL queries, whatever the size of the team, the
number of roles a person holds or the length of their history: related rows are
fetched in one query per kind, never one query per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from trellis.access import Relation, Right, allows
from trellis.ladder.model import Ladder
from trellis.lib import clock
from trellis.org.model import PEOPLE_MANAGER, TECH_LEAD, two_jobs
from trellis.web.org import directory, services, timeline
from trellis.web.org.access import Viewer
from trellis.web.org.models import DottedLine, Person, RoleAssignment, Team

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def today() -> date:
    return clock.today()


def held_on(day: date, prefix: str = "") -> Q:
    """Role assignments held on ``day``: started by then, not yet ended (``end`` is exclusive)."""
    return (Q(**{f"{prefix}start__isnull": True}) | Q(**{f"{prefix}start__lte": day})) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": day})
    )


@dataclass(frozen=True, slots=True)
class LevelInfo:
    id: str
    title: str
    track: str  # the track's name
    kind: str  # technical, management, other; "" for a level the active ladder does not know


def level_info(ladder: Ladder, level_id: str) -> LevelInfo:
    level = ladder.levels_by_id.get(level_id)
    if level is None:
        return LevelInfo(level_id, level_id, "not in the active ladder", "")
    track = ladder.track(level.track)
    return LevelInfo(level.id, level.title, track.name, track.effective_kind)


def find_team(key: str) -> Team:
    """A team by exact name, or by number when no team has that name."""
    team = Team.objects.filter(name=key).first()
    if team is None and key.isdigit():
        team = Team.objects.filter(pk=int(key)).first()
    if team is None:
        raise Http404("no such team")
    return team


@dataclass
class TeamView:
    team: Team
    managers: list[RoleAssignment]
    tech_leads: list[RoleAssignment]
    members: list[Person]
    history: list[timeline.TimelineEntry]
    dual_role_ids: set[int]  # holders of this team's roles in two jobs, on this team or across two (two_jobs)


def person_view_target(external_id: str) -> Person:
    """The person to edit, with the relations the edit form shows (404 when there is none)."""
    person = (Person.objects.select_related("manager", "team").prefetch_related("dotted_lines__manager")
              .filter(external_id=external_id).first())
    if person is None:
        raise Http404("no such person")
    return person


def team_view(key: str, ladder: Ladder, *, day: date | None = None, history: bool = True) -> TeamView:
    """The team with its pair and members on ``day``; its history too unless ``history`` is False
    (then the view's history is empty and the two queries it costs are saved)."""
    team = find_team(key)
    day = day or today()
    # Every role held on ``day`` by the holders of this team's roles, on any team, in one query: this
    # team's roles are among them, and the others tell who is in two jobs (a manager here who leads
    # another team). A subquery, so the page costs the same queries whoever holds the roles.
    holders = RoleAssignment.objects.filter(held_on(day), team=team, person__active=True).values("person_id")
    held_by_holders = list(RoleAssignment.objects.filter(held_on(day), person__in=holders)
                           .select_related("person").order_by("start", "person__name"))
    roles = [r for r in held_by_holders if r.team_id == team.pk]
    members = list(Person.objects.filter(team=team, active=True).order_by("name"))
    held: dict[int, list[str]] = {}
    for r in held_by_holders:
        held.setdefault(r.person_id, []).append(r.role)
    return TeamView(
        team=team,
        managers=[r for r in roles if r.role == PEOPLE_MANAGER],
        tech_leads=[r for r in roles if r.role == TECH_LEAD],
        members=members,
        history=timeline.entries(services.history_for_team(team.name), ladder) if history else [],
        dual_role_ids={pk for pk, roles in held.items() if two_jobs(roles)},
    )


@dataclass
class PersonView:
    person: Person
    dotted_managers: list[Person]
    dotted_reports: list[Person]
    direct_reports: list[Person]
    roles: list[RoleAssignment]
    partners: dict[int, list[RoleAssignment]]  # team id -> the other half of the pair on that team
    history: list[timeline.TimelineEntry]
    shows_preferred_track: bool
    may_edit: bool = False  # HR and admin
    may_state_track: bool = False  # the person themself, HR and admin
    is_self: bool = False
    pending: dict[str, object] | None = None  # field -> the pending edit, for those who may see it

    @property
    def role_rows(self) -> list[tuple[RoleAssignment, list[RoleAssignment]]]:
        """Each role with the people who hold the other roles on the same team."""
        return [(r, self.partners.get(r.team_id, [])) for r in self.roles]


def person_view(external_id: str, ladder: Ladder, viewer: Viewer, *, day: date | None = None,
                history: bool = True) -> PersonView:
    """The person as ``viewer`` may see them on ``day``; their history too unless ``history`` is
    False (then the view's history is empty and the two queries it costs are saved)."""
    person = Person.objects.select_related("manager", "team").filter(external_id=external_id).first()
    if person is None:
        raise Http404("no such person")
    day = day or today()
    dotted_managers = [d.manager for d in DottedLine.objects.filter(person=person).select_related("manager")
                       .order_by("manager__name")]
    dotted_reports = [d.person for d in DottedLine.objects.filter(manager=person, person__active=True)
                      .select_related("person").order_by("person__name")]
    direct_reports = list(Person.objects.filter(manager=person, active=True).order_by("name"))
    roles = list(RoleAssignment.objects.filter(held_on(day), person=person).select_related("team")
                 .order_by("team__name", "role"))
    partners: dict[int, list[RoleAssignment]] = {}
    # A subquery rather than the ids of ``roles``: the query runs even for someone with no role,
    # so the page costs the same number of queries for everyone.
    role_teams = RoleAssignment.objects.filter(held_on(day), person=person).values("team_id")
    for r in (RoleAssignment.objects.filter(held_on(day), team__in=role_teams, person__active=True)
              .exclude(person=person).select_related("person").order_by("person__name")):
        partners.setdefault(r.team_id, []).append(r)
    relations = viewer.relations([person.external_id])[person.external_id]
    shows = allows(Right.SEE_PREFERRED_TRACK, relations)
    return PersonView(
        person=person, dotted_managers=dotted_managers, dotted_reports=dotted_reports,
        direct_reports=direct_reports, roles=roles, partners=partners,
        history=(timeline.entries(services.history_for_person(person.external_id), ladder, private=shows)
                 if history else []),
        shows_preferred_track=shows,
        may_edit=allows(Right.EDIT_PERSON, relations),
        may_state_track=allows(Right.EDIT_PREFERRED_TRACK, relations),
        is_self=Relation.SELF in relations,
        pending=dict(services.pending_for(person.external_id)) if allows(Right.SEE_PENDING, relations) else None,
    )


class TeamPairs(TypedDict):
    """What ``teams_with_pairs`` adds to each team."""

    member_count: int
    current_roles: list[RoleAssignment]


def teams_with_pairs(q: str = "", *, role_order: tuple[str, ...] = ("person__name",),
                     role_team: bool = False) -> QuerySet[WithAnnotations[Team, TeamPairs]]:
    """Teams by name whose name or department contains ``q``, each with ``member_count`` (active
    people) and ``current_roles``: the roles held today by active people, in ``role_order``, with
    each holder (and, with ``role_team``, the team) loaded in the same query."""
    current = (RoleAssignment.objects.filter(held_on(today()), person__active=True)
               .select_related("person", *(("team",) if role_team else ())).order_by(*role_order))
    teams = Team.objects.all()
    if q:
        teams = teams.filter(Q(name__icontains=q) | Q(department__icontains=q))
    # Counted per team shown: joined and grouped, every member of every team was counted to show one
    # page of them (half a second at 100,000 people, on every page of the list).
    members = (Person.objects.filter(team=OuterRef("pk"), active=True).order_by().values("team")
               .annotate(count=Count("*")).values("count"))
    return (teams.annotate(member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0))
            .prefetch_related(Prefetch("roles", queryset=current, to_attr="current_roles")).order_by("name"))


def search_people(q: str) -> QuerySet[Person]:
    """People whose name contains ``q`` or whose id is ``q``, active people first."""
    q = q.strip()
    people = Person.objects.all()
    if q:
        people = people.filter(Q(name__icontains=q) | Q(external_id__iexact=q) | Q(email__iexact=q))
    return people.select_related("team").order_by(*directory.ORDER)


def find_people(q: str, *, limit: int) -> list[Person]:
    """The first ``limit`` active people ``search_people`` finds for ``q`` (not empty), from the
    directory kept in memory: no query reads every name."""
    return directory.people(directory.matching(q.strip(), active_only=True, limit=limit))


def people_page(q: str, number: str | int | None, per_page: int) -> Page[Person]:
    """One page of ``search_people(q)``: the matches from the directory kept in memory, the page's
    rows by primary key; everyone in the database's order when ``q`` is empty."""
    q = q.strip()
    if not q:
        return Paginator(search_people(q), per_page).get_page(number)
    page: Page[Any] = Paginator(directory.matching(q), per_page).get_page(number)
    page.object_list = directory.people(list(page.object_list))
    return page
