"""The health dashboard as a signed-in person sees it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.conftest import PASSWORD
from tests.web.health import org
from trellis.health.timeline import month_ends
from trellis.lib import clock
from trellis.web.health import services
from trellis.web.health.charts import integer_ticks

pytestmark = pytest.mark.django_db


def test_the_dashboard_needs_sign_in(client):
    assert client.get("/health/")["Location"].startswith("/accounts/login/")


def test_it_lists_findings_by_severity_linked_to_their_team_and_person(client, hannah):
    org.build()
    client.login(username="hannah", password=PASSWORD)
    response = client.get("/health/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="dual-role"' in html
    assert 'href="/org/people/bob/"' in html
    assert "Teams with a complete pair" in html
    assert '<svg class="chart"' in html


def test_today_search_has_its_tech_lead_but_eight_months_ago_it_had_none(client, hannah):
    dates = org.build()
    client.login(username="hannah", password=PASSWORD)
    now = client.get("/health/").content.decode()
    assert 'data-code="no-tech-lead"' not in now
    then = client.get(f"/health/?as_of={dates['first'] + timedelta(days=1)}").content.decode()
    assert 'data-code="no-tech-lead"' in then and 'href="/org/teams/search/"' in then


def test_a_bad_or_future_date_is_a_400_that_says_what_to_write(client, charlie):
    client.login(username="charlie", password=PASSWORD)
    response = client.get("/health/?as_of=31-12-2026")
    assert response.status_code == 400
    assert "write it as YYYY-MM-DD" in response.content.decode()
    future = clock.today() + timedelta(days=3)
    assert client.get(f"/health/?as_of={future}").status_code == 400


def test_the_timeline_shows_the_void_closing(client, charlie):
    org.build()
    client.login(username="charlie", password=PASSWORD)
    html = client.get("/health/timeline/").content.decode()
    row = html[html.index('<th scope="row">Team without a tech lead <code class="code">no-tech-lead</code>'):]
    row = row[:row.index("</tr>")]
    assert 'class="better">-1<' in row


def test_the_timeline_has_one_chart_per_finding_on_whole_numbers_from_the_first_import(client, charlie):
    dates = org.build()
    client.login(username="charlie", password=PASSWORD)
    html = client.get("/health/timeline/").content.decode()
    shown = [day for day in month_ends(clock.today(), 12) if day >= dates["first"]]
    # No month before the first import, in the charts' table or anywhere else.
    headers = re.findall(r'<th scope="col">([^<]+)</th>', html)
    assert headers == ["Finding", *(f"{d.day} {d:%b %Y}" for d in shown), "Worst", "Now against the worst"]
    before = month_ends(clock.today(), 12)[0]
    assert f"{before.day} {before:%b %Y}" not in html
    # One small chart per finding that was ever present, each named in words with its code.
    captions = re.findall(r"<figcaption>([^<]+) <code class=\"code\">([^<]+)</code></figcaption>", html)
    assert ("Team without a tech lead", "no-tech-lead") in captions
    assert ("Two jobs at once: people manager and tech lead", "dual-role") in captions
    assert len(captions) == html.count('<svg class="chart"') == len(re.findall(r'<tr><th scope="row">', html))
    # Gridlines are whole numbers: a count of findings is never 0.5.
    ticks = re.findall(r'text-anchor="end" class="chart-label">([^<]+)</text>', html)
    assert ticks and all(t.isdigit() for t in ticks if not t[0].isalpha())


def test_whole_number_gridlines_never_go_past_a_few_steps():
    assert integer_ticks(0) == [0, 1]
    assert integer_ticks(1) == [0, 1]
    assert integer_ticks(3) == [0, 1, 2, 3]
    assert integer_ticks(5) == [0, 2, 4, 6]
    assert integer_ticks(8) == [0, 2, 4, 6, 8]
    assert integer_ticks(9) == [0, 5, 10]
    assert integer_ticks(230) == [0, 100, 200, 300]


def test_the_report_is_cached_until_the_organisation_changes(client, charlie, django_assert_max_num_queries):
    org.build()
    first = services.health().report
    assert services.health().report is first
    org.link("charlie", "alice")  # not a change the health depends on
    assert services.health().report is first
    org.services.apply_import(org.HEADER + org.TOP + org.ENGINEERS, "org-v3.csv", as_of=clock.today())
    assert services.health().report is not first
