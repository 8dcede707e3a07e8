"""E-mail about review cycles, through Django's e-mail framework (SMTP in production).

Each person can turn these off (``NotificationSetting``); nothing here decides who may see
what: messages say that something happened and link to it, never its content.
"""

from __future__ import annotations

from collections.abc import Iterable

from trellis.web.growth.models import Cycle


def cycle_opened(cycle: Cycle) -> None:
    """Told to every participant when a cycle opens."""


def results_released(cycle: Cycle) -> None:
    """Told to every participant when results are released."""


def recipients(addresses: Iterable[str]) -> list[str]:
    return sorted({a for a in addresses if a})


def other_half_submitted(review: object) -> None:
    """Told to the other half of the pair when one half submits."""
