"""Prepare a demo database: tables, the default ladder, a demo account and organisation."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from trellis.lib import clock
from trellis.org.generate import MIN_PEOPLE, generate_org_csv
from trellis.web.accounts.roles import ADMIN, HR
from trellis.web.growth.demo import demo_cycles
from trellis.web.ladders.services import ensure_default_ladder
from trellis.web.org.models import Person, Team
from trellis.web.org.services import apply_import
from trellis.web.promotions.demo import demo_proposals

DEMO_USER = "demo"


def prepare_demo(*, people: int, seed: int, password: str) -> str:
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
    source = f"generated demo organisation (seed {seed})"
    for day, text in demo_year(generate_org_csv(people, seed), seed, clock.today()):
        apply_import(text, f"{source}, as of {day.isoformat()}", as_of=day)
    lines = [f"Organisation: imported a generated organisation of {people} people in "
             f"{Team.objects.count()} teams (seed {seed})."]
    # The demo user is the Director of Architecture: the person the product is built around.
    person = Person.objects.filter(level="director-of-architecture", user__isnull=True).order_by("external_id").first()
    if person is not None:
        Person.objects.filter(user=user).update(user=None)
        person.user = user
        person.save(update_fields=["user"])
        lines.append(f"The demo user is {person.name} ({person.external_id}), the Director of Architecture.")
    lines += demo_cycles(person)
    made = demo_proposals()
    if made:
        lines.append(f"Promotions: {len(made)} proposals in several states; {made[0]}.")
    lines.append("History: three imports over the last year, in which teams that had no tech lead got one "
                 "(the health dashboard shows the year).")
    return lines


def demo_year(text: str, seed: int, today: date) -> list[tuple[date, str]]:
    """The generated organisation as three imports over the last year, so its history tells a story.

    About a quarter of the teams that have a tech lead today had none eleven months ago; half
    of those voids closed five months ago, the rest two months ago, when their tech leads
    took the role (their ``since``). The last import is the generated file itself.
    """
    rows = list(csv.DictReader(io.StringIO(text)))
    header = list(rows[0].keys()) if rows else []
    rng = random.Random(seed)
    leads = [row for row in rows if "tech_lead" in row["roles"].split(";")]
    closing = rng.sample(leads, len(leads) // 4)
    early, late = today - timedelta(days=150), today - timedelta(days=60)
    closed_on = {row["id"]: (early if i % 2 == 0 else late) for i, row in enumerate(closing)}

    def version(day: date) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            row = dict(row)
            took_role = closed_on.get(row["id"])
            if took_role is not None:
                if day < took_role:
                    row["roles"] = ";".join(r for r in row["roles"].split(";") if r != "tech_lead")
                else:
                    row["since"] = took_role.isoformat()
            writer.writerow(row)
        return out.getvalue()

    return [(today - timedelta(days=330), version(today - timedelta(days=330))),
            (today - timedelta(days=120), version(today - timedelta(days=120))), (today, version(today))]
