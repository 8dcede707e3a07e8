"""Database connections are kept between requests: opening one costs more than a page served from
what is kept (SQLite reads the whole schema of a large database, PostgreSQL starts a backend)."""

from __future__ import annotations

from django.conf import settings


def test_a_connection_is_kept_for_a_minute_and_checked_before_it_is_used_again():
    database = settings.DATABASES["default"]
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
