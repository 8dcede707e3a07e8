"""The top of the org chart is the same for everyone and kept per version of the organisation:
an import that changes who is at the top shows at once."""

from __future__ import annotations

import pytest

from tests.web.org.edits import HEADER, IMPORTED, imported
from trellis.web.org import services

pytestmark = pytest.mark.django_db


def test_a_new_head_of_the_organisation_shows_at_the_top_of_the_chart_at_once(client, charlie):
    imported()
    client.force_login(charlie)
    assert "Ada Ørsted" in client.get("/org/chart/list/").content.decode()
    services.apply_import(HEADER + "ceo,Cy Chief,cy@example.org,cto,,,,,,technical,2019-01-01\n"
                          "em1,Björn Ng,bjorn@example.org,engineering-manager,ceo,,payments,Money,people_manager,"
                          "management,2021-05-01\n", "org.csv", as_of=IMPORTED, allow_mass_leave=True)
    html = client.get("/org/chart/list/").content.decode()
    drawn = client.get("/org/chart/").content.decode()
    assert "Cy Chief" in html and "Björn Ng" in html and "Cy Chief" in drawn
    assert 'href="/org/people/cto/"' not in html
