"""``trellis readiness --cycle NAME``: readiness from the database, with the same JSON as from files."""

from __future__ import annotations

import json

import pytest

from tests.web.growth.cycle_factory import TODAY, hr, payments_cycle, submit_pair
from trellis.cli import app
from trellis.lib import clock
from trellis.web.growth import services
from trellis.web.growth.models import Cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.frozen(TODAY):
        yield


def _people(runner, name: str = "2026 H1") -> dict[str, list[dict[str, object]]]:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["readiness", "--cycle", name, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["people"]
    return {p["person"]: p["targets"] for p in data["people"]}


def test_a_running_cycle_answers_from_the_pairs_submitted_ratings(runner, org):
    cycle = payments_cycle()
    submit_pair(cycle, step="advanced")
    people = _people(runner)
    assert sorted(people) == ["e3", "e4", "e5", "e6"]
    assert people["e5"][0] == {"kind": "current", "level": "senior-software-engineer", "tier": "ready-now",
                               "score": 1.0, "coverage": 1.0, "missing_must_haves": [], "below": []}
    assert [t["kind"] for t in people["e5"]] == ["current", "next"]  # no management level of its grade
    assert people["e6"][0]["tier"] == "insufficient-evidence"  # nobody has reviewed Cy yet
    assert Cycle.objects.get().state == "open"


def test_a_closed_cycle_answers_what_it_froze_and_the_table_says_the_same(runner, org):
    cycle = payments_cycle()
    submit_pair(cycle, step="developing")
    before = _people(runner)
    services.close_cycle(hr(), cycle)
    assert _people(runner) == before
    result = runner.invoke(app, ["readiness", "--cycle", "2026 H1"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Readiness of 4 people" in result.output and "e5" in result.output
    assert before["e5"][0]["tier"] in result.output


def test_an_unknown_cycle_or_a_mix_with_files_is_refused(runner, org):
    result = runner.invoke(app, ["readiness", "--cycle", "Nope"])
    assert result.exit_code == 1 and "no cycle is called 'Nope'" in result.output
    result = runner.invoke(app, ["readiness", "--cycle", "Nope", "--from-csv", "org.csv"])
    assert result.exit_code == 1 and "give it alone" in result.output
    result = runner.invoke(app, ["readiness"])
    assert result.exit_code == 1 and "--cycle NAME" in result.output


def test_a_policy_changed_after_closing_rewrites_no_verdict_on_the_page_nor_the_command_line(runner, org, tmp_path,
                                                                                          monkeypatch):
    from trellis.web.growth.queries import growth_view
    from trellis.web.health.services import POLICY_ENV

    cycle = payments_cycle()
    submit_pair(cycle, step="developing")
    services.close_cycle(hr(), cycle)
    frozen = _people(runner)
    page = [(r.level, r.tier) for r in growth_view(hr(), "e5").readiness]
    assert page == [(t["level"], t["tier"]) for t in frozen["e5"]]
    strict = tmp_path / "policy.yaml"  # nobody is ready for anything any more
    strict.write_text("readiness_min_coverage: 1.0\nreadiness_stretch_score: 0.99\nreadiness_close_score: 0.99\n"
                      "readiness_ready_now_score: 1.0\n", encoding="utf-8")
    monkeypatch.setenv(POLICY_ENV, str(strict))
    assert services.current_policy().readiness_ready_now_score == 1.0
    assert _people(runner) == frozen
    again = [(r.level, r.tier) for r in growth_view(hr(), "e5").readiness]
    assert again == page
