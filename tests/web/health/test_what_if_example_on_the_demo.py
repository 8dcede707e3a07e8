"""The example the what-if panel shows applies to the demo organisation: following it simulates."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from trellis.web.demo import prepare_demo

pytestmark = pytest.mark.django_db


def test_the_panel_example_works_on_the_demo_organisation(client):
    prepare_demo(people=200, seed=1, password=PASSWORD)
    client.login(username="demo", password=PASSWORD)
    html = client.get("/health/what-if/").content.decode()
    start = html.index('For example, <a href="') + len('For example, <a href="')
    link = html[start:html.index('"', start)]
    assert "promote" in link and "people_manager" in link
    response = client.get("/health/what-if/" + link.replace("&amp;", "&"))
    result = response.content.decode()
    assert response.status_code == 200, result
    appeared = result[result.index("would appear"):result.index("would disappear")]
    assert 'data-code="dual-role"' in appeared
