"""The Payments organisation with accounts for everyone in it, for growth's pages and API."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.conftest import PASSWORD
from tests.web.org import org_factory as f

PEOPLE = ("dana", "ada", "mia", "tess", "ben", "cy")


@pytest.fixture
def org(db: Any) -> dict[str, Any]:
    """Dana directs; Ada is Director of Architecture; Mia manages Payments (Ben, Cy) and Search; Tess leads
    Payments technically (solid line to Ada, dotted to Mia). Each has an account of their first name."""
    users = {name: User.objects.create_user(name, f"{name}@example.org", PASSWORD, first_name=name.capitalize())
             for name in PEOPLE}
    return f.payments(**users)


def login(client: Any, name: str) -> Any:
    client.force_login(User.objects.get(username=name))
    return client
