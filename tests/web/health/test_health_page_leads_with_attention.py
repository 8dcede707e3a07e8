"""The health page leads with what needs attention, names people and findings in words, pages long
lists with links that keep the filters, and costs the same queries whatever it lists."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.conftest import PASSWORD
from tests.web.health import org
from trellis.lib import clock
from trellis.web.health import services
from trellis.web.ladders.services import ensure_default_ladder
from trellis.web.org import services as org_services

pytestmark = pytest.mark.django_db

HEADER = "id,name,level,manager_id,team,roles\n"


def leaderless(teams: int) -> str:
    """Cora the CTO over one manager per team; each team of three engineers has no tech lead."""
    rows = ["cora,Cora CTO,cto,,,\n"]
    for t in range(1, teams + 1):
        rows.append(f"m{t},Manager {t},engineering-manager,cora,team-{t:02},people_manager\n")
        rows += [f"e{t}x{i},Engineer {t}.{i},software-engineer,m{t},team-{t:02},\n" for i in range(1, 8)]
    return HEADER + "".join(rows)


@pytest.fixture
def twenty_five(db):  # type: ignore[no-untyped-def]
    ensure_default_ladder()
    services.clear_cache()
    org_services.apply_import(leaderless(25), "leaderless.csv", as_of=clock.today() - timedelta(days=30))


def _codes(html: str) -> list[str]:
    return re.findall(r'data-code="([^"]+)"', html)


def test_critical_and_warning_come_first_then_information_then_figures(client, hannah, org_dates):
    client.login(username="hannah", password=PASSWORD)
    html = client.get("/health/").content.decode()
    attention, information = html.index('id="attention"'), html.index('id="information"')
    assert attention < information < html.index('id="figures"') < html.index("At a glance")
    needs = html[attention:information]
    severities = re.findall(r'<span class="sev">(\w+)</span>', needs)
    assert severities and set(severities) <= {"critical", "warning"}
    assert severities == sorted(severities, key=["critical", "warning"].index)
    assert set(re.findall(r'<span class="sev">(\w+)</span>', html[information:])) == {"info"}


def test_people_are_named_with_their_id_beside_and_findings_by_a_title(client, hannah, org_dates):
    client.login(username="hannah", password=PASSWORD)
    html = client.get("/health/").content.decode()
    assert '<a class="subject person" href="/org/people/bob/">Bob Manager</a> <code class="id">bob</code>' in html
    assert ('<strong class="title">Two jobs at once: people manager and tech lead</strong> '
            '<code class="code">dual-role</code>') in html


def test_dates_are_written_the_products_one_way(client, hannah, org_dates):
    """Alice gives up leading Payments ten days ago: the void has a start date."""
    gone = clock.today() - timedelta(days=10)
    top = org.TOP.replace("alice,Alice Lead,lead-engineer,diana,bob,payments,tech_lead,", "alice,Alice Lead,"
                          "lead-engineer,diana,bob,payments,,")
    org_services.apply_import(org.HEADER + top + org.ENGINEERS + org.SAM_LEADING, "org-v3.csv", as_of=gone)
    client.login(username="hannah", password=PASSWORD)
    html = client.get("/health/").content.decode()
    assert f'<span class="since">since {gone.day} {gone:%b %Y}</span>' in html
    assert not re.search(r'class="since">since \d{4}-', html)
    assert 'level <span class="level">Director of Architecture</span>' in html  # thin-bench, by the level's title


def test_a_long_list_is_paged_with_links_that_keep_the_date_and_the_filters(client, hannah, twenty_five):
    client.login(username="hannah", password=PASSWORD)
    day = clock.today().isoformat()
    first = client.get(f"/health/?as_of={day}&code=no-tech-lead").content.decode()
    assert _codes(first).count("no-tech-lead") == 20
    assert "page 1 of 2 (1–20 of 25)" in first
    link = re.search(r'<a href="\?([^"]+)">next</a>', first)
    assert link is not None
    query = link.group(1).replace("&amp;", "&")
    assert set(query.split("#")[0].split("&")) == {f"as_of={day}", "code=no-tech-lead", "page=2"}
    second = client.get(f"/health/?{query.split('#')[0]}").content.decode()
    assert _codes(second).count("no-tech-lead") == 5 and "page 2 of 2 (21–25 of 25)" in second
    assert set(re.findall(r'team <a class="subject team" href="/org/teams/([^/]+)/">', first)).isdisjoint(
        re.findall(r'team <a class="subject team" href="/org/teams/([^/]+)/">', second))


def test_a_filter_by_severity_and_a_bad_filter(client, hannah, org_dates):
    client.login(username="hannah", password=PASSWORD)
    html = client.get("/health/?severity=critical").content.decode()
    assert set(re.findall(r'<span class="sev">(\w+)</span>', html)) <= {"critical"}
    bad = client.get("/health/?code=no-such-thing")
    assert bad.status_code == 400 and "unknown finding code &#x27;no-such-thing&#x27;" in bad.content.decode()
    assert client.get("/health/?severity=loud").status_code == 400


def test_the_page_costs_the_same_queries_for_any_page_and_any_number_of_findings(
        client, hannah, twenty_five, django_assert_num_queries):
    client.login(username="hannah", password=PASSWORD)
    client.get("/health/")  # judges and caches the organisation
    # session, user, groups, the organisation's state key, the active ladder, the latest closed review
    # cycle, the acknowledgements, the names of the people shown
    for address in ("/health/", "/health/?page=2", "/health/?code=no-tech-lead&page=2", "/health/?severity=info"):
        with django_assert_num_queries(8):
            assert client.get(address).status_code == 200
    # Twenty more teams without a tech lead, new today (information for now, not yet a warning).
    org_services.apply_import(leaderless(45), "more.csv", as_of=clock.today())
    client.get("/health/")
    with django_assert_num_queries(8):
        html = client.get("/health/?page=2").content.decode()
    # 25 teams without a tech lead for a month and Cora's 45 reports need attention; the 20 new voids are
    # information for now, beside the bench findings.
    assert "Needs attention (27)" in html and "page 2 of 2 (21–27 of 27)" in html
    assert "For information (24)" in html and "page 1 of 2 (1–20 of 24)" in html


def test_a_colleague_sees_no_trace_of_a_preference_finding(client, charlie, org_dates):
    org.link("charlie", "alice")
    client.login(username="charlie", password=PASSWORD)
    html = client.get("/health/").content.decode()
    assert "peter-principle-risk" not in html  # not a finding, not a count, not a filter choice
    counts = re.findall(r'<strong>(\d+)</strong> (critical|warnings?|for information)', html)
    listed = _codes(html)
    assert sum(int(n) for n, _ in counts) == len(listed)


def test_a_past_date_is_shown_as_it_was_judged(client, hannah, org_dates):
    client.login(username="hannah", password=PASSWORD)
    day = org_dates["first"] + timedelta(days=1)
    html = client.get(f"/health/?as_of={day}").content.decode()
    assert f"Org health on {day.day} {day:%b %Y}" in html
    assert 'data-code="no-tech-lead"' in html
    assert "Acknowledge as deliberate" not in html  # acknowledgements are about today's findings
    assert clock.today() > day


def test_exempted_findings_are_listed_apart_with_the_policys_reason(client, hannah, org_dates, monkeypatch, tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text("exemptions:\n  - code: dual-role\n    team: pay*\n"
                      "    reason: Payments is run by one person by design until spring.\n", encoding="utf-8")
    monkeypatch.setenv("TRELLIS_POLICY", str(policy))
    client.login(username="hannah", password=PASSWORD)
    html = client.get("/health/").content.decode()
    attention, exempted = html.index('id="attention"'), html.index('id="exempted"')
    assert 'data-code="dual-role"' not in html[attention:exempted]
    part = html[exempted:html.index('id="figures"')]
    assert "Exempted by the policy (1)" in part and "Payments is run by one person by design until spring." in part
    assert '<a class="subject person" href="/org/people/bob/">Bob Manager</a>' in part
    assert "<strong>1</strong> exempted by the policy" in html
