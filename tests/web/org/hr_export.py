"""The whole-company HR export fixture, as HR sends it to the upload page and the API."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import FIXTURES

HR = FIXTURES / "org" / "hr"
EXPORT = HR / "company-export.csv"
# The same pairs as columns.map, in the one-line form the page and the API take.
MAPPING = ",".join(line for line in (HR / "columns.map").read_text().splitlines()
                   if line.strip() and not line.startswith("#"))
AS_OF = "2025-03-01"


def export_file(data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile("company-export.csv", EXPORT.read_bytes() if data is None else data,
                              content_type="text/csv")


def level_map_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("level-map.csv", (HR / "level-map.csv").read_bytes(), content_type="text/csv")


def fields(**changes: object) -> dict[str, object]:
    """Everything the form or the API gets to read the engineering division of the export."""
    return {"file": export_file(), "level_map": level_map_file(), "mapping": MAPPING, "where": "Division=Engineering",
            "outside_managers": "top", "as_of": AS_OF, **changes}
