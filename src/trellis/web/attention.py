"""What the signed-in person should look at first: the home page's numbers and findings.

A manager or tech lead sees what open review cycles wait for from them (reviews, their
self-evaluation, peer feedback asked of them, with deadlines), and the findings about the teams
they lead, the people who report to them and themself. HR and admin see the organisation's
headline numbers (pair coverage, people in two jobs, teams without a tech lead) with how each
moved since the end of last month. What a viewer may not read (a finding that exists only
because of someone's preferred track) stays hidden, as everywhere (``trellis.web.health.visibility``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from trellis.health.engine import Finding
from trellis.health.render import metric_value
from trellis.lib import clock
from trellis.web.growth.queries import DueForm, due_from
from trellis.web.health import services as health_services
from trellis.web.health.visibility import Visibility
from trellis.web.org.models import Person, RoleAssignment
from trellis.web.org.queries import held_on

MOST_FINDINGS = 20


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    change: str  # "+2 since 31 Oct", "no change since 31 Oct", "" when not known
    worse: bool | None  # None: no change or not known
    link: str  # URL name of the page that explains it


@dataclass
class Attention:
    teams: list[str]  # the teams the viewer leads
    reports: int  # the viewer's direct reports
    findings: list[Finding]
    more: int  # findings not listed
    headlines: list[Headline]
    since: date | None
    names: dict[str, str] = field(default_factory=dict)  # the names of the people the findings are about
    due: list[DueForm] = field(default_factory=list)  # what open review cycles wait for from the viewer
    today: date | None = None


# The figures HR and admin see first: (metric or finding code, label, higher is worse, page).
HEADLINES: list[tuple[str, str, bool | None, str]] = [
    ("pair_share", "Teams with a complete pair", False, "org-teams"),
    ("people_in_two_roles", "People in two jobs", True, "health"),
    ("no-tech-lead", "Teams with no tech lead (voids)", True, "health"),
    ("tech-lead-spread", "Tech leads spread too thin", True, "health"),
    ("headcount", "People", None, "org-people"),
]


def for_viewer(user: Any, me: Person | None, *, privileged: bool) -> Attention:
    today = clock.today()
    teams: list[str] = []
    reports = 0
    findings: list[Finding] = []
    if me is not None:
        teams = sorted(set(RoleAssignment.objects.filter(held_on(today), person=me)
                           .values_list("team__name", flat=True)))
        report_ids = set(Person.objects.filter(manager=me, active=True).values_list("external_id", flat=True))
        reports = len(report_ids)
        if teams or report_ids or privileged:
            # Acknowledged findings are deliberate: not what needs attention (the health page lists them apart).
            report = health_services.acknowledged_report(health_services.health().report)
            team_set = set(teams)
            mine = [f for f in report.findings
                    if (f.team in team_set) or (f.person in report_ids) or (f.person == me.external_id)]
            findings = Visibility(user).findings(mine)
    headlines: list[Headline] = []
    since = None
    if privileged:
        since = health_services.headlines_since()
        headlines = _headlines(since)
    shown = findings[:MOST_FINDINGS]
    names = health_services.person_names(f.person for f in shown if f.person) if shown else {}
    return Attention(teams=teams, reports=reports, findings=shown, more=max(len(findings) - MOST_FINDINGS, 0),
                     headlines=headlines, since=since, names=names,
                     due=due_from(me.pk) if me is not None else [], today=today)


def _headlines(since: date) -> list[Headline]:
    now = health_services.health().report
    then = health_services.health(since).report
    result = []
    for key, label, higher_is_worse, link in HEADLINES:
        if "-" in key:
            value: float | int | None = now.counts().get(key, 0)
            before: float | int | None = then.counts().get(key, 0) if then.metrics.headcount else None
            shown = str(value)
        else:
            value = now.metrics.summary()[key]
            before = then.metrics.summary()[key] if then.metrics.headcount else None
            shown = metric_value(key, value)
        result.append(Headline(label, shown, *_change(key, value, before, higher_is_worse), link))
    return result


def _change(key: str, value: float | int | None, before: float | int | None,
            higher_is_worse: bool | None) -> tuple[str, bool | None]:
    if value is None or before is None:
        return "", None
    delta = value - before
    if not delta:
        return "no change", None
    shown = f"{delta:+.0%}".replace("%", " points") if key.endswith("_share") else f"{delta:+g}"
    return shown, None if higher_is_worse is None else (delta > 0) == higher_is_worse
