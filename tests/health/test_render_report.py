"""The report as a person reads it: percentages, plain words, and an HTML page that is safe and self-contained."""

from __future__ import annotations

import json

from rich.console import Console

from tests.health.builders import LADDER, healthy
from trellis.health.engine import evaluate
from trellis.health.render import metric_value, report_html, report_table, what_if_html, what_if_json
from trellis.health.whatif import parse_what_if_options, what_if


def as_text(renderable) -> str:  # type: ignore[no-untyped-def]
    console = Console(width=120, record=True, no_color=True)
    console.print(renderable)
    return console.export_text()


def test_metrics_read_as_percentages_and_ratios():
    assert [metric_value("pair_share", 0.6667), metric_value("span_mean", 3.0), metric_value("teams", 2),
            metric_value("pair_share", None)] == ["67%", "3.0", "2", "–"]


def test_a_healthy_organisation_says_so_plainly():
    text = as_text(report_table(evaluate(healthy().build(), LADDER)))
    assert "19 people in 2 teams; 0 findings (0 critical, 0 warning, 0 info)" in text
    assert "No findings: every team has its pair" in text
    assert "Share of teams with a complete pair" in text and "100%" in text


def test_the_html_page_escapes_what_people_typed():
    b = healthy().change("bob", name="Bob <script>alert(1)</script>").drop_roles("alice").lead("bob", "Payments")
    page = report_html(evaluate(b.build(), LADDER))
    assert "<script>" not in page and "Bob &lt;script&gt;" in page
    assert "Critical (1)" in page and "Warning (" not in page
    assert "<h2>Findings by code</h2><div class=\"bars\"><span>dual-role</span>" in page
    assert "Engineering Manager" in page  # levels by title in the chart


def test_a_what_if_page_and_json_show_both_sides():
    result = what_if(healthy().build(), LADDER, None, parse_what_if_options(["take tech_lead@Search sam"]))
    page = what_if_html(result)
    assert "Would appear (1)" in page and "take tech_lead@Search &quot;Sam Singh&quot;" in page  # people by name
    assert '<tr class="changed"><td>Teams with a tech lead</td><td class="num">2</td><td class="num">1</td>' in page
    data = json.loads(what_if_json(result))
    assert data["appeared"][0]["code"] == "no-tech-lead" and data["disappeared"] == []
