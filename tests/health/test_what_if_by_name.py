"""What-if changes name people by name or e-mail, teams by name or key, levels by title, roles in words."""

from __future__ import annotations

import pytest

from tests.health.builders import LADDER, healthy
from trellis.health.whatif import Simulation, parse_what_if_options, read_what_if_lines, read_what_if_options
from trellis.lib.problems import InputError
from trellis.org.names import quote_word


def simulation(builder=None, team_keys=None):  # type: ignore[no-untyped-def]
    b = builder or healthy()
    b.change("alice", email="Alice.Adams@example.org")
    return Simulation(b.build(), LADDER, team_keys=team_keys)


def outcome(result):  # type: ignore[no-untyped-def]
    return (sorted((f.code, f.person or f.team) for f in result.appeared),
            sorted((f.code, f.person or f.team) for f in result.disappeared), result.metrics_after)


def test_names_emails_team_names_level_titles_and_role_words_mean_what_ids_mean():
    sim = simulation()
    by_id = sim.run(parse_what_if_options(["promote alice engineering-manager",
                                           "give people_manager@Payments alice", "move sam Payments"]))
    by_name = sim.run(parse_what_if_options(['promote "alice adams" "Engineering Manager"',
                                             'give "People manager"@payments ALICE.ADAMS@EXAMPLE.ORG',
                                             'move "  Sam   SINGH " PAYMENTS']))
    assert outcome(by_name) == outcome(by_id)
    assert [c.describe() for c in by_name.changes] == [c.describe() for c in by_id.changes] == [
        "promote alice engineering-manager", "give people_manager@Payments alice", "move sam Payments"]


def test_the_changes_are_worded_back_with_names():
    result = simulation().run(parse_what_if_options(["promote alice engineering-manager", "manager pay1 none",
                                                     "give tech-lead@search bob"]))
    assert result.wording == ['promote "Alice Adams" engineering-manager', "manager Pay1 none",
                              'give tech_lead@Search "Bob Brown"']
    assert result.to_dict()["wording"] == result.wording


def test_a_name_two_people_share_is_an_error_listing_both_with_id_and_team():
    b = healthy().change("pay1", name="Sam Singh")
    with pytest.raises(InputError) as caught:
        simulation(b).run(parse_what_if_options(['leave "sam singh"']))
    [problem] = caught.value.problems
    assert problem.message == ("'sam singh' could be any of 2 people: Sam Singh (pay1, Payments); Sam Singh (sam, "
                               "Search); write the id or e-mail of the person you mean")


def test_a_name_shared_with_someone_who_left_means_the_one_still_here():
    b = healthy().person("sam-old", "software-engineer", name="Sam Singh", team="Search", active=False)
    result = simulation(b).run(parse_what_if_options(['take tech_lead@Search "Sam Singh"']))
    assert [c.person for c in result.changes] == ["sam"]


def test_an_id_wins_over_a_name_that_is_the_same_word():
    b = healthy().change("pay1", name="alice")
    result = simulation(b).run(parse_what_if_options(["leave alice"]))
    assert [c.person for c in result.changes] == ["alice"]
    assert result.wording == ['leave "Alice Adams"']


def test_a_team_is_found_by_its_key():
    result = simulation(team_keys={"7": "Search"}).run(parse_what_if_options(["move alice 7"]))
    assert [c.team for c in result.changes] == ["Search"]


def test_every_problem_of_every_line_is_reported():
    changes, problems = read_what_if_lines(
        "give tech_leed@atlantis zed\npromote\n\npromote nobody wizard\nmanager alice bobby\nleave alice", "form")
    with pytest.raises(InputError) as caught:
        simulation().run(changes, problems=problems)
    assert [(p.line, p.message.split(":")[0]) for p in caught.value.problems] == [
        (1, "unknown person 'zed'"), (1, "unknown role 'tech_leed'; roles are tech_lead and people_manager"),
        (1, "unknown team 'atlantis'"),
        (2, "'promote' has 0 word(s) after 'promote' but needs 2"),
        (4, "unknown person 'nobody'"), (4, "unknown level 'wizard'"),
        (5, "unknown manager 'bobby'"),
    ]


def test_options_that_do_not_read_are_reported_with_those_that_do_not_apply():
    changes, problems = read_what_if_options(["hire zed", "leave nobody"])
    with pytest.raises(InputError) as caught:
        simulation().run(changes, problems=problems)
    assert [p.source for p in caught.value.problems] == ["--what-if 'hire zed'", "--what-if 'leave nobody'"]


def test_changes_that_no_longer_apply_can_be_skipped_and_are_listed():
    changes, _ = read_what_if_lines("leave bob\npromote bob vp-engineering\nmove alice Search", "scenario")
    result = simulation().run(changes, skip_inapplicable=True)
    assert [c.describe() for c in result.changes] == ["leave bob", "move alice Search"]
    [(skipped, why)] = result.skipped
    assert skipped.line == 2 and why[0].message == "Bob Brown (bob) has left the organisation"
    assert result.to_dict()["skipped"] == [{"change": "promote bob vp-engineering", "line": 2,
                                            "problems": ["Bob Brown (bob) has left the organisation"]}]


@pytest.mark.parametrize("text, word", [("alice", "alice"), ("Alice Adams", '"Alice Adams"'),
                                        ("O'Brien", '"O\'Brien"'), ('Say "hi"', '"Say \\"hi\\""'),
                                        ("Pay@Core", '"Pay@Core"')])
def test_a_word_reads_back_as_itself(text, word):
    assert quote_word(text) == word
    [change] = parse_what_if_options([f"move x {word}"])
    assert change.team == text


def test_the_example_applies_to_the_organisation_it_was_made_for():
    sim = simulation()
    assert sim.example == ['promote "Alice Adams" "Engineering Manager"', 'give people_manager@Payments "Alice Adams"']
    result = sim.run(parse_what_if_options(sim.example))
    assert ("dual-role", "alice") in outcome(result)[0]
