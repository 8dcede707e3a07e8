"""Everyone who manages (a people-manager role or a management level) is held to a minimum, even of zero."""

from __future__ import annotations

from tests.health.builders import LADDER, healthy
from trellis.health.engine import evaluate
from trellis.health.policy import Policy


def spans(builder, policy=None):  # type: ignore[no-untyped-def]
    return {f.person: f for f in evaluate(builder.build(), LADDER, policy).findings if f.code == "span-of-control"}


def test_a_people_manager_with_no_reports_manages_no_one():
    b = healthy().team("Ops").person("olga", "senior-software-engineer", manager="dora", team="Ops")
    b.engineers("ops", 3, manager="erin", team="Ops").manage("olga", "Ops").lead("sam", "Ops")
    finding = spans(b)["olga"]
    assert finding.severity == "info"
    assert finding.message == ("Olga (olga) holds the people-manager role on Ops but has no direct reports: a "
                               "manager who manages no one, or reporting lines missing from the records.")


def test_a_manager_by_level_with_no_role_and_no_reports_manages_no_one():
    b = healthy().person("max", "engineering-manager", manager="dora", name="Max Mole")
    assert "holds the management level Engineering Manager but has no direct reports" in spans(b)["max"].message


def test_the_top_of_the_organisation_is_never_held_to_a_minimum():
    b = healthy().person("solo", "engineering-manager", name="Solo")  # no manager in the organisation
    assert "solo" not in spans(b)


def test_someone_whose_manager_has_left_counts_as_the_top():
    b = healthy().person("gone", "vp-engineering", active=False).person("max", "engineering-manager", manager="gone")
    assert "max" not in spans(b)


def test_a_manager_of_managers_can_be_held_to_a_minimum_too():
    assert spans(healthy()) == {}  # Victor manages one manager: the default minimum is one
    assert "a manager of managers is a layer" in spans(healthy(), Policy(manager_of_managers_span_min=2))[
        "victor"].message


def test_a_technical_leader_with_few_reports_is_not_a_manager():
    b = healthy().change("alice", manager_id="victor").change("sam", manager_id="victor")  # Diana keeps two
    assert "diana" not in spans(b)


def test_a_what_if_that_takes_a_managers_last_report_finds_it_as_a_full_evaluation_does():
    from trellis.health.whatif import Simulation, apply_changes, parse_what_if

    b = healthy().person("max", "engineering-manager", manager="dora", name="Max Mole")
    b.person("kid", manager="max", team="Search")
    changes = [parse_what_if("manager kid erin")]
    snapshot = b.build()
    result = Simulation(snapshot, LADDER).run(changes)
    full = evaluate(apply_changes(snapshot, LADDER, changes), LADDER)
    assert [f.to_dict() for f in result.after.findings] == [f.to_dict() for f in full.findings]
    [(before, after)] = result.changed
    assert "only 1 direct report" in before.message and "no direct reports" in after.message
