"""The dashboard is rendered once per report and per class of viewer (those who may read the same
findings about preferred tracks), never shown to anyone who may read less, and rendered again
after any change through the one writer."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User

from tests.conftest import PASSWORD
from tests.web.health import org

pytestmark = pytest.mark.django_db


def findings_of(client) -> str:  # type: ignore[no-untyped-def]
    html = client.get("/health/").content.decode()
    return html[html.index("<h2>Findings</h2>"):]


def test_each_viewer_reads_only_what_they_may_whoever_the_page_was_rendered_for_first(client, hannah, charlie):
    org.build()
    User.objects.create_user("vic", "vic@example.org", PASSWORD)
    org.link("vic", "victor")  # Bob's manager: may read Bob's preferred track
    client.login(username="hannah", password=PASSWORD)
    assert 'data-code="peter-principle-risk"' in findings_of(client)
    client.login(username="charlie", password=PASSWORD)
    seen = findings_of(client)
    assert 'data-code="peter-principle-risk"' not in seen and "prefers the technical track" not in seen
    assert 'data-code="dual-role"' in seen and "ask the person which of the two roles" in seen
    client.login(username="vic", password=PASSWORD)
    assert 'data-code="peter-principle-risk"' in findings_of(client)
    client.login(username="charlie", password=PASSWORD)
    assert 'data-code="peter-principle-risk"' not in findings_of(client)


def test_the_dashboard_asked_again_costs_a_fixed_number_of_queries(client, charlie, django_assert_num_queries):
    org.build()
    client.login(username="charlie", password=PASSWORD)
    first = findings_of(client)
    # session, user, groups, the active ladder, the latest closed review cycle, the organisation's
    # state, the viewer's own person (who may read which preferred tracks)
    with django_assert_num_queries(7):
        assert findings_of(client) == first


def test_an_import_shows_on_the_dashboard_at_once(client, charlie):
    org.build()
    client.login(username="charlie", password=PASSWORD)
    assert 'href="/org/teams/search/"' not in findings_of(client)
    org.services.apply_import(org.HEADER + org.TOP + org.ENGINEERS + org.SAM_WAITING, "org-v3.csv",
                              as_of=date.today())
    assert 'data-code="no-tech-lead"' in findings_of(client)
