"""Rows an earlier import read are taken as they were: the same organisation, and a bad file the same problems."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import FIXTURES
from trellis.ladder.load import load_default, parse_ladder
from trellis.lib.problems import InputError
from trellis.org.csvio import KnownRows, ReadOptions, read_org_csv
from trellis.org.model import OrgSnapshot

LADDER = load_default().ladder
AS_OF = date(2025, 9, 1)
HEADER = "id,name,email,level,manager_id,dotted_manager_ids,team,department,roles,preferred_track,since\n"
ROWS = {
    "cto": "cto,Ada Ørsted,ada@example.org,cto,,,,,,technical,2019-01-01\n",
    "em1": "em1,Björn Ng,bjorn@example.org,engineering-manager,cto,,payments,Money,"
           "people_manager;people_manager@search,management,2021-05-01\n",
    "tl1": "tl1,Chloé Diaz,,lead-engineer,cto,em1,payments,Money,tech_lead,technical,2022-01-01\n",
    "arc": "arc,Dana Li,,software-architect,cto,em1,,,tech_lead@search,technical,\n",
    "e1": "e1,Eve,,software-engineer,em1,,payments,Money,,,\n",
    "e2": "e2,Femi,,senior-software-engineer,em1,,search,,,,\n",
}
ORG = HEADER + "".join(ROWS.values())


def changed(**rows: str | None) -> str:
    """ORG with some rows replaced (None: removed), in the same order."""
    return HEADER + "".join(rows.get(pid, row) or "" for pid, row in ROWS.items() if rows.get(pid, row) is not None)


def digests_of(text: str, **kwargs: object) -> dict[str, str]:
    digests: dict[str, str] = {}
    read_org_csv(text, "org.csv", kwargs.pop("ladder", LADDER), as_of=AS_OF, digests=digests, **kwargs)  # type: ignore[arg-type]
    return digests


def known_of(org: OrgSnapshot, digests: dict[str, str]) -> KnownRows:
    """What an import of ``org`` stores for the next one: each row's digest and what was stored of its person."""
    people = org.people.values()
    return KnownRows(people={digest: pid for pid, digest in digests.items()},
                     team_of={p.id: p.team for p in people if p.team is not None},
                     manager_of={p.id: p.manager_id for p in people if p.manager_id is not None},
                     dotted_of={p.id: p.dotted_manager_ids for p in people if p.dotted_manager_ids},
                     e_mail_of={p.id: p.email for p in people if p.email},
                     name_of={p.id: p.name for p in people},
                     departments={name: team.department for name, team in org.teams.items()})


def known_from(text: str) -> KnownRows:
    digests: dict[str, str] = {}
    return known_of(read_org_csv(text, "org.csv", LADDER, as_of=AS_OF, digests=digests), digests)


def as_whole(partial: OrgSnapshot, known: KnownRows, stored: OrgSnapshot) -> tuple[object, ...]:
    """A reading with rows taken, completed by the people taken as ``stored``: the people, their roles, and
    the teams the rows read work in, to compare with a first reading's."""
    people = {**{pid: stored.people[pid] for pid in known.taken}, **partial.people}
    roles = sorted([*partial.roles, *(s for s in stored.roles if s.person_id in known.taken)],
                   key=lambda s: (s.person_id, s.team, s.role))
    worked_in = {p.team for p in partial.people.values() if p.team is not None}
    return people, roles, {name: partial.teams[name] for name in sorted(worked_in)}


def whole(full: OrgSnapshot, partial: OrgSnapshot) -> tuple[object, ...]:
    worked_in = {p.team for p in partial.people.values() if p.team is not None}
    return full.people, full.roles, {name: full.teams[name] for name in sorted(worked_in)}


# The teams an import of ORG leaves: a role may name one with nobody working in it (``known_teams``).
TEAMS = ("payments", "search")


def read(text: str, known: KnownRows | None = None) -> OrgSnapshot:
    return read_org_csv(text, "next.csv", LADDER, as_of=AS_OF, known=known, known_teams=TEAMS)


