"""A policy file overrides any subset of the defaults; a bad one is reported line by line, like a bad ladder."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from tests.health.builders import LADDER
from trellis.health.policy import Policy, load_policy
from trellis.lib.problems import InputError

HEALTH = FIXTURES / "health"


def problems(name: str, ladder=LADDER) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        load_policy(HEALTH / name, ladder)
    return [str(p).replace(str(HEALTH) + "/", "") for p in caught.value.problems]


def test_the_defaults_follow_published_practice():
    policy = Policy()
    assert (policy.first_line_span_min, policy.first_line_span_max, policy.manager_of_managers_span_max) == (4, 8, 6)
    assert (policy.dual_role_limit_days, policy.tech_lead_spread_max) == (182, 2)
    assert (policy.min_tech_lead_level, policy.architecture_line) == ("lead-engineer", True)


def test_a_file_overrides_only_what_it_names():
    policy = load_policy(HEALTH / "policy.yaml", LADDER)
    assert (policy.first_line_span_max, policy.manager_of_managers_span_max) == (10, 8)
    assert policy.architecture_line is False and policy.min_tech_lead_level == "senior-software-engineer"
    assert policy.first_line_span_min == 4 and policy.dual_role_limit_days == 182


def test_every_problem_is_listed_with_its_line():
    assert sorted(problems("policy-bad.yaml")) == [
        "policy-bad.yaml:3: error: first_line_span_max: first_line_span_min (9) is above first_line_span_max (5): "
        "the range must run from low to high",
        "policy-bad.yaml:4: error: tech_lead_spread_max: Input should be a valid integer",
        "policy-bad.yaml:5: error: dual_role_limit_days: Input should be greater than or equal to 0",
        "policy-bad.yaml:6: error: unknown key 'span_of_control' in the top level: check its spelling or remove it; "
        "policy keys are: first_line_span_min, first_line_span_max, manager_of_managers_span_min, "
        "manager_of_managers_span_max, manager_of_managers_share, dual_role_limit_days, tech_lead_spread_max, "
        "min_tech_lead_level, staff_level, thin_bench_min, architecture_line, architecture_line_level, "
        "no_tech_lead_warning_days, no_tech_lead_critical_days, small_team_size, exemptions, "
        "readiness_min_coverage, readiness_stretch_score, readiness_close_score, readiness_ready_now_score, "
        "readiness_close_must_haves_one_below, anonymous_feedback_min, peer_nominations_max, leniency_flag_steps, "
        "leniency_min_people",
    ]


def test_level_ids_are_checked_against_the_ladder():
    found = problems("policy-unknown-level.yaml")
    assert found[0].startswith("policy-unknown-level.yaml:1: error: min_tech_lead_level: 'lead-enginer' is an "
                               "unknown level; use one of the ladder's technical levels: software-engineer,")
    assert found[1].startswith("policy-unknown-level.yaml:2: error: staff_level: 'engineering-manager' is not a "
                               "technical-track level")
    assert len(found) == 2


def test_without_a_ladder_level_ids_are_not_checked():
    assert load_policy(HEALTH / "policy-unknown-level.yaml").min_tech_lead_level == "lead-enginer"


def test_a_policy_must_be_a_mapping():
    assert problems("policy-not-a-mapping.yaml") == [
        "policy-not-a-mapping.yaml:1: error: a policy file must be a YAML mapping of keys to values, "
        "e.g. 'first_line_span_max: 9'"]


def test_malformed_yaml_names_the_line():
    [problem] = problems("policy-malformed.yaml")
    assert problem.startswith("policy-malformed.yaml:2: error: malformed YAML")


def test_a_missing_file_says_so():
    assert problems("no-such-policy.yaml") == ["no-such-policy.yaml: error: no such file: check the path"]


def test_a_policy_built_in_code_is_checked_too():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="warning must come before critical"):
        Policy(no_tech_lead_warning_days=100)


def test_a_yes_or_no_where_a_number_belongs_is_an_error(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text("first_line_span_max: true\n")
    with pytest.raises(InputError) as caught:
        load_policy(path)
    [problem] = caught.value.problems
    assert problem.line == 1 and "first_line_span_max: Input should be a valid integer" in problem.message
