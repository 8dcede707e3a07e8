"""Generated demo organisations: the shape of the brief, planted problems, exact size, same seed same file."""

from __future__ import annotations

from datetime import date

import pytest

from trellis.health.engine import evaluate
from trellis.ladder.load import load_default
from trellis.org.csvio import read_org_csv
from trellis.org.generate import generate_org, generate_org_csv
from trellis.org.model import OrgSnapshot

LADDER = load_default().ladder
GRADE = {level.id: level.grade for level in LADDER.levels}


@pytest.fixture(scope="module")
def org() -> OrgSnapshot:
    return generate_org(1500, seed=11)


def chain(org: OrgSnapshot, pid: str) -> list[str]:
    """The solid line from a person up to the top."""
    up = []
    node = org.people[pid].manager_id
    while node is not None:
        up.append(node)
        node = org.people[node].manager_id
    return up


@pytest.mark.parametrize(("people", "seed"), [(20, 1), (57, 2), (300, 3), (2000, 4)])
def test_it_makes_exactly_the_people_asked_for_in_a_file_that_reads_cleanly(people, seed):
    org = read_org_csv(generate_org_csv(people, seed), "demo.csv", LADDER, as_of=date(2025, 7, 1))
    assert len(org.people) == people
    assert {p.level for p in org.people.values()} <= set(GRADE)


def test_the_same_seed_gives_the_same_file_and_another_seed_another():
    assert generate_org_csv(200, seed=5) == generate_org_csv(200, seed=5)
    assert generate_org_csv(200, seed=5) != generate_org_csv(200, seed=6)


def test_too_few_people_is_refused():
    with pytest.raises(ValueError, match="at least 20 people"):
        generate_org(5, seed=1)


def test_it_has_a_cto_a_vp_and_a_director_of_architecture_among_the_heads_of_management(org):
    by_level: dict[str, list[str]] = {}
    for p in org.people.values():
        by_level.setdefault(p.level, []).append(p.id)
    (cto,), (doa,) = by_level["cto"], by_level["director-of-architecture"]
    assert org.people[cto].manager_id is None
    vp = org.people[doa].manager_id
    assert vp is not None and org.people[vp].level == "vp-engineering" and org.people[vp].manager_id == cto
    directors = [pid for pid in by_level["director-of-engineering"] if org.people[pid].manager_id == vp]
    assert directors, "the Director of Architecture has directors of engineering as peers"


def test_tech_leads_report_to_the_architecture_line_and_work_with_their_teams_managers(org):
    doa = next(p.id for p in org.people.values() if p.level == "director-of-architecture")
    leads = {r.person_id for r in org.current_roles if r.role == "tech_lead"}
    managers = {r.person_id for r in org.current_roles if r.role == "people_manager"}
    pure_leads = leads - managers
    under_architecture = [pid for pid in pure_leads if doa in chain(org, pid)]
    assert len(under_architecture) == len(pure_leads)
    with_dotted = [pid for pid in pure_leads if set(org.people[pid].dotted_manager_ids) & managers]
    assert len(with_dotted) > 0.8 * len(pure_leads)


def test_teams_have_four_to_nine_people_with_their_pair(org):
    sizes = [len(members) for members in org.members_by_team.values()]
    assert sum(4 <= s <= 9 for s in sizes) > 0.95 * len(sizes)
    paired = [t for t in org.teams if org.team_roles(t, "tech_lead") and org.team_roles(t, "people_manager")]
    assert len(paired) > 0.8 * len(org.teams)


def test_it_has_architects_leading_several_teams_and_managers_of_two(org):
    led = {pid: len(org.person_roles(pid, "tech_lead")) for pid in org.roles_by_person}
    architects = [pid for pid, n in led.items() if n in (2, 3) and org.people[pid].level.endswith("architect")]
    assert architects
    assert all(org.people[pid].team is None for pid in architects)
    assert any(len(org.person_roles(pid, "people_manager")) == 2 for pid in org.roles_by_person)


@pytest.mark.parametrize(("people", "seed"), [(200, 1), (200, 2), (1500, 11)])
def test_it_plants_a_few_of_each_problem_the_health_engine_looks_for_even_at_the_demos_size(people, seed):
    org = generate_org(people, seed)
    roles = org.roles_by_person
    teams = list(org.teams)
    assert any(not org.team_roles(t, "tech_lead") for t in teams), "a team without a tech lead"
    assert any(not org.team_roles(t, "people_manager") for t in teams), "a team without a people manager"
    both = [pid for pid, spans in roles.items() if {s.role for s in spans} == {"tech_lead", "people_manager"}]
    same_team = [pid for pid in both if {s.team for s in roles[pid] if s.role == "tech_lead"}
                 & {s.team for s in roles[pid] if s.role == "people_manager"}]
    assert same_team and set(both) - set(same_team), "both roles on one team, and across two teams"
    managers = {pid for pid, spans in roles.items() if any(s.role == "people_manager" for s in spans)}
    assert any(org.people[pid].preferred_track == "technical" for pid in managers)
    spans = [len(org.direct_reports.get(pid, ())) for pid in managers]
    assert any(n > 8 for n in spans) and any(n < 4 for n in spans)
    assert any(len(org.person_roles(pid, "tech_lead")) >= 4 for pid in roles)
    assert any(GRADE[org.people[pid].level] < GRADE["lead-engineer"] for pid in roles
               if org.person_roles(pid, "tech_lead") and org.people[pid].level.endswith("engineer"))
    thin = [(f.level, f.severity) for f in evaluate(org, LADDER).findings if f.code == "thin-bench"]
    assert thin == [("director-of-architecture", "warning")], "nobody one level below the Director of Architecture"


def test_it_has_departments_non_ascii_names_preferred_tracks_and_since_dates(org):
    assert len({t.department for t in org.teams.values()} - {None}) >= 2
    assert any(not p.name.isascii() for p in org.people.values())
    assert {p.preferred_track for p in org.people.values()} == {"technical", "management", "undecided"}
    assert sum(p.level_since is not None for p in org.people.values()) > 0.8 * len(org.people)
