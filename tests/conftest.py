"""Shared fixtures: named people, a cheap password hasher, the CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_health_cache():  # type: ignore[no-untyped-def]
    """Reports are cached per process by the database's state; each test starts without them."""
    from trellis.web.health.services import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture(autouse=True)
def _due_proposals_applied():  # type: ignore[no-untyped-def]
    """The web applies due proposals on its first request of the day; tests start with that done,
    so that a page's query count is its own (the tests of applying say otherwise)."""
    from trellis.lib import clock
    from trellis.web.promotions.services import mark_checked

    mark_checked(clock.today())
    yield
    mark_checked(None)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _user(username: str, *groups: str, superuser: bool = False):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD,
                                    first_name=username.capitalize(), is_superuser=superuser,
                                    is_staff=superuser)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def alice(db):  # type: ignore[no-untyped-def]
    """Alice is an admin."""
    return _user("alice", "admin")


@pytest.fixture
def hannah(db):  # type: ignore[no-untyped-def]
    """Hannah works in HR."""
    return _user("hannah", "hr")


@pytest.fixture
def charlie(db):  # type: ignore[no-untyped-def]
    """Charlie is an ordinary user: he may see, never change."""
    return _user("charlie")
