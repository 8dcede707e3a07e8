"""``trellis cycle open|close|export`` as an operator runs them, against the database."""

from __future__ import annotations

import pytest

from tests.web.growth.cycle_factory import TODAY, as_user, ladder_steps, participant, submit_pair
from trellis.cli import app
from trellis.lib import clock
from trellis.web.growth import services
from trellis.web.growth.models import Cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.frozen(TODAY):
        yield


def test_an_operator_opens_closes_and_exports_a_cycle(runner, org, tmp_path):
    result = runner.invoke(app, ["cycle", "open", "2026 H1", "--start", "2026-01-01", "--end", "2026-06-30",
                                 "--team", "Payments"])
    assert result.exit_code == 0, result.output
    assert "Opened 2026 H1: 4 participants, judged against ladder version" in result.output
    cycle = Cycle.objects.get()
    services.save_self_evaluation(as_user("ben"), participant(cycle, "e5"), ratings=ladder_steps("tech_lead")
                                  | ladder_steps("people_manager"), evidence_text={}, evidence_ids=[], signals=[],
                                  focus={}, success="", preferred_track="", submit=True)
    submit_pair(cycle)
    result = runner.invoke(app, ["cycle", "close", "2026 H1", "--release"])
    assert result.exit_code == 0, result.output
    assert "Closed 2026 H1: 4 reviews frozen; results released." in result.output
    target = tmp_path / "ratings.csv"
    assert runner.invoke(app, ["cycle", "export", "2026 H1", "--output", str(target)]).exit_code == 0
    lines = target.read_text().splitlines()
    assert lines[0] == "person_id,competency,rating,rater"
    assert "e5,craft,proficient,self" in lines and "e5,craft,proficient,tech_lead" in lines
    assert "e5,people-growth,proficient,people_manager" in lines and len(lines) == 1 + 11 + 11


def test_mistakes_are_reported_with_exit_code_one(runner, org):
    assert "give --start and --end" in runner.invoke(app, ["cycle", "open", "Nope"]).output
    result = runner.invoke(app, ["cycle", "close", "Nope"])
    assert result.exit_code == 1 and "no cycle is called 'Nope'" in result.output
    runner.invoke(app, ["cycle", "open", "A", "--start", "2026-01-01", "--end", "2026-06-30"])
    result = runner.invoke(app, ["cycle", "open", "A"])
    assert result.exit_code == 1 and "it can move to open only from draft" in result.output
