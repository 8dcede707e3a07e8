"""The home page answers "what should I look at?": numbers first, then the menu."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth.models import Group

from tests.web.org import org_factory as f
from trellis.lib import clock
from trellis.web.accounts.roles import HR
from trellis.web.ladders import services as ladders

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.frozen(date(2025, 11, 15)):
        yield


def test_a_manager_sees_the_findings_about_the_teams_they_lead(client, charlie):
    ladders.ensure_default_ladder()
    org = f.payments(mia=charlie)
    for i in range(3):  # a team this small is not judged
        f.person(f"s{i}", f"Sam Search {i}", team=org["search"], manager=org["mia"])
    client.force_login(charlie)
    html = client.get("/").content.decode()
    attention = html[html.index("What needs your attention"):html.index("Where to go")]
    assert 'href="/org/teams/Payments/"' in attention and 'href="/org/teams/Search/"' in attention
    assert 'data-code="no-tech-lead"' in attention, "Search, which Charlie manages, has no tech lead"
    assert "5 people report to you" in attention


def test_someone_who_leads_nobody_is_told_nothing_needs_attention(client, charlie):
    ladders.ensure_default_ladder()
    f.payments(cy=charlie)
    client.force_login(charlie)
    html = client.get("/").content.decode()
    assert "Nothing about your teams, your reports or you needs attention." in html
    assert "The organisation today" not in html, "the headline numbers are for HR and admin"


def test_hr_sees_the_headline_numbers_with_the_change_since_last_month(client, hannah):
    ladders.ensure_default_ladder()
    hannah.groups.add(Group.objects.get_or_create(name=HR)[0])
    f.payments()
    client.force_login(hannah)
    html = client.get("/").content.decode()
    numbers = html[html.index("The organisation today"):html.index("Where to go")]
    assert "against 31 Oct 2025" in numbers
    for label in ("Teams with a complete pair", "People in two jobs", "Teams with no tech lead (voids)"):
        assert label in numbers
    assert html.index("The organisation today") < html.index('class="tiles"'), "numbers first, then the menu"


def test_a_managers_findings_name_people_and_leave_out_what_is_acknowledged(client, charlie, hannah):
    """Mia (Charlie) manages Payments and Search; Search has no tech lead, and Sam Search 0 manages
    Sid without the role. Once HR acknowledges the void, it no longer needs her attention."""
    ladders.ensure_default_ladder()
    hannah.groups.add(Group.objects.get_or_create(name=HR)[0])
    org = f.payments(mia=charlie)
    sams = [f.person(f"s{i}", f"Sam Search {i}", team=org["search"], manager=org["mia"]) for i in range(3)]
    f.person("s9", "Sid Search", team=org["search"], manager=sams[0])
    client.force_login(charlie)
    html = client.get("/").content.decode()
    attention = html[html.index("What needs your attention"):html.index("Where to go")]
    assert "Team without a tech lead" in attention and '<code class="code">no-tech-lead</code>' in attention
    assert _voids(attention) == ["Search"]
    people = re.findall(r'<a class="subject person" href="/org/people/([^/]+)/">([^<]+)</a>', attention)
    assert ("s0", "Sam Search 0") in people  # ic-with-reports, by name with the id beside it
    assert '<code class="id">s0</code>' in attention
    client.force_login(hannah)
    made = client.post("/health/acknowledge/", {"code": "no-tech-lead", "team": "Search",
                                                "reason": "Search borrows Payments' lead until March."})
    assert made.status_code == 302
    client.force_login(charlie)
    attention = client.get("/").content.decode()
    attention = attention[attention.index("What needs your attention"):attention.index("Where to go")]
    assert _voids(attention) == [], "acknowledged: deliberate, no longer needing attention"


def _voids(html: str) -> list[str]:
    """The teams of the no-tech-lead findings listed."""
    return re.findall(r'data-code="no-tech-lead">.*?team <a class="subject team" href="/org/teams/([^/]+)/">',
                      html, flags=re.S)
