"""Reports list findings most severe first, then by code, team and person, the same way every time."""

from __future__ import annotations

from datetime import date

from tests.health.builders import LADDER, healthy
from trellis.health.engine import evaluate


def test_findings_are_sorted_by_severity_code_team_and_person():
    b = healthy().drop_roles("alice").drop_roles("sam")  # two teams without a tech lead: critical
    b.change("erin", preferred_track="technical")  # a warning
    b.change("search1", level="software-engineer").change("search3", level="software-engineer")
    b.lead("pay1", "Payments", start=date(2026, 6, 1))  # an unrecognised lead: info
    b.team("Ads", since=date(2024, 1, 1)).manage("erin", "Ads")
    for pid in ("ads1", "ads2", "ads3"):
        b.person(pid, manager="erin", team="Ads")
    keys = [(f.severity, f.code, f.team, f.person) for f in evaluate(b.build(), LADDER).findings]
    assert keys == [
        ("critical", "no-tech-lead", "Ads", None),
        ("critical", "no-tech-lead", "Search", None),
        ("warning", "peter-principle-risk", "Ads", "erin"),
        ("info", "unrecognised-lead", "Payments", "pay1"),
    ]
    assert keys == [(f.severity, f.code, f.team, f.person) for f in evaluate(b.build(), LADDER).findings]
