"""People who report outside the organisation are not its top: the architecture line looks beside them."""

from __future__ import annotations

from tests.health.builders import LADDER, healthy
from trellis.health.engine import evaluate


def lines(builder):  # type: ignore[no-untyped-def]
    return [f for f in evaluate(builder.build(), LADDER).findings if f.code == "architecture-line"]


def test_a_director_of_architecture_reporting_outside_is_not_judged_against_the_top():
    # Diana reports outside (to the board, say); Victor, a people-management head, is at the top.
    b = healthy().change("cora", active=False).change("diana", manager_id=None, reports_outside=True)
    b.change("victor", manager_id=None)
    [finding] = lines(b)
    assert finding.person == "diana"
    assert "none of the others who report outside the organisation" in finding.message


def test_two_heads_reporting_outside_are_peers():
    b = healthy().change("cora", active=False)
    b.change("diana", manager_id=None, reports_outside=True).change("victor", manager_id=None, reports_outside=True)
    assert lines(b) == []
