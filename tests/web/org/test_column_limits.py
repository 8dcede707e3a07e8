"""The lengths the CSV reader checks are those of the database's columns."""

from __future__ import annotations

from trellis.org.csvio import MAX_LENGTH
from trellis.web.org.models import Person, Team


def test_the_reader_checks_the_lengths_the_tables_have():
    fields = {"id": Person._meta.get_field("external_id"), "name": Person._meta.get_field("name"),
              "email": Person._meta.get_field("email"), "team": Team._meta.get_field("name"),
              "department": Team._meta.get_field("department")}
    assert {column: field.max_length for column, field in fields.items()} == MAX_LENGTH  # type: ignore[union-attr]
