"""HR's promotion reports from the organisation's history: rates per level, track moves, the guard,
and rates by self-recorded group, with groups under five people never shown."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web.org import org_factory as f
from trellis.lib import clock
from trellis.web.promotions.models import GroupRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def promoted(org):  # type: ignore[no-untyped-def]
    """Ten more engineers on Payments: six record group A, three group B, one records none; two of A and
    none of B were promoted this year; Mia moved from the technical track to management."""
    day = date(clock.today().year, 2, 1)
    now = clock.now()
    for i in range(10):
        person = f.person(f"n{i}", f"New {i}", "senior-software-engineer" if i < 2 else "software-engineer",
                          team=org["payments"], manager=org["mia"])
        if i < 9:
            GroupRecord.objects.create(person=person, group="A" if i < 6 else "B", recorded_at=now)
    for i in range(2):
        f.event("level-changed", day, person_id=f"n{i}", old="software-engineer", new="senior-software-engineer")
    f.event("track-changed", day, person_id="e3", old="technical", new="management")
    return org


def test_hr_sees_the_rate_per_level_the_track_moves_and_the_groups_large_enough(client, promoted, hannah):
    client.force_login(hannah)
    data = client.get("/api/promotions/reports").json()
    year = clock.today().year
    rate = next(r for r in data["rates"] if r["year"] == year and r["level"] == "software-engineer")
    assert rate["promoted"] == 2
    assert {(m["from_track"], m["to_track"]) for m in data["track_moves"]} == {("technical", "management")}
    groups = next(g for g in data["groups"] if g["year"] == year)
    assert [r["group"] for r in groups["rows"]] == ["A"] and groups["withheld"] is True
    html = client.get("/promotions/reports/").content.decode()
    assert "Promotion rate by group" in html and ">B<" not in html
