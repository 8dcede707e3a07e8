"""Prepare a demo database: tables, the default ladder, a demo account and organisation."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from trellis.web.accounts.roles import ADMIN, HR
from trellis.web.ladders.services import ensure_default_ladder

DEMO_USER = "demo"


def prepare_demo(*, people: int, seed: int, password: str, progress: Any = None) -> str:
    """Idempotent: running it again keeps the data and resets the demo password."""
    call_command("migrate", "--noinput", verbosity=0)
    version = ensure_default_ladder()
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=DEMO_USER, defaults={"first_name": "Demo"})
    user.is_staff = True
    user.is_superuser = True
    user.set_password(password)
    user.save()
    user.groups.add(*Group.objects.filter(name__in=[ADMIN, HR]))
    lines = [f"Ladder: version {version.number} ({version.name}) is active."]
    return "\n".join(lines)
