from __future__ import annotations

from datetime import date

import pytest

from tests.web.health import org


@pytest.fixture
def org_dates(db) -> dict[str, date]:  # type: ignore[no-untyped-def]
    """The small organisation of ``org``, imported twice; the dates of the two imports."""
    return org.build()
