"""Small organisations built straight in the database, for page and API tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from trellis.web.org.models import DottedLine, HistoryEvent, Person, RoleAssignment, Team

START = date(2025, 1, 6)


def team(name: str, department: str = "") -> Team:
    return Team.objects.create(name=name, department=department, since=START)


def person(external_id: str, name: str, level: str = "software-engineer", *, team: Team | None = None,
           manager: Person | None = None, user: Any = None, preferred_track: str = "undecided",
           active: bool = True) -> Person:
    return Person.objects.create(external_id=external_id, name=name, email=f"{external_id}@example.org",
                                 level=level, team=team, manager=manager, user=user,
                                 preferred_track=preferred_track, active=active, level_since=START)


def leave(someone: Person) -> None:
    someone.active = False
    someone.save()


def role(holder: Person, of: Team, kind: str, start: date | None = START, end: date | None = None) -> RoleAssignment:
    return RoleAssignment.objects.create(person=holder, team=of, role=kind, start=start, end=end)


def dotted(holder: Person, to: Person) -> DottedLine:
    return DottedLine.objects.create(person=holder, manager=to)


def event(kind: str, effective: date = START, *, person_id: str = "", team_name: str = "",
          old: str | None = None, new: str | None = None) -> HistoryEvent:
    return HistoryEvent.objects.create(kind=kind, effective=effective, person_id_ext=person_id,
                                       team_name=team_name, old=old, new=new)


def payments(**users: Any) -> dict[str, Any]:
    """A small organisation around the team Payments.

    Dana directs engineering; Mia manages Payments and Search; Tess is Payments' tech lead and
    reports to Ada, the Director of Architecture, on a solid line and to Mia on a dotted one;
    Ben and Cy are engineers on Payments; Search has no tech lead. ``users`` links accounts to
    people by first name (lower case), e.g. ``payments(ben=charlie)``.
    """
    pay, search = team("Payments", "Money"), team("Search", "Discovery")
    dana = person("e1", "Dana Director", "director-of-engineering", user=users.get("dana"))
    ada = person("e2", "Ada Architect", "director-of-architecture", manager=dana, user=users.get("ada"))
    mia = person("e3", "Mia Manager", "engineering-manager", team=pay, manager=dana, user=users.get("mia"))
    tess = person("e4", "Tess Lead", "lead-engineer", team=pay, manager=ada, user=users.get("tess"),
                  preferred_track="technical")
    ben = person("e5", "Ben Builder", "senior-software-engineer", team=pay, manager=mia, user=users.get("ben"),
                 preferred_track="management")
    cy = person("e6", "Cy Coder", "senior-software-engineer", team=pay, manager=mia, user=users.get("cy"))
    dotted(tess, mia)
    role(mia, pay, "people_manager")
    role(mia, search, "people_manager", start=date(2025, 6, 2))
    role(tess, pay, "tech_lead")
    event("joined", START, person_id="e5", new="e5")
    event("level-changed", date(2025, 9, 1), person_id="e5", old="software-engineer", new="senior-software-engineer")
    event("preferred-track-changed", date(2025, 10, 1), person_id="e5", old="undecided", new="management")
    event("role-gained", START, person_id="e4", team_name="Payments", new="tech_lead@Payments")
    return {"payments": pay, "search": search, "dana": dana, "ada": ada, "mia": mia, "tess": tess,
            "ben": ben, "cy": cy}
