"""Generated demo organisations: realistic shape, planted problems, any size, same output for the same seed.

The shape follows the product brief: a CTO; a VP of Engineering over layers of people
managers (directors head departments); a Director of Architecture over architects and
tech leads, who report to her line (solid) and work with their teams' managers (dotted);
teams of 4 to 9 with their pair; managers of two teams; architects leading two or three
teams. A few of each problem the health engine looks for are planted on purpose.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from trellis.lib.gcpause import gc_paused
from trellis.org.csvio import write_org_csv
from trellis.org.model import PEOPLE_MANAGER, TECH_LEAD, OrgSnapshot, Person, RoleSpan, Team

MIN_PEOPLE = 20
AS_OF = date(2025, 7, 1)  # every generated date lies before this day
FANOUT = 6  # people over people: 4 to 8 each, around 6
MIN_SPAN = 4
SMALL_TEAM = 6  # the last few places are filled with teams of this size
MAX_SPAN = 8

FIRST = ("Ada", "Björn", "Chloé", "Dmitri", "Eun-ji", "Farah", "Gonçalo", "Hana", "Ioana", "Jonas", "Kwame",
         "Łucja", "Mateo", "Nnamdi", "Oksana", "Pádraig", "Quentin", "Rūta", "Søren", "Tomás", "Umaima", "Vũ",
         "Wiebke", "Xiadani", "Yusuf", "Zoë", "Amara", "Benoît", "Céline", "Darius", "Elif", "Fatoumata",
         "Grzegorz", "Hélène", "Ilse", "Jürgen", "Kalani", "Leilani", "Mihály", "Noémie", "Olumide", "Priya",
         "Ragnhild", "Sipho", "Thandiwe", "Ugo", "Valentina", "Wanjiru", "Ximena", "Yara", "Zdeněk", "Anaïs",
         "Bogdan", "Carmen", "Dagný", "Esteban", "Fiachra", "Gülşen", "Haruto", "Inés")
LAST = ("Okafor", "Ørsted", "García", "Nguyễn", "Müller", "Kowalczyk", "Sato", "Haddad", "Ivanova", "Mensah",
        "Dvořák", "Fernández", "Lindqvist", "O'Brien", "Papadopoulos", "Rahman", "Schäfer", "Tanaka", "Uzun",
        "Van der Berg", "Wójcik", "Xu", "Yılmaz", "Zapata", "Achterberg", "Bergström", "Castaño", "Dąbrowski",
        "Eriksen", "Fitzgerald", "Gómez", "Horváth", "Iglesias", "Jovanović", "Kim", "López", "Mäkinen",
        "Nakamura", "Oyelaran", "Petrović", "Quispe", "Rossi", "Silva", "Takács", "Ueda", "Villanueva",
        "Weiß", "Yamamoto", "Zielińska", "Abebe", "Bianchi", "Chen", "Duarte", "Éluard", "Fonseca", "Głowacki")
AREAS = ("Payments", "Search", "Checkout", "Identity", "Billing", "Données", "Mobile", "Notifications",
         "Catalogue", "Pricing", "Logistics", "Onboarding", "Messaging", "Analytics", "Infrastructure",
         "Observability", "Developer Tools", "Fraud", "Loyalty", "Recommendations", "Storage", "Networking",
         "Accessibility", "Localisation", "Compliance", "Reporting", "Scheduling", "Inventory", "Maps",
         "Media", "Accounts", "Security", "Partnerships", "Growth", "Reliability", "Zahlungsverkehr")
DEPARTMENTS = ("Commerce", "Platform", "Customer", "Data", "Core Services", "Money", "Experience",
               "Operations", "Trust", "Marketplace", "Foundations", "Insights")

# Planted problems, one kind per planted unit, in rotation.
PLANTED = ("no-tech-lead", "no-people-manager", "dual-role", "dual-role-across", "peter-principle",
           "too-wide", "too-narrow", "tech-lead-spread", "unrecognised-lead")
# Planted across the whole organisation: a thin bench. Nobody holds the level directly below the
# Director of Architecture, so she has no successor in sight (architects and the heads of the
# architecture line are software architects). Not planted: track parity, which is a property of
# the ladder and not of the organisation, and a missing architecture line, since the demo is
# built around one under its Director of Architecture.
ARCHITECT = "software-architect"

_ASCII = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "ı": "i", "æ": "ae", "đ": "d"})


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


@dataclass
class _Rec:
    """A person while the organisation is being built; ids are given at the end, top down."""

    level: str
    track: str
    manager: int | None = None
    team: int | None = None
    dotted: list[int] = field(default_factory=list)
    roles: list[tuple[int, str]] = field(default_factory=list)  # (team index, role)


@dataclass
class _Leaf:
    """What a layer of managers groups: a people manager, or people with no manager of their own."""

    person: int | None
    orphans: list[int]
    teams: list[int]


class _Builder:
    def __init__(self, people: int, seed: int):
        self.target = people
        self.rng = random.Random(seed)
        self.recs: list[_Rec] = []
        self.team_names: list[str] = []
        self.team_department: dict[int, str] = {}
        self.team_engineers: dict[int, list[int]] = {}
        self.team_manager: dict[int, int] = {}
        self.mgmt: list[_Leaf] = []
        self.tech: list[int] = []  # technical leaders who report into the architecture line
        self.architect: tuple[int, int] | None = None  # (person, teams it may still lead)
        self.area_uses: dict[str, int] = {}
        self.staff = 3 if people >= 40 else 0

    # -- people and teams -------------------------------------------------------------
    def person(self, level: str, track: str, team: int | None = None) -> int:
        self.recs.append(_Rec(level, track, team=team))
        return len(self.recs) - 1

    def new_team(self) -> int:
        area = self.rng.choice(AREAS)
        uses = self.area_uses.get(area, 0) + 1
        self.area_uses[area] = uses
        self.team_names.append(area if uses == 1 else f"{area} {uses}")
        return len(self.team_names) - 1

    def engineers(self, team: int, count: int) -> list[int]:
        made = []
        for _ in range(count):
            roll = self.rng.random()
            level = ("software-engineer" if roll < 0.45 else
                     "senior-software-engineer" if roll < 0.9 else "lead-engineer")
            made.append(self.person(level, self.rng.choice(("undecided",) * 14 + ("technical",) * 5 + ("management",))))
        self.team_engineers.setdefault(team, []).extend(made)
        for i in made:
            self.recs[i].team = team
        return made

    def lead(self, team: int, kind: str = "member") -> bool:
        """Give ``team`` its tech lead: a member, an architect of several teams, or a junior member.

        True when the lead is a member of the team (and so counts in its size)."""
        if kind == "architect" or (kind == "member" and self.rng.random() < 0.22):
            # An architect leads this team among two or three (ROLE@TEAM rows).
            if self.architect is None or self.architect[1] == 0:
                self.start_architect(self.rng.choice((2, 2, 2, 3)))
            assert self.architect is not None
            who, left = self.architect
            self.architect = (who, left - 1)
            self.recs[who].roles.append((team, TECH_LEAD))
            return False
        level = "lead-engineer" if kind in ("member", "member-only") else self.rng.choice(("software-engineer",
                                                                           "senior-software-engineer"))
        who = self.person(level, self.rng.choice(("technical",) * 4 + ("undecided",)), team)
        self.recs[who].roles.append((team, TECH_LEAD))
        self.tech.append(who)
        return True

    def start_architect(self, teams: int) -> None:
        who = self.person(ARCHITECT, "technical")
        self.tech.append(who)
        self.architect = (who, teams)

    def manager(self, teams: list[int], *, preferred: str = "management") -> int:
        level = "engineering-manager" if self.rng.random() < 0.8 else "senior-engineering-manager"
        who = self.person(level, preferred, teams[0])
        for team in teams:
            self.recs[who].roles.append((team, PEOPLE_MANAGER))
            self.team_manager[team] = who
            for engineer in self.team_engineers.get(team, ()):
                self.recs[engineer].manager = who
        self.mgmt.append(_Leaf(who, [], teams))
        return who

    # -- units: one or two teams with their manager -----------------------------------
    def unit(self, kind: str) -> None:
        rng = self.rng
        if kind == "normal":
            kind = "two-teams" if rng.random() < 0.25 else "one-team"
        if kind in ("one-team", "peter-principle", "no-tech-lead", "unrecognised-lead", "dual-role"):
            team = self.new_team()
            size = rng.randint(6, 9)
            lead_kind = {"no-tech-lead": "none", "unrecognised-lead": "junior", "dual-role": "none"}.get(kind,
                                                                                                         "member")
            member = self.lead(team, lead_kind) if lead_kind != "none" else False
            self.engineers(team, size - 1 - member)
            preferred = "technical" if kind == "peter-principle" else rng.choice(("management",) * 6 + ("undecided",))
            who = self.manager([team], preferred=preferred)
            if kind == "dual-role":
                self.recs[who].roles.append((team, TECH_LEAD))  # manager and tech lead of one team
        elif kind == "too-narrow":
            team = self.new_team()
            self.engineers(team, 2)
            self.lead(team)
            self.manager([team])
        elif kind in ("two-teams", "too-wide"):
            teams = [self.new_team(), self.new_team()]
            low, high = (8, 9) if kind == "too-wide" else (4, 5)
            for i, team in enumerate(teams):
                member = self.lead(team)
                self.engineers(team, rng.randint(low, high) - (i == 0) - member)
            self.manager(teams)
        elif kind == "dual-role-across":
            mine, other = self.new_team(), self.new_team()
            member = self.lead(mine)
            self.engineers(mine, rng.randint(6, 9) - 1 - member)
            who = self.manager([mine])
            self.engineers(other, rng.randint(6, 9) - 1)
            self.manager([other])
            self.recs[who].roles.append((other, TECH_LEAD))  # manager of one team, tech lead of another
        elif kind == "no-people-manager":
            team = self.new_team()
            member = self.lead(team)
            orphans = self.engineers(team, rng.randint(4, 6) - member)
            self.mgmt.append(_Leaf(None, orphans, [team]))
        elif kind == "tech-lead-spread":
            self.start_architect(4)  # one architect for four teams: a void in practice
            for _ in range(2):
                teams = [self.new_team(), self.new_team()]
                for i, team in enumerate(teams):
                    self.lead(team, "architect")
                    self.engineers(team, rng.randint(4, 5) - (i == 0))
                self.manager(teams)
            self.architect = None
        else:
            raise ValueError(kind)

    # -- layers above the teams -------------------------------------------------------
    def overhead(self, more: int = 0) -> int:
        """People above the teams, with ``more`` managers and tech leads still to come."""
        mgmt = sum(heads for heads, _ in management_layers(len(self.mgmt) + more))
        tech = sum(heads for heads, _ in architecture_layers(len(self.tech) + more))
        return 3 + self.staff + mgmt + tech  # the CTO, the VP, the Director of Architecture, the CTO's staff

    def remaining(self) -> int:
        return self.target - len(self.recs) - self.overhead()

    def small_team(self) -> None:
        """Six people: a manager, a tech lead and four engineers (the manager's span stays at four)."""
        team = self.new_team()
        self.engineers(team, SMALL_TEAM - 2)
        self.lead(team, "member-only")
        self.manager([team])


def _top_split(count: int, top: int, direct: bool) -> tuple[int, int] | None:
    """(heads, people left to report to the top directly) so that the top has 4 to ``top``
    reports and each head 4 to 8; None when ``count`` is too many for one more layer."""
    best: tuple[tuple[float, ...], tuple[int, int]] | None = None
    for heads in range(1, top + 1):
        for alone in range(0, top - heads + 1 if direct else 1):
            grouped = count - alone
            if not MIN_SPAN * heads <= grouped <= MAX_SPAN * heads or heads + alone < min(MIN_SPAN, count):
                continue
            score = (abs(heads + alone - FANOUT), abs(grouped / heads - FANOUT), alone)
            if best is None or score < best[0]:
                best = (score, (heads, alone))
    return best[1] if best else None


@cache
def _layers(count: int, top: int, direct: bool, at_least_one: bool) -> tuple[tuple[int, int], ...]:
    """How to put ``count`` people under layers of heads, bottom up: (heads, left ungrouped)
    per layer. Spans stay within 4 to 8 wherever the numbers allow; only the last layer
    leaves people ungrouped, to report to the top directly."""
    layers: list[tuple[int, int]] = []
    while count > top or (at_least_one and not layers and count > 0):
        split = _top_split(count, top, direct)
        if split is not None:
            return (*layers, split)
        count = max(1, round(count / FANOUT))
        layers.append((count, 0))
    return tuple(layers)


def management_layers(managers: int) -> tuple[tuple[int, int], ...]:
    # Under the VP, beside the Director of Architecture: at most 7; every team gets a director.
    return _layers(managers, MAX_SPAN - 1, False, True)


def architecture_layers(leads: int) -> tuple[tuple[int, int], ...]:
    return _layers(leads, MAX_SPAN, True, False)


def _split(items: list[int] | list[_Leaf], groups: int) -> list[list[int] | list[_Leaf]]:
    size, extra = divmod(len(items), groups)
    out, start = [], 0
    for g in range(groups):
        end = start + size + (g < extra)
        out.append(items[start:end])
        start = end
    return out


def generate_org(people: int, seed: int) -> OrgSnapshot:
    """A realistic organisation of exactly ``people`` people; the same seed gives the same organisation."""
    if people < MIN_PEOPLE:
        raise ValueError(f"a demo organisation needs at least {MIN_PEOPLE} people")
    b = _Builder(people, seed)
    rng = b.rng
    period = max(2, min(12, people // 90))
    planted = 0
    while b.remaining() >= 40:
        if len(b.mgmt) % period == 1:
            b.unit(PLANTED[planted % len(PLANTED)])
            planted += 1
        else:
            b.unit("normal")
    while b.remaining() >= SMALL_TEAM + b.overhead(1) - b.overhead():
        b.small_team()
    # The last few people join the smallest teams that have a manager.
    staffed = sorted(b.team_manager, key=lambda t: (len(b.team_engineers.get(t, ())), t))
    i = 0
    while b.remaining() > 0:
        team = staffed[i % len(staffed)]
        for engineer in b.engineers(team, 1):
            b.recs[engineer].manager = b.team_manager[team]
        i += 1

    cto = b.person("cto", "technical")
    vp = b.person("vp-engineering", "management")
    doa = b.person("director-of-architecture", "technical")
    b.recs[vp].manager = cto
    b.recs[doa].manager = vp  # among the heads of people management: their peer
    for _ in range(b.staff):
        staff = b.person(ARCHITECT, "technical")
        b.recs[staff].manager = cto

    # People managers: layers of heads, bottom up; directors head departments.
    layers = management_layers(len(b.mgmt))
    names = (["director-of-engineering"] if len(layers) == 1 else
             ["senior-engineering-manager", "director-of-engineering"] + ["vp-engineering"] * (len(layers) - 2))
    nodes = b.mgmt
    directors = 0
    for (groups, _), level in zip(layers, names, strict=True):
        heads: list[_Leaf] = []
        for group in _split(nodes, groups):
            head = b.person(level, rng.choice(("management",) * 5 + ("undecided",)))
            teams: list[int] = []
            for leaf in group:
                assert isinstance(leaf, _Leaf)
                if leaf.person is not None:
                    b.recs[leaf.person].manager = head
                for orphan in leaf.orphans:
                    b.recs[orphan].manager = head
                teams += leaf.teams
            if level == "director-of-engineering":
                turn, which = divmod(directors, len(DEPARTMENTS))
                label = DEPARTMENTS[which] + (f" {turn + 1}" if turn else "")
                directors += 1
                for team in teams:
                    b.team_department[team] = label
            heads.append(_Leaf(head, [], teams))
        nodes = heads
    for leaf in nodes:
        assert leaf.person is not None
        b.recs[leaf.person].manager = vp

    # The architecture line: technical leaders under architects, up to the Director of Architecture.
    tech_nodes = b.tech
    for groups, alone in architecture_layers(len(b.tech)):
        tech_heads = tech_nodes[:alone]
        for tech_group in _split(tech_nodes[alone:], groups):
            head = b.person(ARCHITECT, "technical")
            for member in tech_group:
                assert isinstance(member, int)
                b.recs[member].manager = head
            tech_heads.append(head)
        tech_nodes = tech_heads
    for member in tech_nodes:
        b.recs[member].manager = doa
    for who in b.tech:
        led = [team for team, role in b.recs[who].roles if role == TECH_LEAD]
        b.recs[who].dotted = sorted({b.team_manager[t] for t in led if t in b.team_manager} - {b.recs[who].manager})
    assert len(b.recs) == people, (len(b.recs), people)
    return _snapshot(b, cto)


def _snapshot(b: _Builder, root: int) -> OrgSnapshot:
    """Ids top down (the CTO first), names, emails, dates; then the snapshot."""
    rng = b.rng
    reports: dict[int, list[int]] = {}
    for i, rec in enumerate(b.recs):
        if rec.manager is not None:
            reports.setdefault(rec.manager, []).append(i)
    order = [root]
    for i in order:
        order.extend(reports.get(i, ()))
    width = max(6, len(str(len(b.recs))))
    ids = {index: f"E{n:0{width}d}" for n, index in enumerate(order, start=1)}
    first_day, last_day = date(2016, 1, 1).toordinal(), (AS_OF.toordinal() - 1)
    people: dict[str, Person] = {}
    roles: list[RoleSpan] = []
    used_teams: set[int] = set()
    for index in order:
        rec = b.recs[index]
        pid = ids[index]
        first, last = rng.choice(FIRST), rng.choice(LAST)
        since = date.fromordinal(rng.randint(first_day, last_day)) if rng.random() < 0.9 else None
        people[pid] = Person(
            id=pid, name=f"{first} {last}", level=rec.level, email=f"{_ascii(first)}.{pid.lower()}@example.org",
            preferred_track=rec.track, manager_id=ids[rec.manager] if rec.manager is not None else None,
            dotted_manager_ids=tuple(sorted(ids[d] for d in rec.dotted)),
            team=b.team_names[rec.team] if rec.team is not None else None, level_since=since)
        if rec.team is not None:
            used_teams.add(rec.team)
        for team, role in rec.roles:
            used_teams.add(team)
            roles.append(RoleSpan(pid, b.team_names[team], role, since))
    teams = {b.team_names[t]: Team(b.team_names[t], b.team_department.get(t)) for t in sorted(used_teams)}
    roles.sort(key=lambda s: (s.person_id, s.team, s.role))
    return OrgSnapshot(as_of=AS_OF, people=people, teams=teams, roles=roles)


def generate_org_csv(people: int, seed: int) -> str:
    """The generated organisation in the import format (docs/org-csv.md)."""
    with gc_paused():
        return write_org_csv(generate_org(people, seed))
