"""``trellis demo-org`` writes an organisation that imports cleanly; ``trellis demo`` uses it."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from trellis.cli import app
from trellis.web.demo import prepare_demo
from trellis.web.org.models import HistoryEvent, Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("people", "seed"), [(25, 1), (150, 2), (400, 9)])
def test_the_file_it_writes_imports_cleanly(runner, tmp_path, people, seed):
    path = tmp_path / "demo.csv"
    result = runner.invoke(app, ["demo-org", "--people", str(people), "--seed", str(seed), "--output", str(path)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["org", "import", str(path), "--as-of", "2025-07-01"])
    assert result.exit_code == 0, result.output
    assert f"{people} joined" in result.output
    assert Person.objects.filter(active=True).count() == people


def test_it_writes_to_standard_output_the_same_for_the_same_seed(runner):
    first = runner.invoke(app, ["demo-org", "--people", "40", "--seed", "3"])
    assert first.exit_code == 0
    assert first.stdout.startswith("id,name,email,level,manager_id,dotted_manager_ids,team,department,roles,")
    assert len(first.stdout.splitlines()) == 41
    assert runner.invoke(app, ["demo-org", "--people", "40", "--seed", "3"]).stdout == first.stdout


def test_too_few_people_is_bad_input(runner):
    result = runner.invoke(app, ["demo-org", "--people", "3"])
    assert result.exit_code == 1
    assert "--people: error: 3 is too few: a demo organisation needs at least 20 people" in result.output


def test_the_demo_imports_an_organisation_once_and_makes_the_demo_user_its_director_of_architecture():
    summary = prepare_demo(people=120, seed=4, password=PASSWORD)
    assert "imported a generated organisation of 120 people" in summary
    person = Person.objects.get(user__username="demo")
    assert person.level == "director-of-architecture"
    assert f"The demo user is {person.name} ({person.external_id})" in summary
    events = HistoryEvent.objects.count()
    again = prepare_demo(people=120, seed=4, password=PASSWORD)
    assert "kept as it is (120 active people)" in again
    assert HistoryEvent.objects.count() == events
