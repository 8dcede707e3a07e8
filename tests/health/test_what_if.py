"""What-if: the findings a planned change would bring or clear, without changing the organisation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from tests.health.builders import AS_OF, LADDER, healthy
from trellis.health.engine import evaluate
from trellis.health.whatif import (
    Simulation,
    apply_changes,
    compare,
    parse_what_if,
    parse_what_if_file,
    parse_what_if_options,
    read_what_if_file,
    what_if,
)
from trellis.lib.problems import InputError


def run(changes, builder=None):  # type: ignore[no-untyped-def]
    return what_if((builder or healthy()).build(), LADDER, None, parse_what_if_options(changes))


def appeared(result):  # type: ignore[no-untyped-def]
    return sorted((f.code, f.person or f.team) for f in result.appeared)


def test_promoting_the_tech_lead_to_engineering_manager_of_her_team_creates_two_jobs_and_a_peter_risk():
    result = run(["promote alice engineering-manager", "give people_manager@Payments alice"])
    # and, as no one reports to her yet, a manager who manages no one
    assert appeared(result) == [("dual-role", "alice"), ("peter-principle-risk", "alice"),
                                ("span-of-control", "alice")]
    assert result.disappeared == []


def test_the_same_promotion_of_someone_who_prefers_management_creates_only_two_jobs():
    b = healthy().change("alice", preferred_track="management")
    result = run(["promote alice engineering-manager", "give people_manager@Payments alice",
                  "manager pay1 alice", "manager pay2 alice", "manager pay3 alice", "manager pay4 alice"], b)
    assert appeared(result) == [("dual-role", "alice"), ("span-of-control", "bob")]  # Bob keeps only one report


def test_moving_the_tech_lead_out_of_her_team_leaves_a_void():
    result = run(["move alice Search"])
    assert appeared(result) == [("no-tech-lead", "Payments")]
    [void] = result.appeared
    assert void.since == AS_OF and "the last was Alice Adams (alice)" in void.message


def test_making_an_architect_tech_lead_of_a_third_team_spreads_him_thin():
    b = healthy().team("Ops").engineers("ops", 3, manager="erin", team="Ops").lead("arthur", "Payments")
    b.lead("arthur", "Search")
    result = run(["give tech_lead@Ops arthur"], b)
    assert appeared(result) == [("tech-lead-spread", "arthur")]
    assert [(f.code, f.team) for f in result.disappeared] == [("no-tech-lead", "Ops")]


def test_metrics_before_and_after():
    result = run(["take tech_lead@Payments alice"])
    assert result.metrics_before["teams_with_tech_lead"] == 2 and result.metrics_after["teams_with_tech_lead"] == 1
    assert result.to_dict()["metrics"]["tech_lead_share"] == {"before": 1.0, "after": 0.5}
    assert result.to_dict()["changes"] == ["take tech_lead@Payments alice"]


def test_a_leaving_manager_hands_the_reports_to_their_own_manager():
    result = run(["leave bob"])
    # Dora now has Erin and Bob's five engineers: six, exactly a manager of managers' maximum.
    assert appeared(result) == [("no-people-manager", "Payments")]
    assert (result.metrics_before["span_max"], result.metrics_after["span_max"]) == (5, 6)
    assert (result.metrics_before["headcount"], result.metrics_after["headcount"]) == (19, 18)


def test_a_new_manager_changes_the_spans():
    result = run(["manager sam bob", "manager search1 bob", "manager search2 bob"])
    assert appeared(result) == [("span-of-control", "erin")]  # two reports left
    assert result.metrics_after["architecture_line_share"] == 0.5


def test_a_finding_that_stays_with_new_evidence_is_reported_as_changed():
    b = healthy().engineers("more", 4, manager="bob", team="Payments")
    result = run(["leave more1"], b)
    assert result.appeared == [] and [f.code for f in result.disappeared] == ["span-of-control"]
    b.engineers("extra", 2, manager="bob", team="Payments")
    result = run(["leave extra1"], b)
    [(before, after)] = result.changed
    assert "11 direct reports" in before.message and "10 direct reports" in after.message


def test_applying_changes_never_changes_the_input():
    snapshot = healthy().build()
    people, roles = dict(snapshot.people), list(snapshot.roles)
    after = apply_changes(snapshot, LADDER, parse_what_if_options(["leave bob", "promote alice cto"]))
    assert snapshot.people == people and snapshot.roles == roles
    assert not after.people["bob"].active and after.people["alice"].level == "cto"
    assert after.people["pay1"].manager_id == "dora"


def test_unknown_person_team_and_level_are_all_reported_at_once():
    with pytest.raises(InputError) as caught:
        run(["promote nobody lead-engineer", "move alice Atlantis", "promote alice boss",
             "give tech_lead@Payments alicia"])
    messages = [str(p) for p in caught.value.problems]
    assert messages[0] == "--what-if 'promote nobody lead-engineer': error: unknown person 'nobody': no one has " \
                          "that id, name or e-mail"
    assert "unknown team 'Atlantis'" in messages[1]
    assert "unknown level 'boss': give a level's id or title; the ladder's levels are: software-engineer," \
        in messages[2]
    assert "unknown person 'alicia': no one has that id, name or e-mail (did you mean Alice Adams (alice, " \
           "Payments)?)" in messages[3]
    assert len(messages) == 4


def test_impossible_changes_say_why():
    with pytest.raises(InputError) as caught:
        run(["give tech_lead@Payments alice", "take people_manager@Search alice", "manager diana alice",
             "promote bob engineering-manager", "move bob Payments"])
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "Alice Adams (alice) is already tech_lead of Payments" in text
    assert "Alice Adams (alice) is not people_manager of Search" in text
    assert "would make a reporting cycle" in text
    assert "already at level 'engineering-manager'" in text
    assert "already on team Payments" in text


def test_someone_who_has_left_cannot_be_changed():
    with pytest.raises(InputError, match=r"Bob Brown \(bob\) has left the organisation"):
        run(["leave bob", "promote bob vp-engineering"])


@pytest.mark.parametrize("text, message", [
    ("", "an empty change"),
    ("hire alice", "unknown change 'hire'"),
    ("promote alice", "needs 2: write promote PERSON LEVEL"),
    ("give people_manager alice", "as ROLE@TEAM"),
    ("give @Payments alice", "as ROLE@TEAM"),
    ('move alice "Payments', "cannot read"),
])
def test_bad_one_line_changes_say_how_to_write_them(text, message):
    with pytest.raises(InputError) as caught:
        parse_what_if(text)
    assert message in caught.value.problems[0].message


def test_team_names_with_spaces_are_quoted():
    change = parse_what_if('give tech_lead@"Payments Core" alice')
    assert (change.role, change.team, change.person) == ("tech_lead", "Payments Core", "alice")
    assert parse_what_if("manager alice none").manager is None
    assert parse_what_if(change.describe()) == change


def test_a_file_of_changes_mixes_lines_and_mappings():
    changes = parse_what_if_file(FIXTURES / "health" / "what-if.yaml")
    assert [c.describe() for c in changes] == [
        "promote alice engineering-manager", "give people_manager@Payments alice", "move sam Payments",
        "manager bob none", "leave erin"]
    assert changes[1].line == 3


def test_a_bad_file_of_changes_lists_every_problem_with_its_line():
    with pytest.raises(InputError) as caught:
        parse_what_if_file(FIXTURES / "health" / "what-if-bad.yaml")
    assert [str(p) for p in caught.value.problems] == [
        f"{FIXTURES / 'health' / 'what-if-bad.yaml'}:2: error: unknown change 'hire': write one of: "
        "promote PERSON LEVEL; move PERSON TEAM; give ROLE@TEAM PERSON; take ROLE@TEAM PERSON; "
        "manager PERSON MANAGER; leave PERSON",
        f"{FIXTURES / 'health' / 'what-if-bad.yaml'}:3: error: a 'promote' change needs 'level:' "
        "(promote PERSON LEVEL)",
        f"{FIXTURES / 'health' / 'what-if-bad.yaml'}:6: error: unknown key 'colour' in a change: use change, "
        "level, manager, person, role, team",
    ]


def test_an_unknown_role_in_a_file_is_reported_with_its_line_when_applied():
    changes, problems = read_what_if_file(FIXTURES / "health" / "what-if-bad.yaml")
    assert len(problems) == 3 and [c.line for c in changes] == [8]
    with pytest.raises(InputError) as caught:
        Simulation(healthy().build(), LADDER).run(changes, problems=problems)
    assert [(p.line, p.message) for p in caught.value.problems][-1] == (
        8, "unknown role 'boss'; roles are tech_lead and people_manager")
    assert [p.line for p in caught.value.problems] == [2, 3, 6, 8]


def test_unknown_people_in_a_file_are_reported_with_their_line():
    changes = parse_what_if_file(FIXTURES / "health" / "what-if-unknown.yaml")
    with pytest.raises(InputError) as caught:
        what_if(healthy().build(), LADDER, None, changes)
    assert [(p.line, p.message.split(":")[0]) for p in caught.value.problems] == [
        (2, "unknown person 'zed'"), (4, "unknown team 'Atlantis'")]


# Any sequence of valid changes gives, incrementally, exactly the report of a full evaluation.
PEOPLE = sorted(healthy().people)
TEAMS = ["Payments", "Search"]
LEVELS = [level.id for level in LADDER.levels]
change_text = st.one_of(
    st.builds("promote {} {}".format, st.sampled_from(PEOPLE), st.sampled_from(LEVELS)),
    st.builds("move {} {}".format, st.sampled_from(PEOPLE), st.sampled_from(TEAMS)),
    st.builds("{} {}@{} {}".format, st.sampled_from(["give", "take"]), st.sampled_from(["tech_lead", "people_manager"]),
              st.sampled_from(TEAMS), st.sampled_from(PEOPLE)),
    st.builds("manager {} {}".format, st.sampled_from(PEOPLE), st.sampled_from([*PEOPLE, "none"])),
    st.builds("leave {}".format, st.sampled_from(PEOPLE)),
)
SIMULATION = Simulation(healthy().build(), LADDER)


@settings(max_examples=60, deadline=None)
@given(st.lists(change_text, min_size=1, max_size=4))
def test_a_simulation_agrees_with_a_full_evaluation(texts):
    changes = parse_what_if_options(texts)
    try:
        result = SIMULATION.run(changes)
    except InputError:
        return  # an impossible sequence (a cycle, someone who already left): nothing to compare
    full = evaluate(apply_changes(SIMULATION.snapshot, LADDER, changes), LADDER)
    assert result.after.findings == full.findings
    assert result.after.metrics == full.metrics
    assert SIMULATION.before == evaluate(SIMULATION.snapshot, LADDER)
    compared = compare(SIMULATION.before, full, changes)  # two reports that share no finding objects
    assert (compared.appeared, compared.disappeared, compared.changed) == \
        (result.appeared, result.disappeared, result.changed)


def test_a_question_leaves_the_simulation_as_it_was():
    simulation = Simulation(healthy().build(), LADDER)
    fresh = Simulation(healthy().build(), LADDER)
    simulation.run(parse_what_if_options(["leave alice", "give tech_lead@Search bob", "manager pay1 none",
                                          "promote bob director-of-architecture"]))

    def state(obj: object) -> dict[str, object]:
        return {name: value for name, value in vars(obj).items() if name not in ("index", "facts", "journal")}

    assert state(simulation._analysis) == state(fresh._analysis)
    assert state(simulation._analysis.index) == state(fresh._analysis.index)
