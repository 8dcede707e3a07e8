"""Organisations where none of the newer rules applies get exactly the findings they got before them.

The fixture holds the findings the engine gave before the majority rule for managers of managers,
``ic-with-reports``, the minimum for everyone who manages, small teams and exemptions existed;
only the dates in its words are written as every page writes them ("1 Jun 2025").
"""

from __future__ import annotations

import json
from datetime import date

from tests.conftest import FIXTURES
from tests.health.builders import LADDER, healthy
from trellis.health.engine import evaluate
from trellis.org.generate import generate_org

BEFORE = json.loads((FIXTURES / "health" / "findings-before-trust-rules.json").read_text(encoding="utf-8"))


def troubled():  # type: ignore[no-untyped-def]
    """Two jobs, a preference for the technical track, a wide span, a spread lead, an unrecognised lead."""
    b = healthy().drop_roles("alice")
    b.change("erin", preferred_track="technical")
    b.engineers("more", 4, manager="bob", team="Payments")
    b.lead("pay1", "Payments", start=date(2026, 6, 1))
    b.team("Ops", since=date(2024, 1, 1)).team("Data", since=date(2024, 1, 1)).team("Web", since=date(2025, 1, 1))
    b.engineers("ops", 4, manager="erin", team="Ops").engineers("data", 3, manager="dora", team="Data")
    b.engineers("web", 3, manager="sam", team="Web")
    b.lead("arthur", "Ops", start=date(2025, 2, 1)).lead("arthur", "Data", start=date(2025, 3, 1))
    b.lead("arthur", "Web", start=date(2025, 4, 1))
    b.manage("sam", "Web", start=date(2025, 6, 1))
    return b.build()


def test_a_troubled_organisation_gets_the_same_findings_word_for_word():
    assert [f.to_dict() for f in evaluate(troubled(), LADDER).findings] == BEFORE["troubled"]


def test_a_generated_organisation_gets_the_same_findings_word_for_word():
    assert [f.to_dict() for f in evaluate(generate_org(60, 1), LADDER).findings] == BEFORE["generated-60-1"]


def test_a_healthy_organisation_still_has_no_findings_and_nothing_exempted():
    report = evaluate(healthy().build(), LADDER)
    assert (report.findings, report.exempted) == ([], [])
