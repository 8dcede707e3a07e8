from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.conftest import PASSWORD
from tests.web.org import org_factory as f
from trellis.web.ladders.services import ensure_default_ladder


@pytest.fixture
def org(db) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The Payments organisation (tests/web/org/org_factory.py), every person with an account of their name.

    Tess (e4) leads Payments and prefers the technical track; Mia (e3) manages it; Ben (e5) and
    Cy (e6) are engineers there; Ada (e2) is Tess's solid-line manager; Dana (e1) is above them all."""
    ensure_default_ladder()
    users = {name: User.objects.create_user(name, f"{name}@example.org", PASSWORD)
             for name in ("dana", "ada", "mia", "tess", "ben", "cy")}
    people = f.payments(**users)
    people["users"] = users
    return people
