"""Writing the organisation CSV: deterministic, and reading it back gives the same organisation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from trellis.ladder.load import load_default
from trellis.org.csvio import read_org_csv, write_org_csv
from trellis.org.model import PREFERRED_TRACKS, ROLES, OrgSnapshot, Person, RoleSpan, Team

LADDER = load_default().ladder
AS_OF = date(2025, 7, 1)

# Letters of many scripts, digits, and the characters CSV must quote.
TEXT = st.text(st.characters(categories=("L", "N"), include_characters=" ,\"'-.@"), min_size=1, max_size=12)
WORD = TEXT.map(str.strip).filter(bool)
DAY = st.dates(min_value=date(2000, 1, 1), max_value=AS_OF)


@st.composite
def organisations(draw: st.DrawFn, pool: list[str] | None = None, team_pool: list[str] | None = None) -> OrgSnapshot:
    """An organisation; given pools of ids and team names, one drawn from them (so that two overlap)."""
    if pool is None:
        ids = draw(st.lists(WORD, min_size=1, max_size=10, unique=True))
    else:
        ids = [pid for pid in pool if draw(st.booleans())] or pool[:1]
    team_names = draw(st.lists(WORD, max_size=4, unique=True)) if team_pool is None else team_pool
    people: dict[str, Person] = {}
    roles: list[RoleSpan] = []
    for i, pid in enumerate(ids):
        team = draw(st.sampled_from([None, *team_names]))
        since = draw(st.none() | DAY)
        others = ids[:i] + ids[i + 1:]
        people[pid] = Person(
            id=pid, name=draw(WORD), level=draw(st.sampled_from([lv.id for lv in LADDER.levels])),
            email=draw(st.sampled_from(["", f"p{i}@example.org"])),
            preferred_track=draw(st.sampled_from(PREFERRED_TRACKS)),
            manager_id=draw(st.sampled_from([None, *ids[:i]])),  # earlier people only: no cycles
            dotted_manager_ids=tuple(sorted(draw(st.sets(st.sampled_from(others), max_size=2)) if others else ())),
            team=team, level_since=since)
        for name, role in draw(st.sets(st.tuples(st.sampled_from(team_names), st.sampled_from(ROLES)), max_size=3)
                               if team_names else st.just(set())):
            roles.append(RoleSpan(pid, name, role, since))
    member_teams = {p.team for p in people.values() if p.team is not None}
    teams = {name: Team(name, draw(st.none() | WORD) if name in member_teams else None)
             for name in member_teams | {r.team for r in roles}}
    roles.sort(key=lambda r: (r.person_id, r.team, r.role))
    return OrgSnapshot(as_of=AS_OF, people=people, teams=teams, roles=roles)


@settings(max_examples=60, deadline=None)
@given(organisations())
def test_reading_what_was_written_reproduces_the_organisation(org):
    text = write_org_csv(org)
    # A team that is only led is not in any row's team column: it comes back as a team that exists.
    assert read_org_csv(text, "export.csv", LADDER, as_of=AS_OF, known_teams=org.teams) == org
    assert read_org_csv(text.encode("utf-8"), "export.csv", LADDER, as_of=AS_OF, known_teams=org.teams) == org


def test_rows_are_sorted_by_id_and_the_text_is_the_same_every_time():
    text = ("id,name,level,team,roles\nz9,Zoë,engineering-manager,maps,people_manager;tech_lead@search\n"
            "a1,Åsa,software-architect,,tech_lead@maps\n")
    org = read_org_csv(text, "org.csv", LADDER, as_of=AS_OF, known_teams={"search"})
    written = write_org_csv(org)
    assert [line.split(",")[0] for line in written.splitlines()] == ["id", "a1", "z9"]
    assert "z9,Zoë,,engineering-manager,,,maps,,people_manager;tech_lead@search,undecided," in written
    assert write_org_csv(read_org_csv(written, "again.csv", LADDER, as_of=AS_OF, known_teams={"search"})) == written


def test_people_who_have_left_are_not_written():
    org = read_org_csv("id,name,level\na1,Ana,cto\nb2,Ben,software-engineer\n", "org.csv", LADDER, as_of=AS_OF)
    org = org.evolve(people={**org.people, "b2": replace(org.people["b2"], active=False)})
    assert write_org_csv(org).splitlines()[1:] == ["a1,Ana,,cto,,,,,,undecided,"]


def test_the_preferred_track_column_can_be_left_out():
    org = read_org_csv("id,name,level,preferred_track\na1,Ana,cto,technical\n", "org.csv", LADDER, as_of=AS_OF)
    text = write_org_csv(org, include_preferred_track=False)
    assert "preferred_track" not in text and "technical" not in text
