"""An organisation imported on a past date, ready to be edited (shared by the edit tests)."""

from __future__ import annotations

from datetime import date

from tests.org.test_apply_import import HEADER, ORG
from trellis.web.org import services

IMPORTED = date(2025, 3, 1)

__all__ = ["HEADER", "IMPORTED", "ORG", "imported"]


def imported() -> None:
    services.apply_import(ORG, "org.csv", as_of=IMPORTED)
