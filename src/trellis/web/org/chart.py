"""The org chart, one level at a time.

The chart never loads the whole organisation: a page shows the people at the top and
their direct reports; every other subtree is fetched when it is opened. One level of
the chart costs five queries however many people it holds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from trellis.ladder.model import Ladder
from trellis.lib.lru import LRU
from trellis.org.model import PEOPLE_MANAGER, TECH_LEAD
from trellis.web.org.models import DottedLine, Person, RoleAssignment
from trellis.web.org.queries import LevelInfo, held_on, level_info, today
from trellis.web.org.version import version

LEVEL_LIMIT = 300  # people shown under one manager before the chart points to search instead
OPEN_TOP_LIMIT = 5  # people at the top whose reports are shown without a click
OTHER_HALF = {PEOPLE_MANAGER: TECH_LEAD, TECH_LEAD: PEOPLE_MANAGER}


@dataclass
class RoleBadge:
    role: RoleAssignment
    partners: list[Person]  # the other half of the pair on that team


@dataclass
class ChartNode:
    person: Person
    level: LevelInfo
    report_count: int
    badges: list[RoleBadge] = field(default_factory=list)
    dotted_managers: list[Person] = field(default_factory=list)
    dotted_report_count: int = 0
    children: list[ChartNode] | None = None  # None: not loaded, fetched when opened
    more: bool = False  # children were cut at LEVEL_LIMIT
    focused: bool = False


def nodes_under(manager: Person | None, ladder: Ladder, *, day: date | None = None) -> tuple[list[ChartNode], bool]:
    """The direct reports of ``manager`` (the top of the organisation when None) and whether some were cut."""
    people = Person.objects.filter(active=True)
    if manager is None:
        # Whose manager has left: a subquery of the few who left, which the manager index answers,
        # where a join to every manager would read the whole organisation (half a second at 100,000).
        left = Person.objects.filter(active=False).values("pk")
        people = people.filter(Q(manager__isnull=True) | Q(manager__in=left))
    else:
        people = people.filter(manager=manager)
    return nodes_of(people, ladder, day=day)


def nodes_of(people: QuerySet[Person], ladder: Ladder, *, day: date | None = None) -> tuple[list[ChartNode], bool]:
    """Chart nodes for ``people`` (at most ``LEVEL_LIMIT``, in name order) and whether some were cut."""
    day = day or today()
    rows = list(people.select_related("team")
                .annotate(report_count=Count("reports", filter=Q(reports__active=True)))
                .order_by("sort_key", "external_id")[:LEVEL_LIMIT + 1])
    cut = len(rows) > LEVEL_LIMIT
    rows = rows[:LEVEL_LIMIT]
    ids = [p.pk for p in rows]
    held = RoleAssignment.objects.filter(held_on(day), person_id__in=ids)
    roles = list(held.select_related("team").order_by("team__name", "role"))
    # A subquery, not the ids of ``roles``: the query runs even when nobody here holds a role,
    # so every level of the chart costs the same number of queries.
    pair_roles = (RoleAssignment.objects.filter(held_on(day), team_id__in=held.values("team_id"),
                                                person__active=True)
                  .select_related("person").order_by("person__sort_key"))
    holders: dict[tuple[int, str], list[Person]] = {}
    for r in pair_roles:
        holders.setdefault((r.team_id, r.role), []).append(r.person)
    dotted: dict[int, list[Person]] = {}
    for d in DottedLine.objects.filter(person_id__in=ids).select_related("manager").order_by("manager__name"):
        dotted.setdefault(d.person_id, []).append(d.manager)
    dotted_counts = Counter(dict(
        DottedLine.objects.filter(manager_id__in=ids, person__active=True).values("manager_id")
        .annotate(n=Count("id")).values_list("manager_id", "n")
    ))
    badges: dict[int, list[RoleBadge]] = {}
    for r in roles:
        badges.setdefault(r.person_id, []).append(RoleBadge(r, holders.get((r.team_id, OTHER_HALF[r.role]), [])))
    nodes = [
        ChartNode(person=p, level=level_info(ladder, p.level), report_count=p.report_count,
                  badges=badges.get(p.pk, []), dotted_managers=dotted.get(p.pk, []),
                  dotted_report_count=dotted_counts.get(p.pk, 0))
        for p in rows
    ]
    return nodes, cut


def chain_above(person: Person) -> list[Person]:
    """The solid chain from the top of the organisation down to ``person`` (one query per level)."""
    chain = [person]
    seen = {person.pk}
    current = person
    while current.manager_id is not None and current.manager_id not in seen:
        above = Person.objects.filter(pk=current.manager_id).first()
        if above is None or not above.active:
            break
        chain.append(above)
        seen.add(above.pk)
        current = above
    return list(reversed(chain))


TOPS_KEPT = 4
_tops = LRU(TOPS_KEPT)


def chart(ladder: Ladder, focus: Person | None = None) -> tuple[list[ChartNode], bool]:
    """The top of the chart with its direct reports open; with ``focus``, the path down to that person open too.

    Without a focus the top is the same for everyone: it is kept per version of the organisation
    (and of the ladder, which ``version`` includes), as every visit to the chart starts there."""
    if focus is None:
        return _tops.get((version(), today()), lambda: _chart(ladder, None))
    return _chart(ladder, focus)


def _chart(ladder: Ladder, focus: Person | None) -> tuple[list[ChartNode], bool]:
    path_ids = {p.pk for p in chain_above(focus)} if focus is not None else set()
    top, cut = nodes_under(None, ladder)
    # A chart with a few people at the top opens them; a flat one (many roots) stays closed.
    _open(top, ladder, path_ids, focus.pk if focus else None, open_all=len(top) <= OPEN_TOP_LIMIT)
    return top, cut


def _open(nodes: list[ChartNode], ladder: Ladder, path_ids: set[int], focus_pk: int | None, open_all: bool) -> None:
    for node in nodes:
        node.focused = node.person.pk == focus_pk
        if node.report_count and (open_all or node.person.pk in path_ids):
            node.children, node.more = nodes_under(node.person, ladder)
            _open(node.children, ladder, path_ids, focus_pk, open_all=False)
