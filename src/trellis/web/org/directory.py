"""Finding people by part of their name at 100,000 people, without reading every row per keystroke.

A database answers "the name contains q" by reading every name: no index helps with a match
in the middle of a word. So each process keeps the directory once per state of the
organisation: every name, folded as the database folds case, in the directory's order
(active people first, then language-aware by name, then by id), joined into one string.
Finding ``q`` in it runs at the speed of a string search; the rows of a page are then read
by primary key. The matches are those of the database's own ``icontains`` and ``iexact``:
part of the name, or the whole id or email.

The directory is kept per version of the organisation (``trellis.web.org.version``: one small
query, moved by every write).
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from django.db import connection

from trellis.web.org.models import Person
from trellis.web.org.version import version

ORDER = ("-active", "sort_key", "external_id")  # the directory's order, as the database sorts it
_SEPARATOR = "\x00"
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(text: str) -> str:
    """Case folded as the database compares in ``icontains``: SQLite's LIKE folds only the ASCII
    letters; PostgreSQL compares ``UPPER()`` of both sides."""
    return text.upper() if connection.vendor == "postgresql" else text.translate(_ASCII_LOWER)


@dataclass(frozen=True)
class Directory:
    names: str  # every folded name, each followed by the separator, in the directory's order
    starts: list[int]  # where each row's name starts in ``names``
    pks: list[int]
    active: list[bool]
    exact: dict[str, list[int]]  # a folded id or email -> the rows that have it

    def rows(self, q: str) -> list[int]:
        """The rows matching ``q`` (not empty), in the directory's order."""
        folded = fold(q)
        found = set(self.exact.get(folded, ()))
        if _SEPARATOR not in folded:
            names, starts, end = self.names, self.starts, len(self.names)
            at = names.find(folded)
            while at != -1:
                row = bisect_right(starts, at) - 1
                found.add(row)
                at = names.find(folded, starts[row + 1] if row + 1 < len(starts) else end)  # the next row
        return sorted(found)


_lock = threading.Lock()
_current: tuple[tuple[Any, ...], Directory] | None = None


def directory() -> Directory:
    """The directory for the organisation as it is now (one small query when it has not changed)."""
    global _current
    key = (connection.vendor, *version())
    with _lock:
        if _current is not None and _current[0] == key:
            return _current[1]
    parts: list[str] = []
    starts: list[int] = []
    pks: list[int] = []
    active: list[bool] = []
    exact: dict[str, list[int]] = {}
    at = 0
    rows = Person.objects.order_by(*ORDER).values_list("pk", "active", "name", "external_id", "email")
    for i, (pk, is_active, name, external_id, email) in enumerate(rows.iterator(chunk_size=5000)):
        folded = fold(name) + _SEPARATOR
        parts.append(folded)
        starts.append(at)
        at += len(folded)
        pks.append(pk)
        active.append(is_active)
        for value in {fold(external_id), fold(email)} - {""}:
            exact.setdefault(value, []).append(i)
    built = Directory("".join(parts), starts, pks, active, exact)
    with _lock:
        _current = (key, built)
    return built


def matching(q: str, *, active_only: bool = False, limit: int | None = None) -> list[int]:
    """Primary keys of the people matching ``q`` (not empty), in the directory's order."""
    found = directory()
    rows = found.rows(q)
    if active_only:
        rows = [row for row in rows if found.active[row]]
    return [found.pks[row] for row in rows[:limit]]


def people(pks: list[int]) -> list[Person]:
    """The people with these primary keys, with their teams and managers, in the order given (one query)."""
    by_pk = Person.objects.select_related("team", "manager").in_bulk(pks)
    return [by_pk[pk] for pk in pks if pk in by_pk]