def problems(text: str, known: KnownRows | None = None) -> list[str]:
    with pytest.raises(InputError) as caught:
        read(text, known)
    return [str(p) for p in caught.value.problems]


def test_a_row_that_says_what_was_stored_has_a_digest_and_one_that_names_a_manager_by_e_mail_has_none():
    text = changed(e2="e2,Femi,,senior-software-engineer,bjorn@example.org,,search,,,,\n")
    assert sorted(digests_of(text)) == ["arc", "cto", "e1", "em1", "tl1"]


def test_an_unchanged_row_is_taken_as_it_was_and_the_organisation_is_the_same_as_read():
    known = known_from(ORG)
    text = changed(e1="e1,Eve Adams,,software-engineer,em1,,payments,Money,,,\n")
    partial = read(text, known)
    assert list(partial.people) == ["e1"]  # only the row that changed is read
    assert known.taken == {"cto", "em1", "tl1", "arc", "e2"}
    assert partial.people["e1"].name == "Eve Adams"
    assert as_whole(partial, known, read(ORG)) == whole(read(text), partial)
    assert list(partial.teams) == ["payments"]
    assert partial.teams["payments"] == read(text).teams["payments"]
    assert not known.unsettled


def test_a_team_given_a_department_unsettles_the_rows_taken_in_it():
    known = known_from(ORG)
    text = changed(e2="e2,Femi,,senior-software-engineer,em1,,search,Discovery,,,\n")
    partial = read(text, known)
    assert partial.teams["search"].department == "Discovery"
    assert known.unsettled == set()  # nobody else works in search
    text = (HEADER + "".join(ROWS.values()) + "e3,Gil,,software-engineer,em1,,search,,,,\n")
    known = known_from(text)
    partial = read(text.replace("e2,Femi,,senior-software-engineer,em1,,search,,,,",
                                "e2,Femi,,senior-software-engineer,em1,,search,Discovery,,,"), known)
    assert known.unsettled == {"e3"}  # still taken, but the row no longer says its team's department


def test_the_digest_of_a_row_depends_on_the_ladder_and_on_how_the_file_is_read():
    plain = digests_of(ORG)
    other_ladder = parse_ladder(load_default().text.replace("title: Lead Engineer", "title: Tech Lead Engineer"),
                                "other.yaml").ladder
    assert LADDER.level_names != other_ladder.level_names
    for digests in (digests_of(ORG, ladder=other_ladder),
                    digests_of(ORG, options=ReadOptions(outside_managers="top")),
                    digests_of(ORG, options=ReadOptions(where=(("level", frozenset({"cto", "software-engineer",
                                                                                     "engineering-manager",
                                                                                     "lead-engineer",
                                                                                     "software-architect",
                                                                                     "senior-software-engineer"})),))),
                    digests_of(ORG.replace("preferred_track,since", "preferred_track,Since"))):
        assert set(digests) == set(plain)
        assert not set(digests.values()) & set(plain.values())


@pytest.mark.parametrize("text", [
    # a changed row closes a reporting cycle through rows that did not change
    changed(cto="cto,Ada Ørsted,ada@example.org,cto,e1,,,,,technical,2019-01-01\n"),
    # the manager of unchanged rows is no longer in the file
    changed(em1=None),
    # a changed row names another department for a team
    changed(e2="e2,Femi,,senior-software-engineer,em1,,payments,Platform,,,\n"),
    # an unchanged row comes twice
    ORG + ROWS["e1"],
    # an e-mail two people share names a manager
    changed(e2="e2,Femi,ada@example.org,senior-software-engineer,em1,,search,,,,\n",
            e1="e1,Eve,,software-engineer,ada@example.org,,payments,Money,,,\n"),
    # a changed row leads a team that neither the file nor the organisation has
    changed(e1="e1,Eve,,software-engineer,em1,,payments,Money,tech_lead@nowhere,,\n"),
    # a problem in a changed row only
    changed(e1="e1,Eve,,junior-wizard,em1,,payments,Money,,,\n"),
    # a problem in the header
    ORG.replace("preferred_track,since", "preferred_track,since,extra"),
    # a problem on a line after the unchanged ones
    ORG + "e3,,,software-engineer,em1,,payments,Money,,,\n",
])
def test_a_bad_file_has_the_same_problems_whether_or_not_rows_were_known(text):
    assert problems(text, known_from(ORG)) == problems(text)


