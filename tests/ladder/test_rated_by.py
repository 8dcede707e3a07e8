"""Who of the pair rates a competency: ``rated_by`` in the ladder file."""

from __future__ import annotations

import pytest

from trellis.ladder.diff import diff_ladders
from trellis.ladder.load import load_default, parse_ladder
from trellis.lib.problems import InputError


def test_the_built_in_ladder_gives_people_to_the_manager_and_the_rest_to_the_tech_lead():
    ladder = load_default().ladder
    by = {c.id: c.rated_by for c in ladder.competencies}
    assert by["people-growth"] == by["organisation-design"] == "people_manager"
    assert {by[c.id] for c in ladder.competencies if c.focus_area} == {"tech_lead"}
    assert by["craft"] == "tech_lead"
    growth = next(c for c in ladder.competencies if c.id == "people-growth")
    assert growth.rated_by_role("people_manager") and not growth.rated_by_role("tech_lead")


def test_an_unknown_rater_is_an_error_with_its_line():
    text = load_default().text.replace("    rated_by: people_manager\n", "    rated_by: hr\n", 1)
    with pytest.raises(InputError) as caught:
        parse_ladder(text, "ladder.yaml")
    assert "rated_by" in str(caught.value) and "ladder.yaml:" in str(caught.value)


def test_a_change_of_rater_shows_in_the_diff():
    old = load_default().ladder
    new = parse_ladder(load_default().text.replace("    rated_by: people_manager\n", "    rated_by: both\n", 1),
                       "new.yaml").ladder
    changes = [(c.kind, c.subject) for c in diff_ladders(old, new)]
    assert ("rated-by-changed", "people-growth") in changes
