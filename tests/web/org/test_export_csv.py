"""HR and admin download the organisation in the import format."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web.org.csv_files import ORG
from trellis.web.org import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["hannah", "alice"])
def test_hr_and_admin_download_the_organisation_with_preferred_tracks(client, hannah, alice, who):
    services.apply_import(ORG, "org.csv", as_of=date(2025, 3, 1))
    client.force_login({"hannah": hannah, "alice": alice}[who])
    response = client.get("/org/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="organisation-')
    text = response.content.decode("utf-8")
    assert text == services.export_csv()
    assert "preferred_track" in text.splitlines()[0] and "Björn Ng" in text
