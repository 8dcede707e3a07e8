"""The organisation as it was on a past date: the current state with later changes undone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.org.test_write_org_csv import WORD, organisations
from trellis.ladder.load import load_default
from trellis.org.csvio import read_org_csv, write_org_csv
from trellis.org.history import rewind
from trellis.org.model import OrgSnapshot
from trellis.org.plan import plan_import

LADDER = load_default().ladder
D1, D2, D3 = date(2025, 3, 1), date(2025, 6, 1), date(2025, 9, 1)
A = (
    "id,name,email,level,manager_id,dotted_manager_ids,team,department,roles,preferred_track,since\n"
    "cto,Ada,ada@example.org,cto,,,,,,technical,2019-01-01\n"
    "em,Ben,,engineering-manager,cto,,pay,Money,people_manager,management,2021-05-01\n"
    "tl,Cleo,,senior-software-engineer,em,,pay,Money,tech_lead,technical,2022-01-01\n"
    "e1,Dev,,software-engineer,em,tl,pay,Money,,undecided,2023-02-03\n"
    "e2,Eli,,software-engineer,em,,pay,Money,,,\n"
)
# Promotions, a hand-over, a move to a new team in a new department, a rename, a leaver and a joiner.
B = (
    "id,name,email,level,manager_id,dotted_manager_ids,team,department,roles,preferred_track,since\n"
    "cto,Ada Ng,ada@new.example.org,cto,,,,,,technical,2019-01-01\n"
    "em,Ben,,senior-engineering-manager,cto,,pay,Finance,people_manager;people_manager@maps,undecided,2025-08-01\n"
    "tl,Cleo,,lead-engineer,em,,pay,Finance,,technical,\n"
    "e1,Dev,,software-engineer,cto,em;tl,maps,Geo,tech_lead,technical,2023-02-03\n"
    "e3,Fay,,software-engineer,e1,,maps,Geo,,,\n"
)


def imported(text: str, current: OrgSnapshot, day: date):  # type: ignore[no-untyped-def]
    return plan_import(current, read_org_csv(text, "org.csv", LADDER, as_of=day), as_of=day, ladder=LADDER)


def test_rewinding_to_the_first_import_gives_back_the_first_file():
    first = imported(A, OrgSnapshot(as_of=D1), D1)
    second = imported(B, first.result, D3)
    assert second.counts["left"] == 1 and second.counts["joined"] == 1
    then = rewind(second.result, first.changes + second.changes, D2)
    assert write_org_csv(then) == write_org_csv(first.result)
    assert then.people == first.result.people
    assert then.as_of == D2


def test_rewinding_to_a_day_after_the_changes_changes_nothing():
    first = imported(A, OrgSnapshot(as_of=D1), D1)
    second = imported(B, first.result, D3)
    assert write_org_csv(rewind(second.result, first.changes + second.changes, D3)) == write_org_csv(second.result)


def test_before_the_first_import_there_was_nobody():
    first = imported(A, OrgSnapshot(as_of=D1), D1)
    empty = rewind(first.result, first.changes, date(2025, 2, 1))
    assert empty.people == {} and empty.current_roles == []


def test_a_role_that_ended_later_is_held_on_the_earlier_day():
    first = imported(A, OrgSnapshot(as_of=D1), D1)
    second = imported(B, first.result, D3)
    then = rewind(second.result, first.changes + second.changes, D2)
    assert [(r.person_id, r.end) for r in then.team_roles("pay", "tech_lead")] == [("tl", None)]
    assert second.result.team_roles("pay", "tech_lead") == []


def test_a_promotion_dated_by_since_shows_from_that_day_even_if_imported_later():
    first = imported(A, OrgSnapshot(as_of=D1), D1)
    promoted = A.replace("tl,Cleo,,senior-software-engineer,em,,pay,Money,tech_lead,technical,2022-01-01",
                         "tl,Cleo,,lead-engineer,em,,pay,Money,tech_lead,technical,2025-04-01")
    second = imported(promoted, first.result, D3)
    events = first.changes + second.changes
    assert rewind(second.result, events, D2).people["tl"].level == "lead-engineer"
    before = rewind(second.result, events, date(2025, 3, 31)).people["tl"]
    assert (before.level, before.level_since) == ("senior-software-engineer", date(2022, 1, 1))


def undated(org: OrgSnapshot) -> OrgSnapshot:
    """The same organisation with no ``since`` dates: every change in it takes the import's date."""
    return org.evolve(people={pid: replace(p, level_since=None) for pid, p in org.people.items()},
                      roles=[replace(r, start=None) for r in org.roles])


@st.composite
def two_versions(draw: st.DrawFn) -> tuple[OrgSnapshot, OrgSnapshot]:
    """Two organisations over the same people and teams: some stay, some leave, some join, most change."""
    pool = draw(st.lists(WORD, min_size=1, max_size=10, unique=True))
    teams = draw(st.lists(WORD, max_size=4, unique=True))
    return draw(organisations(pool, teams)), undated(draw(organisations(pool, teams)))


@settings(max_examples=40, deadline=None)
@given(two_versions())
def test_any_organisation_imported_then_changed_rewinds_to_what_was_imported(versions):
    first_file, second_file = versions
    day = first_file.as_of  # the drawn organisations date nothing after it
    first = plan_import(OrgSnapshot(as_of=day), first_file, as_of=day, ladder=LADDER)
    second = plan_import(first.result, second_file, as_of=D3, ladder=LADDER)
    events = first.changes + second.changes
    between = date(2025, 8, 1)
    assert day < between < D3
    assert write_org_csv(rewind(second.result, events, between)) == write_org_csv(first.result)
    assert rewind(second.result, events, between).people == first.result.people
    assert write_org_csv(rewind(second.result, events, D3)) == write_org_csv(second.result)
    assert plan_import(second.result, second_file, as_of=date(2025, 10, 1), ladder=LADDER).is_empty
