"""Team and person pages cost the same number of queries for a small and a big team or person."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.web.org import org_factory as f

pytestmark = pytest.mark.django_db

# Session, user, the user's groups (for the menu), the active ladder, then the page's own reads.
TEAM_PAGE_QUERIES = 4 + 8  # team, its roles, its members, every role its pair holds (two jobs), the
#                           names it has had, its history, the first import (whose entries are worked
#                           out when it recorded none), names in the history
PERSON_PAGE_QUERIES = 4 + 10  # person with manager and team, dotted up, dotted down, reports, roles,
#                               the other halves of the pairs, the viewer's own person (who may see
#                               what), history, the first import, names in the history


def grow_team(size: int, events: int) -> None:
    team = f.team(f"T{size}")
    lead = f.person(f"lead{size}", "Lee Lead", "lead-engineer", team=team)
    f.role(lead, team, "tech_lead")
    for i in range(size):
        f.person(f"m{size}-{i}", f"Member {i}", team=team, manager=lead)
    for i in range(events):
        f.event("team-changed", date(2025, 1, 1) + timedelta(days=i), person_id=f"m{size}-{i % size}",
                old="Elsewhere", new=team.name)


def grow_person(roles: int, reports: int, events: int) -> None:
    boss = f.person(f"boss{roles}", "Bo Boss", "director-of-engineering")
    person = f.person(f"p{roles}", "Pat Person", "software-architect", manager=boss)
    for i in range(roles):
        team = f.team(f"R{roles}-{i}")
        f.role(person, team, "tech_lead")
        f.role(f.person(f"pm{roles}-{i}", f"Manager {i}", "engineering-manager"), team, "people_manager")
        f.dotted(person, f.Person.objects.get(external_id=f"pm{roles}-{i}"))
    for i in range(reports):
        report = f.person(f"r{roles}-{i}", f"Report {i}", manager=person)
        f.dotted(report, person)
    for i in range(events):
        f.event("manager-changed", date(2024, 1, 1) + timedelta(days=i), person_id=f"p{roles}",
                old=f"someone-{i}", new=f"boss{roles}")


@pytest.mark.parametrize(("size", "events"), [(2, 1), (40, 30)])
def test_the_team_page_costs_the_same_queries_for_any_team(client, charlie, django_assert_num_queries,
                                                           size, events):
    grow_team(size, events)
    client.force_login(charlie)
    with django_assert_num_queries(TEAM_PAGE_QUERIES):
        response = client.get(f"/org/teams/T{size}/")
    assert response.content.decode().count('href="/org/people/m') >= size


@pytest.mark.parametrize(("roles", "reports", "events"), [(0, 0, 1), (1, 1, 1), (12, 25, 40)])
def test_the_person_page_costs_the_same_queries_for_any_person(client, charlie, django_assert_num_queries,
                                                               roles, reports, events):
    grow_person(roles, reports, events)
    client.force_login(charlie)
    with django_assert_num_queries(PERSON_PAGE_QUERIES):
        response = client.get(f"/org/people/p{roles}/")
    html = response.content.decode()
    assert html.count("tech lead</span>") == roles and html.count('data-kind="manager-changed"') == events


@pytest.mark.parametrize("size", [2, 40])
def test_the_api_people_list_costs_the_same_queries_for_any_page(client, charlie, django_assert_num_queries, size):
    grow_person(3, size, 1)
    client.force_login(charlie)
    # Session, user, groups, then: the page of people with managers and teams, their dotted lines,
    # the active ladder, the viewer's own person (who may see what), the total count.
    with django_assert_num_queries(3 + 5):
        body = client.get("/api/org/people", {"limit": 100}).json()
    assert len(body["items"]) == body["count"] == size + 5


@pytest.mark.parametrize("size", [2, 40])
def test_opening_a_chart_subtree_costs_the_same_queries_for_any_number_of_reports(
        client, charlie, django_assert_num_queries, size):
    grow_person(3, size, 1)
    client.force_login(charlie)
    # Session, user, groups, the manager, the active ladder, then one level of the chart:
    # people with their report counts, their roles, the other halves of those pairs, their
    # dotted lines, and the number of dotted-line reports each has.
    with django_assert_num_queries(5 + 5):
        html = client.get("/org/chart/p3/children/").content.decode()
    assert html.count('class="node"') == size
