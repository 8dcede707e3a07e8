"""What "today" is: one clock for the command line, the web, the API and the services.

Every rule that depends on the date (an import may not be dated after today, an edit may
not be future-dated, health is judged as of today, a promotion applies on its day) asks
``today()``; nothing calls ``date.today()`` itself. The date is taken in the deployment's
time zone (``TRELLIS_TIME_ZONE``, the web's ``TIME_ZONE``), so the command line and the web
agree even when the machine's own zone differs. Tests freeze it with ``frozen``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_frozen: date | None = None
_zone_name: str = os.environ.get("TRELLIS_TIME_ZONE", "UTC")


def set_zone(name: str) -> None:
    """The deployment's time zone (the web settings call this with ``TIME_ZONE``)."""
    global _zone_name
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"'{name}' is not a time zone name: write one such as UTC or Europe/Paris") from error
    _zone_name = name


# How every page and every finding writes a date for people to read ("3 Mar 2025"): the web's ``day``
# filter and the words of the health findings. Files, JSON and command-line options keep ISO dates.
DAY = "%-d %b %Y"


def written(day: date) -> str:
    """``3 Mar 2025``."""
    return day.strftime(DAY)


def zone() -> ZoneInfo:
    return ZoneInfo(_zone_name)


def now() -> datetime:
    """The current moment in the deployment's time zone (frozen days start at midnight)."""
    if _frozen is not None:
        return datetime(_frozen.year, _frozen.month, _frozen.day, tzinfo=zone())
    return datetime.now(zone())


def day_of(moment: datetime) -> date:
    """The deployment's calendar day of a stored moment (moments are stored in UTC: near midnight the
    day differs), so the command line writes the same day as the web's pages."""
    return moment.astimezone(zone()).date() if moment.tzinfo is not None else moment.date()


def today() -> date:
    return _frozen if _frozen is not None else now().date()


def wait(seconds: float) -> None:
    """Let ``seconds`` pass (a page waiting for a running import), leaving the interpreter to other threads."""
    time.sleep(seconds)


@contextmanager
def frozen(day: date) -> Iterator[date]:
    """Within the block, ``today()`` is ``day``."""
    global _frozen
    before = _frozen
    _frozen = day
    try:
        yield day
    finally:
        _frozen = before
