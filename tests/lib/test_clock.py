"""One clock: today in the deployment's time zone, frozen by tests."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from trellis.lib import clock


@pytest.fixture
def restore_zone():  # type: ignore[no-untyped-def]
    before = clock.zone().key
    yield
    clock.set_zone(before)


def test_today_is_the_date_in_the_deployment_time_zone(restore_zone):
    clock.set_zone("Pacific/Kiritimati")  # fourteen hours ahead of UTC: often a day ahead
    assert clock.today() == datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    clock.set_zone("Pacific/Pago_Pago")  # eleven hours behind UTC
    assert clock.today() == datetime.now(ZoneInfo("Pacific/Pago_Pago")).date()


def test_a_frozen_clock_gives_the_same_day_until_the_block_ends():
    real = clock.today()
    with clock.frozen(date(2024, 2, 29)):
        assert clock.today() == date(2024, 2, 29)
        assert clock.now().date() == date(2024, 2, 29)
        with clock.frozen(date(2025, 1, 1)):
            assert clock.today() == date(2025, 1, 1)
        assert clock.today() == date(2024, 2, 29)
    assert clock.today() == real


def test_it_refuses_a_time_zone_that_does_not_exist(restore_zone):
    with pytest.raises(ValueError, match="'Mars/Olympus' is not a time zone name"):
        clock.set_zone("Mars/Olympus")


def test_a_stored_moment_is_written_as_its_day_in_the_deployment_time_zone(restore_zone):
    from datetime import UTC, datetime

    late = datetime(2026, 1, 1, 23, 30, tzinfo=UTC)
    clock.set_zone("Europe/Paris")
    assert clock.day_of(late).isoformat() == "2026-01-02"
    clock.set_zone("UTC")
    assert clock.day_of(late).isoformat() == "2026-01-01"
