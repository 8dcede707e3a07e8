"""Once a review cycle is closed, org health's thin-bench counts the people found ready, not everyone below."""

from __future__ import annotations

import pytest

from tests.web.growth.cycle_factory import TODAY, hr, payments_cycle, submit_pair
from trellis.lib import clock
from trellis.web.growth import services
from trellis.web.health.services import clear_cache, health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.frozen(TODAY):
        yield


def thin(level: str) -> list[str]:
    clear_cache()
    return [f.message for f in health().report.findings if f.code == "thin-bench" and f.level == level]


def test_candidates_are_those_ready_now_or_close_once_a_cycle_is_closed(org):
    # Before any cycle: Ben and Cy, one level below Lead Engineer, are counted as candidates.
    assert thin("lead-engineer") == []
    cycle = payments_cycle()
    submit_pair(cycle, "e5", step="developing")  # Ben far from Lead Engineer
    submit_pair(cycle, "e6", step="developing")
    services.close_cycle(hr(), cycle)
    assert thin("lead-engineer") == [
        "Lead Engineer (1 person today) has 0 candidates ready now or close for it in the last closed review cycle; "
        "the policy asks for at least 1."]


def test_someone_ready_in_the_closed_cycle_fills_the_bench(org):
    cycle = payments_cycle()
    submit_pair(cycle, "e5", step="advanced")
    services.close_cycle(hr(), cycle)
    assert thin("lead-engineer") == []
