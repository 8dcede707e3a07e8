"""A report kept as text reads back equal to the one judged: every finding, exemption and figure, in order."""

from __future__ import annotations

import pytest

from tests.health.builders import LADDER, healthy
from tests.health.test_policy_exemptions import SUPPORT, support_desk
from trellis.health.acknowledge import Acknowledgement, acknowledged
from trellis.health.engine import evaluate
from trellis.health.policy import Policy
from trellis.health.report import report_from_stored, stored_report
from trellis.org.csvio import read_org_csv
from trellis.org.generate import generate_org_csv


def test_a_report_with_exemptions_reads_back_equal():
    report = evaluate(support_desk().person("bob2", "engineering-manager", team="Search").build(), LADDER,
                      Policy(exemptions=[SUPPORT]))
    assert report.exempted
    assert report_from_stored(stored_report(report)) == report


def test_a_generated_organisation_reads_back_equal_with_every_figure_of_the_same_type():
    snapshot = read_org_csv(generate_org_csv(400, seed=3), "org.csv", LADDER, as_of=healthy().as_of)
    report = evaluate(snapshot, LADDER)
    back = report_from_stored(stored_report(report))
    assert back == report and {f.code for f in report.findings} and report.metrics.dual_roles
    assert list(back.metrics.span_distribution) == list(report.metrics.span_distribution)  # numbers, in order
    assert list(back.metrics.headcount_by_level) == list(report.metrics.headcount_by_level)
    assert [f.evidence for f in back.findings] == [f.evidence for f in report.findings]


def test_a_report_with_acknowledgements_applied_is_never_kept():
    report = evaluate(healthy().team("Void").engineers("v", 3, manager="erin", team="Void").build(), LADDER)
    [finding] = [f for f in report.findings if f.code == "no-tech-lead"]
    ack = Acknowledgement(code=finding.code, team=finding.team, person=None, level=None, evidence=finding.evidence,
                          message=finding.message, reason="by design", until=None, by="hannah",
                          at=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="acknowledgements"):
        stored_report(acknowledged(report, [ack], healthy().as_of))