def test_the_only_member_of_a_team_that_taken_rows_lead_may_leave():
    known = known_from(ORG)
    partial = read(changed(e2=None), known)
    assert not partial.people and known.taken == {"cto", "em1", "tl1", "arc", "e1"}
    assert as_whole(partial, known, read(ORG)) == whole(read(changed(e2=None)), partial)


def test_a_row_not_known_is_read_even_when_the_rows_around_it_are_taken():
    known = known_from(ORG)
    kept = KnownRows(**{**known.__dict__, "people": {d: pid for d, pid in known.people.items() if pid != "e1"}})
    partial = read(ORG, kept)
    assert list(partial.people) == ["e1"] and partial.people["e1"].active
    assert "e1" not in kept.taken


def test_the_fixtures_read_the_same_with_their_own_rows_known():
    for path in sorted((FIXTURES / "org").glob("*.csv")):
        data = path.read_bytes()
        try:
            first = read_org_csv(data, str(path), LADDER, as_of=AS_OF)
        except InputError as exc:
            expected = [str(p) for p in exc.problems]
            with pytest.raises(InputError) as caught:
                read_org_csv(data, str(path), LADDER, as_of=AS_OF, known=known_from(ORG))
            assert [str(p) for p in caught.value.problems] == expected, path.name
            continue
        digests: dict[str, str] = {}
        read_org_csv(data, str(path), LADDER, as_of=AS_OF, digests=digests)
        known = known_of(first, digests)
        again = read_org_csv(data, str(path), LADDER, as_of=AS_OF, known=known)
        assert known.taken == set(digests), path.name  # every row that says what was stored is taken
        assert as_whole(again, known, first) == whole(first, again), path.name


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_a_file_whose_lines_end_otherwise_is_taken_as_it_was_stored(ending):
    text = ORG.replace("\n", ending)
    known = known_from(text)
    partial = read(text.replace("Eve,", "Eve Adams,"), known)
    assert list(partial.people) == ["e1"] and partial.people["e1"].name == "Eve Adams"
    assert known.taken == {"cto", "em1", "tl1", "arc", "e2"}


def test_the_same_rows_with_other_line_endings_are_read_again_and_read_the_same():
    known = known_from(ORG)
    partial = read(ORG.replace("\n", "\r\n"), known)
    assert not known.taken and partial == read(ORG)


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_a_last_line_without_its_ending_is_looked_up_with_the_ending_of_the_line_before(ending):
    text = ORG.replace("\n", ending)
    digests = digests_of(text.removesuffix(ending))
    assert "e2" not in digests  # looked up, but not kept: more lines could follow it
    known = known_from(text)
    partial = read(text.removesuffix(ending), known)
    assert not partial.people and known.taken == set(ROWS)


def test_a_last_row_whose_quote_only_the_end_of_the_file_closes_is_never_taken():
    open_quote = ROWS["e2"].replace(",,,,\n", ',,,,"2020-01-01\n')
    text = changed(e2=open_quote)
    assert "e2" not in digests_of(text)  # more lines would be read into its quote
    then = text + "e3,Gus,,software-engineer,em1,,search,,,,\n"
    assert problems(then, known_from(text)) == problems(then)


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_a_last_line_without_its_ending_alone_in_its_block_is_looked_up_with_the_ending_before_it(ending):
    one = HEADER + ROWS["cto"]
    text = one.replace("\n", ending)
    known = known_from(text)
    partial = read(text.removesuffix(ending), known)
    assert not partial.people and known.taken == {"cto"}
