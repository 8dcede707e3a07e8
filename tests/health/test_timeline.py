"""Health over time: the count of each finding at each month's end, so a leader sees voids close."""

from __future__ import annotations

from datetime import date

import pytest

from tests.health.builders import LADDER, healthy
from trellis.health.engine import CODES
from trellis.health.timeline import month_ends, monthly_counts


def test_month_ends_run_oldest_first_and_finish_on_the_day_asked():
    assert month_ends(date(2026, 3, 15), 4) == [date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 28),
                                                date(2026, 3, 15)]
    assert len(month_ends(date(2026, 6, 30))) == 12
    with pytest.raises(ValueError):
        month_ends(date(2026, 6, 30), 0)


def test_a_void_that_opened_and_closed_shows_in_the_counts():
    b = healthy().drop_roles("alice").role("alice", "tech_lead", "Payments", start=date(2025, 1, 1),
                                            end=date(2026, 2, 15))
    b.person("zoe", "lead-engineer", manager="diana", team="Payments").role("zoe", "tech_lead", "Payments",
                                                                           start=date(2026, 5, 1))
    org = b.build()
    asked: list[date] = []

    def load(day: date):  # type: ignore[no-untyped-def]
        asked.append(day)
        return org.evolve(as_of=day)

    timeline = monthly_counts(load, LADDER, end=date(2026, 6, 30), months=6)
    assert asked == timeline.dates == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30),
                                      date(2026, 5, 31), date(2026, 6, 30)]
    assert timeline.counts["no-tech-lead"] == [0, 1, 1, 1, 0, 0]
    assert set(timeline.counts) == set(CODES)
    assert timeline.to_dict()["dates"][0] == "2026-01-31"


def test_counts_from_the_history_walk_back_one_month_at_a_time_with_the_same_result():
    from trellis.health.timeline import monthly_counts_from_history
    from trellis.org.history import rewind
    from trellis.org.model import Change

    b = healthy().drop_roles("sam").role("sam", "tech_lead", "Search", start=date(2026, 6, 1))
    b.person("ghost", "lead-engineer", manager="diana", team="Search", active=False)
    b.role("ghost", "tech_lead", "Search", start=date(2024, 1, 1), end=date(2026, 5, 15))
    b.person("zoe", "software-engineer", manager="bob", team="Payments")
    current = b.build()
    events = [
        Change("joined", date(2026, 3, 10), person_id="zoe"),
        Change("level-changed", date(2026, 4, 1), person_id="alice", old="senior-software-engineer",
               new="lead-engineer"),
        Change("left", date(2026, 5, 15), person_id="ghost"),
    ]
    timeline = monthly_counts_from_history(current, events, LADDER, end=date(2026, 6, 30), months=6)
    assert timeline.counts["unrecognised-lead"] == [1, 1, 1, 0, 0, 0]  # Alice led as a senior until April
    assert timeline.counts["no-tech-lead"] == [0, 0, 0, 0, 1, 0]  # Search between Ghost leaving and Sam
    reloaded = monthly_counts(lambda day: rewind(current, events, day), LADDER, end=date(2026, 6, 30), months=6)
    assert timeline == reloaded
