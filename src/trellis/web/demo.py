"""Prepare a demo database: tables, the default ladder, a demo account and organisation."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from trellis.org.generate import MIN_PEOPLE, generate_org_csv
from trellis.web.accounts.roles import ADMIN, HR
from trellis.web.ladders.services import ensure_default_ladder
from trellis.web.org.models import Person
from trellis.web.org.services import apply_import

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
    lines += _demo_organisation(user, people=people, seed=seed)
    return "\n".join(lines)


def _demo_organisation(user: Any, *, people: int, seed: int) -> list[str]:
    """Import a generated organisation into an empty database; never touch a real one."""
    if Person.objects.exists():
        return [f"Organisation: kept as it is ({Person.objects.filter(active=True).count()} active people)."]
    people = max(people, MIN_PEOPLE)
    plan = apply_import(generate_org_csv(people, seed), f"generated demo organisation (seed {seed})",
                        as_of=date.today())
    lines = [f"Organisation: imported a generated organisation of {people} people in "
             f"{len(plan.result.teams)} teams (seed {seed})."]
    # The demo user is the Director of Architecture: the person the product is built around.
    person = Person.objects.filter(level="director-of-architecture", user__isnull=True).order_by("external_id").first()
    if person is not None:
        Person.objects.filter(user=user).update(user=None)
        person.user = user
        person.save(update_fields=["user"])
        lines.append(f"The demo user is {person.name} ({person.external_id}), the Director of Architecture.")
    return lines
