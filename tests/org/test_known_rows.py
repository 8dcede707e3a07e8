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


def known_from(text: str) -> KnownRows:
    """What an import of ``text`` leaves to the next one: each row's person, roles and team's department."""
    digests: dict[str, str] = {}
    org = read_org_csv(text, "org.csv", LADDER, as_of=AS_OF, digests=digests)
    roles: dict[str, list[tuple[str, str]]] = {}
    for span in org.roles:
        roles.setdefault(span.person_id, []).append((span.team, span.role))
    return KnownRows(people={digest: org.people[pid] for pid, digest in digests.items()}, roles=roles,
                     departments={name: team.department for name, team in org.teams.items()})


def read(text: str, known: KnownRows | None = None) -> OrgSnapshot:
    return read_org_csv(text, "next.csv", LADDER, as_of=AS_OF, known=known)


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
    taken = read(text, known)
    assert taken == read(text)
    assert taken.teams == read(text).teams and taken.roles == read(text).roles
    stored = {p.id: p for p in known.people.values()}
    assert taken.people["e2"] is stored["e2"]  # taken, not read
    assert taken.people["e1"].name == "Eve Adams"


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
    # the only member of a team that unchanged rows lead is gone
    changed(e2=None),
    # a problem in a changed row only
    changed(e1="e1,Eve,,junior-wizard,em1,,payments,Money,,,\n"),
    # a problem in the header
    ORG.replace("preferred_track,since", "preferred_track,since,extra"),
    # a problem on a line after the unchanged ones
    ORG + "e3,,,software-engineer,em1,,payments,Money,,,\n",
])
def test_a_bad_file_has_the_same_problems_whether_or_not_rows_were_known(text):
    assert problems(text, known_from(ORG)) == problems(text)


def test_a_known_row_whose_person_has_left_is_read_as_a_new_one():
    known = known_from(ORG)
    left = KnownRows(people={d: p if p.id != "e1" else type(p)(**{**_fields(p), "active": False})
                             for d, p in known.people.items()}, roles=known.roles, departments=known.departments)
    assert read(ORG, left).people["e1"].active


def _fields(person: object) -> dict[str, object]:
    return {name: getattr(person, name) for name in person.__slots__}  # type: ignore[attr-defined]


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
        roles: dict[str, list[tuple[str, str]]] = {}
        for span in first.roles:
            roles.setdefault(span.person_id, []).append((span.team, span.role))
        known = KnownRows(people={d: first.people[pid] for pid, d in digests.items()}, roles=roles,
                          departments={name: team.department for name, team in first.teams.items()})
        again = read_org_csv(data, str(path), LADDER, as_of=AS_OF, known=known)
        assert (again, again.teams, again.roles) == (first, first.teams, first.roles), path.name
