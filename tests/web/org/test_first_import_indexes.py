"""A first import of many people builds the people's indexes once its rows are in (on SQLite): they come back as
they were. On PostgreSQL, which writes with COPY, they are kept throughout: the same checks hold."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from tests.org.test_apply_import import ORG
from trellis.web.org import services
from trellis.web.org.models import Person

pytestmark = pytest.mark.django_db


def indexes() -> list[tuple[str, str]]:
    """Every index of the database: its name and how it is defined."""
    query = ("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
             if connection.vendor == "sqlite" else
             "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname")
    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchall()


def cache_size() -> int | None:
    """SQLite's page cache (an import of many rows borrows a larger one); None elsewhere."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return int(cursor.fetchone()[0])


def test_the_indexes_dropped_for_a_first_import_come_back_as_they_were(monkeypatch):
    monkeypatch.setattr(services, "INDEX_AFTER_ROWS", 2)  # as for 100,000 people
    before, cache = indexes(), cache_size()
    assert any(name == "person_directory_order" for name, _ in before)
    services.apply_import(ORG, "org.csv", as_of=date(2025, 3, 1))
    assert indexes() == before
    assert cache_size() == cache
    assert services.export_csv().count("\n") == ORG.count("\n")


def test_a_later_import_keeps_the_indexes_of_tables_with_rows(monkeypatch):
    services.apply_import(ORG, "org.csv", as_of=date(2025, 3, 1))
    monkeypatch.setattr(services, "INDEX_AFTER_ROWS", 1)
    before = indexes()
    statements: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)):
        services.apply_import(ORG + "e3,Gus,,software-engineer,em1,,payments,Money,,,\n", "org.csv",
                              as_of=date(2025, 9, 1))
    assert indexes() == before
    people = {name for name, sql in before if Person._meta.db_table in sql}
    dropped = [sql for sql in statements if sql.startswith("DROP INDEX")]
    assert people and not [sql for sql in dropped for name in people if name in sql]
