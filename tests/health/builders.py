"""Hand-built organisations for the health tests, with named people.

The healthy organisation: Cora the CTO; Victor, VP of Engineering, and Diana, Director of
Architecture, both report to her; Dora, Director of Engineering, reports to Victor. Two teams,
Payments and Search, each with a pair: Bob manages Payments and Alice leads it technically;
Erin manages Search and Sam leads it. The tech leads, Arthur the architect and Paula the
principal architect report to Diana.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from trellis.ladder.load import load_default
from trellis.ladder.model import Ladder
from trellis.org.model import PEOPLE_MANAGER, TECH_LEAD, OrgSnapshot, Person, RoleSpan, Team

AS_OF = date(2026, 6, 30)
LADDER: Ladder = load_default().ladder


class OrgBuilder:
    """Build an ``OrgSnapshot`` by naming teams, people and roles."""

    def __init__(self, as_of: date = AS_OF):
        self.as_of = as_of
        self.teams: dict[str, Team] = {}
        self.people: dict[str, Person] = {}
        self.roles: list[RoleSpan] = []

    def team(self, name: str, since: date | None = None) -> OrgBuilder:
        self.teams[name] = Team(name, since=since)
        return self

    def person(self, pid: str, level: str = "software-engineer", *, manager: str | None = None,
               team: str | None = None, preferred: str = "undecided", name: str | None = None,
               active: bool = True, level_since: date | None = None) -> OrgBuilder:
        if team is not None and team not in self.teams:
            self.team(team)
        self.people[pid] = Person(pid, name or pid.capitalize(), level, preferred_track=preferred,
                                  manager_id=manager, team=team, active=active, level_since=level_since)
        return self

    def role(self, pid: str, role: str, team: str | None = None, *, start: date | None = None,
             end: date | None = None) -> OrgBuilder:
        team = team or self.people[pid].team
        assert team is not None
        if team not in self.teams:
            self.team(team)
        self.roles.append(RoleSpan(pid, team, role, start, end))
        return self

    def lead(self, pid: str, team: str | None = None, start: date | None = None) -> OrgBuilder:
        return self.role(pid, TECH_LEAD, team, start=start)

    def manage(self, pid: str, team: str | None = None, start: date | None = None) -> OrgBuilder:
        return self.role(pid, PEOPLE_MANAGER, team, start=start)

    def change(self, pid: str, **changes: object) -> OrgBuilder:
        self.people[pid] = replace(self.people[pid], **changes)  # type: ignore[arg-type]
        return self

    def drop_roles(self, pid: str, role: str | None = None, team: str | None = None) -> OrgBuilder:
        self.roles = [r for r in self.roles if not (r.person_id == pid and (role is None or r.role == role)
                                                   and (team is None or r.team == team))]
        return self

    def engineers(self, prefix: str, n: int, *, manager: str, team: str) -> OrgBuilder:
        for i in range(1, n + 1):
            level = "senior-software-engineer" if i % 2 else "software-engineer"
            self.person(f"{prefix}{i}", level, manager=manager, team=team)
        return self

    def build(self) -> OrgSnapshot:
        return OrgSnapshot(self.as_of, dict(self.people), dict(self.teams), list(self.roles))


def healthy() -> OrgBuilder:
    """An organisation with no findings at all (see the module docstring)."""
    b = OrgBuilder()
    b.team("Payments", since=date(2024, 1, 1)).team("Search", since=date(2024, 1, 1))
    b.person("cora", "cto", name="Cora Chen", preferred="technical")
    b.person("victor", "vp-engineering", manager="cora", name="Victor Vale", preferred="management")
    b.person("diana", "director-of-architecture", manager="cora", name="Diana Diaz", preferred="technical")
    b.person("dora", "director-of-engineering", manager="victor", name="Dora Dunn", preferred="management")
    b.person("bob", "engineering-manager", manager="dora", team="Payments", name="Bob Brown",
             preferred="management").manage("bob", start=date(2025, 1, 1))
    b.person("erin", "engineering-manager", manager="dora", team="Search", name="Erin Eze",
             preferred="management").manage("erin", start=date(2025, 1, 1))
    b.person("alice", "lead-engineer", manager="diana", team="Payments", name="Alice Adams",
             preferred="technical").lead("alice", start=date(2025, 1, 1))
    b.person("sam", "lead-engineer", manager="diana", team="Search", name="Sam Singh",
             preferred="technical").lead("sam", start=date(2025, 1, 1))
    b.person("arthur", "software-architect", manager="diana", name="Arthur Ash", preferred="technical")
    b.person("paula", "principal-architect", manager="diana", name="Paula Park", preferred="technical")
    b.engineers("pay", 5, manager="bob", team="Payments")
    b.engineers("search", 4, manager="erin", team="Search")
    return b
