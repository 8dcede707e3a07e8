"""A small organisation imported through the real import, with a history.

Eight months ago the Search team had no tech lead; Sam took the role two months ago.
Bob manages Payments and also leads Search's neighbour team Ledger technically (two jobs),
and prefers the technical track.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User

from trellis.lib import clock
from trellis.web.ladders.services import ensure_default_ladder
from trellis.web.org import services
from trellis.web.org.models import Person

HEADER = "id,name,level,manager_id,dotted_manager_ids,team,roles,preferred_track\n"
TOP = (
    "cora,Cora CTO,cto,,,,,technical\n"
    "victor,Victor VP,vp-engineering,cora,,,,management\n"
    "diana,Diana Architecture,director-of-architecture,cora,,,,technical\n"
    "bob,Bob Manager,engineering-manager,victor,,payments,people_manager;tech_lead@ledger,technical\n"
    "erin,Erin Manager,engineering-manager,victor,,search,people_manager;people_manager@ledger,management\n"
    "alice,Alice Lead,lead-engineer,diana,bob,payments,tech_lead,technical\n"
)
ENGINEERS = "".join(
    f"{team[0]}{i},Engineer {team} {i},software-engineer,{manager},,{team},,undecided\n"
    for team, manager in (("payments", "bob"), ("search", "erin"))
    for i in range(1, 5)
) + "l1,Engineer ledger 1,software-engineer,erin,,ledger,,undecided\n"
SAM_WAITING = "sam,Sam Senior,senior-software-engineer,erin,,search,,technical\n"
SAM_LEADING = "sam,Sam Lead,lead-engineer,diana,erin,search,tech_lead,technical\n"


def build() -> dict[str, date]:
    """Import the organisation twice: before and after Search got its tech lead."""
    ensure_default_ladder()
    today = clock.today()
    first, second = today - timedelta(days=240), today - timedelta(days=60)
    services.apply_import(HEADER + TOP + ENGINEERS + SAM_WAITING, "org-v1.csv", as_of=first)
    services.apply_import(HEADER + TOP + ENGINEERS + SAM_LEADING, "org-v2.csv", as_of=second)
    return {"first": first, "second": second}


def link(username: str, external_id: str) -> None:
    Person.objects.filter(external_id=external_id).update(user=User.objects.get(username=username))
