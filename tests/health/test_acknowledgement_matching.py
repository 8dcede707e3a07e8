"""An acknowledgement covers its finding until it expires or the evidence changes; then the finding is back."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.health.builders import LADDER, healthy
from trellis.health.acknowledge import Acknowledgement, acknowledged, evidence_of
from trellis.health.engine import Finding, evaluate

TODAY = date(2026, 6, 30)


def ack(finding: Finding, *, until: date | None = None, at: datetime | None = None, reason: str = "By design."):
    return Acknowledgement(finding.code, finding.team, finding.person, finding.level, evidence_of(finding),
                           finding.message, reason, until, "Victor Vale", at or datetime(2026, 6, 1, tzinfo=UTC))


def wide():  # type: ignore[no-untyped-def]
    return healthy().engineers("more", 4, manager="bob", team="Payments")  # Bob: 9 reports


def test_an_acknowledged_finding_leaves_the_findings_and_the_counts():
    report = evaluate(wide().build(), LADDER)
    [finding] = report.findings
    shown = acknowledged(report, [ack(finding)], TODAY)
    assert shown.findings == [] and shown.acknowledged[0][0] == finding
    assert shown.counts()["span-of-control"] == 0 and shown.severity_counts()["warning"] == 0
    [data] = shown.to_dict()["findings"]
    assert data["acknowledged"]["reason"] == "By design." and data["acknowledged"]["by"] == "Victor Vale"


def test_it_comes_back_when_the_span_grows():
    before = evaluate(wide().build(), LADDER)
    grown = evaluate(wide().engineers("even", 1, manager="bob", team="Payments").build(), LADDER)
    shown = acknowledged(grown, [ack(before.findings[0])], TODAY)
    assert [f.person for f in shown.findings] == ["bob"] and shown.acknowledged == []
    why = shown.to_dict()["findings"][0]["acknowledgement_lapsed"]["why"]
    assert why.startswith("the evidence has changed since it was acknowledged (then: Bob Brown (bob) has 9 direct")


def test_it_comes_back_when_a_third_team_is_added_to_a_spread_tech_lead():
    b = healthy().team("Ops").engineers("ops", 3, manager="erin", team="Ops")
    b.team("Data").engineers("data", 3, manager="erin", team="Data")
    b.lead("arthur", "Ops").lead("arthur", "Data").lead("arthur", "Search")
    spread = [f for f in evaluate(b.build(), LADDER).findings if f.code == "tech-lead-spread"]
    b.team("Web").engineers("web", 3, manager="erin", team="Web").lead("arthur", "Web")
    now = evaluate(b.build(), LADDER)
    shown = acknowledged(now, [ack(spread[0])], TODAY)
    assert "tech-lead-spread" in [f.code for f in shown.findings]


def test_it_stays_acknowledged_while_only_the_days_go_by():
    b = healthy().manage("alice", "Payments", start=date(2026, 1, 1))  # two jobs, counted in days
    first = evaluate(b.build(), LADDER)
    later = evaluate(b.build().evolve(as_of=date(2026, 9, 30)), LADDER)
    dual = next(f for f in first.findings if f.code == "dual-role")
    shown = acknowledged(later, [ack(dual)], date(2026, 9, 30))
    assert "dual-role" not in [f.code for f in shown.findings]
    assert [f.code for f, _ in shown.acknowledged] == ["dual-role"]


def test_it_comes_back_the_day_after_it_expires():
    report = evaluate(wide().build(), LADDER)
    given = [ack(report.findings[0], until=TODAY)]
    assert acknowledged(report, given, TODAY).findings == []
    back = acknowledged(report, given, date(2026, 7, 1))
    assert [f.person for f in back.findings] == ["bob"]
    assert back.lapsed[back.findings[0].key].why == "the acknowledgement expired on 30 Jun 2026"


def test_the_newest_acknowledgement_of_a_finding_is_the_one_that_counts():
    report = evaluate(wide().build(), LADDER)
    finding = report.findings[0]
    old = ack(finding, until=date(2026, 6, 1), at=datetime(2026, 5, 1, tzinfo=UTC))
    new = ack(finding, at=datetime(2026, 6, 2, tzinfo=UTC), reason="Until the split in Q3.")
    shown = acknowledged(report, [new, old], TODAY)
    assert shown.acknowledged[0][1].reason == "Until the split in Q3."


def test_an_acknowledgement_of_another_finding_covers_nothing():
    report = evaluate(wide().build(), LADDER)
    other = Finding("span-of-control", "info", "Search", "erin", None, "x", "y", evidence="first-line:2")
    assert acknowledged(report, [ack(other)], TODAY).findings == report.findings
