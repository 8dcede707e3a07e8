"""The people directory's filters: who matches them, in the directory's order.

Filters combine (level, track, team, department, everyone under a manager, and the search
of ``queries.search_people``: part of the name, or the whole id or email). The order is the
directory's (``directory.ORDER``: active people first, then the stored language-aware key),
so the database pages through 100,000 people without sorting them in Python. Everyone under
a manager is one recursive query, which SQLite and PostgreSQL both run. A search with no
other filter is answered from the directory kept in memory (``queries.people_page``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict

from trellis.ladder.model import Ladder
from trellis.web.org.models import Person
from trellis.web.org.queries import search_people


@dataclass(frozen=True)
class Filters:
    q: str = ""
    level: str = ""  # a level id of the active ladder
    track: str = ""  # a track id of the active ladder
    team: str = ""  # a team's name, exactly (any case)
    department: str = ""  # a department, exactly (any case)
    under: str = ""  # a person id: everyone below them on the solid line

    @classmethod
    def of(cls, params: QueryDict) -> Filters:
        return cls(**{f.name: params.get(f.name, "").strip() for f in fields(cls)})

    @property
    def query(self) -> str:
        """The filters as a query string (for pager links and the CSV of the same view)."""
        params = QueryDict(mutable=True)
        for f in fields(self):
            value = getattr(self, f.name)
            if value:
                params[f.name] = value
        return params.urlencode()

    @property
    def any(self) -> bool:
        return bool(self.query)

    @property
    def only_search(self) -> bool:
        return self == Filters(q=self.q)


def everyone_under(manager_pk: int) -> RawSQL:
    """The primary keys of everyone below ``manager_pk`` on the solid line, as a subquery.

    UNION (not UNION ALL) drops repeated rows, so a reporting cycle in bad data ends."""
    table = connection.ops.quote_name(Person._meta.db_table)
    manager = connection.ops.quote_name(Person._meta.get_field("manager").column)
    return RawSQL(f"WITH RECURSIVE below(id) AS (SELECT id FROM {table} WHERE {manager} = %s"
                  f" UNION SELECT p.id FROM {table} p JOIN below ON p.{manager} = below.id)"
                  f" SELECT id FROM below", [manager_pk])


def people(filters: Filters, ladder: Ladder) -> QuerySet[Person]:
    found = search_people(filters.q)
    if filters.level:
        found = found.filter(level=filters.level)
    if filters.track:
        found = found.filter(level__in=[lv.id for lv in ladder.levels if lv.track == filters.track])
    if filters.team:
        found = found.filter(team__name__iexact=filters.team)
    if filters.department:
        found = found.filter(team__department__iexact=filters.department)
    if filters.under:
        manager = Person.objects.filter(external_id=filters.under).values_list("pk", flat=True).first()
        found = found.filter(pk__in=everyone_under(manager)) if manager is not None else found.none()
    return found.select_related("team", "manager")


CSV_COLUMNS = ["id", "name", "email", "level", "level_title", "track", "team", "department", "manager_id",
               "manager_name", "active"]
