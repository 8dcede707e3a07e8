"""Every rule of the ladder validator, each shown with a real bad file."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from trellis.ladder.load import load_default, load_file
from trellis.lib.problems import InputError

LADDERS = FIXTURES / "ladders"


def errors_of(name: str) -> list[tuple[int | None, str]]:
    with pytest.raises(InputError) as caught:
        load_file(LADDERS / name)
    assert all(p.source.endswith(name) for p in caught.value.problems)
    return [(p.line, p.message) for p in caught.value.errors]


def test_the_built_in_ladder_is_valid_and_has_no_warnings():
    loaded = load_default()
    assert loaded.warnings == []
    ids = {level.id for level in loaded.ladder.levels}
    assert {"software-engineer", "senior-software-engineer", "lead-engineer", "software-architect",
            "principal-architect", "director-of-architecture", "cto", "engineering-manager",
            "senior-engineering-manager", "director-of-engineering", "vp-engineering"} == ids


def test_the_built_in_ladder_pairs_lead_engineer_with_engineering_manager():
    ladder = load_default().ladder
    assert [p.id for p in ladder.peers("lead-engineer")] == ["engineering-manager"]
    assert [p.id for p in ladder.peers("director-of-architecture")] == ["director-of-engineering"]


def test_the_built_in_ladder_has_the_five_focus_areas_and_six_signals():
    ladder = load_default().ladder
    focus = {c.name for c in ladder.competencies if c.focus_area}
    assert focus == {"Empower Others", "Challenge Assumptions", "Eliminate Pain Points", "Influence Culture",
                     "Lead Technology and Architecture"}
    assert len(ladder.signals) == 6


def test_a_minimal_ladder_is_valid():
    loaded = load_file(LADDERS / "minimal.yaml")
    assert loaded.warnings == []
    assert [lv.id for lv in loaded.ladder.track_levels("technical")] == ["engineer", "lead"]


def test_it_reports_malformed_yaml_with_its_line():
    [(line, message)] = errors_of("malformed.yaml")
    assert line == 7
    assert message.startswith("malformed YAML")


def test_it_rejects_an_unknown_key():
    [(line, message)] = errors_of("unknown-key.yaml")
    assert line == 26
    assert "unknown key 'salary' in levels[1]" in message


def test_it_rejects_a_missing_required_key():
    [(line, message)] = errors_of("missing-key.yaml")
    assert line == 15
    assert "missing required key 'scope' in levels[0]" in message


def test_it_rejects_a_duplicate_id_naming_the_first_definition():
    [(line, message)] = errors_of("duplicate-id.yaml")
    assert line == 27
    assert "duplicate id 'lead'" in message and "first defined on line 21" in message


def test_it_rejects_a_duplicate_key_that_yaml_would_silently_drop():
    [(line, message)] = errors_of("duplicate-key.yaml")
    assert line == 25
    assert "duplicate key 'grade'" in message


def test_it_rejects_a_level_referencing_an_unknown_competency():
    [(line, message)] = errors_of("unknown-competency.yaml")
    assert line == 26
    assert "unknown competency 'typing-speed'" in message


def test_it_rejects_a_level_missing_an_expectation():
    [(line, message)] = errors_of("missing-expectation.yaml")
    assert line == 32
    assert "missing an expectation for competency 'empower-others'" in message


def test_it_rejects_a_management_grade_without_a_technical_peer():
    [(line, message)] = errors_of("parity.yaml")
    assert line == 30
    assert "management level 'manager' has grade 5 but no technical level has that grade" in message


def test_it_rejects_grades_that_contradict_the_order_of_levels():
    [(line, message)] = errors_of("grade-order.yaml")
    assert line == 24
    assert "grades must rise in the order levels are listed" in message


def test_it_warns_when_an_expectation_falls_as_levels_rise():
    loaded = load_file(LADDERS / "falling-expectation.yaml")
    [warning] = loaded.warnings
    assert warning.severity == "warning"
    assert warning.line == 26
    assert "falls from 'doing' at 'engineer' to 'learning' at 'lead'" in warning.message


def test_it_rejects_an_unknown_scale_step():
    [(line, message)] = errors_of("unknown-step.yaml")
    assert line == 20
    assert "unknown scale step 'learnin'" in message


def test_it_rejects_expecting_the_step_below_expectations():
    [(line, message)] = errors_of("below-step.yaml")
    assert line == 20
    assert "below expectations" in message


def test_it_reports_every_error_not_only_the_first():
    errors = errors_of("unknown-track.yaml")
    assert [line for line, _ in errors] == [23, 30]
    assert "unknown track 'technicl'" in errors[0][1]


def test_a_missing_file_is_named():
    with pytest.raises(InputError) as caught:
        load_file(LADDERS / "no-such-ladder.yaml")
    assert "no such file" in str(caught.value)
