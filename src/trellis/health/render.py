"""A health report or a what-if result as a terminal table (Rich), JSON, or one self-contained HTML page.

The HTML page carries its own style and needs nothing else: no scripts, fonts or images
from anywhere, so it can be mailed or archived as it is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from html import escape

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from trellis.health.report import CODES, SEVERITIES, TITLES, Finding, HealthReport
from trellis.health.whatif import WhatIfResult
from trellis.lib import clock

SEVERITY_STYLE = {"critical": "bold red", "warning": "yellow", "info": "cyan"}

METRIC_LABELS: dict[str, str] = {
    "headcount": "People",
    "teams": "Teams",
    "small_teams": "Small teams (not judged for missing leaders)",
    "teams_with_tech_lead": "Teams with a tech lead",
    "tech_lead_share": "Share of teams with a tech lead",
    "teams_with_pair": "Teams with a complete pair",
    "pair_share": "Share of teams with a complete pair",
    "managers": "People managers",
    "engineers": "Engineers (technical levels, not managing)",
    "engineers_per_manager": "Engineers per people manager",
    "span_mean": "Mean span (solid-line reports)",
    "span_max": "Largest span",
    "staff_and_above_share": "Staff and above, share of the technical track",
    "people_in_two_roles": "People in two roles",
    "tech_leads": "Tech leads",
    "teams_per_tech_lead_mean": "Teams per tech lead (mean)",
    "teams_per_tech_lead_max": "Teams per tech lead (most)",
    "architecture_line_share": "Tech leads under the architecture line",
}
SHARES = {"tech_lead_share", "pair_share", "staff_and_above_share", "architecture_line_share"}


def metric_value(name: str, value: float | int | None) -> str:
    """A metric as a person reads it: shares as percentages, ratios to one decimal, none as a dash."""
    if value is None:
        return "–"
    if name in SHARES:
        return f"{value:.0%}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


# -- JSON --------------------------------------------------------------------------------------


def report_json(report: HealthReport) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def what_if_json(result: WhatIfResult) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"


# -- terminal ------------------------------------------------------------------------------------


def _headline(report: HealthReport) -> str:
    m = report.metrics
    counts = report.severity_counts()
    parts = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES)
    apart = [f"{n} {what}" for n, what in ((len(report.acknowledged), "acknowledged"),
                                            (len(report.exempted), "exempted by the policy")) if n]
    rest = f"; {' and '.join(apart)}, not counted" if apart else ""
    return (f"Org health as of {clock.written(report.as_of)}: {m.headcount} people in {m.teams} teams; "
            f"{len(report.findings)} findings ({parts}){rest}.")


def counts_table(report: HealthReport) -> Table | None:
    """How many open findings of each code at each severity: what a reader takes in first."""
    counts: dict[str, dict[str, int]] = {}
    for f in report.findings:
        counts.setdefault(f.code, dict.fromkeys(SEVERITIES, 0))[f.severity] += 1
    if not counts:
        return None
    table = Table(title="Findings per code and severity", title_justify="left")
    table.add_column("Finding")
    for severity in SEVERITIES:
        table.add_column(severity, justify="right", style=SEVERITY_STYLE[severity])
    table.add_column("Total", justify="right")
    for code in CODES:
        if code in counts:
            row = counts[code]
            table.add_row(f"{TITLES[code]} ({code})", *(str(row[s] or "") for s in SEVERITIES), str(sum(row.values())))
    return table


def findings_table(findings: Iterable[Finding], title: str, notes: dict[tuple[str, str, str, str], str] | None = None
                   ) -> Table:
    """Two columns so that it reads in a narrow terminal: what and how bad; where, the evidence and the action.
    ``notes``: a line to add under some findings (by key), such as who acknowledged it."""
    table = Table(title=title, title_justify="left", show_lines=True, expand=True)
    table.add_column("Finding", no_wrap=True)
    table.add_column("Where, evidence and suggested action", ratio=1)
    for f in findings:
        where = [part for part in (f"team {f.team}" if f.team else "", f"person {f.person}" if f.person else "",
                                   f"level {f.level}" if f.level else "",
                                   f"since {clock.written(f.since)}" if f.since else "") if part]
        text = Text(" · ".join(where) + "\n" if where else "", style="dim")
        text.append(f.message, style="")
        text.append(f"\n→ {f.action}", style="italic")
        note = (notes or {}).get(f.key)
        if note:
            text.append(f"\n{note}", style="dim")
        head = Text(f.severity, style=SEVERITY_STYLE[f.severity])
        head.append(f"\n{f.code}")
        table.add_row(head, text)
    return table


def acknowledgement_note(report: HealthReport) -> dict[tuple[str, str, str, str], str]:
    """For each acknowledged finding, who acknowledged it, when, why and until when; for an open finding
    whose acknowledgement lapsed, why it is back."""
    notes = {}
    for f, ack in report.acknowledged:
        until = f"; until {clock.written(ack.until)}" if ack.until else ""
        on = clock.written(clock.day_of(ack.at))
        notes[f.key] = f"Acknowledged by {ack.by} on {on}{until} (#{ack.id}): {ack.reason}"
    for key, lapsed in report.lapsed.items():
        ack = lapsed.acknowledgement
        notes[key] = f"Back: acknowledged by {ack.by} on {clock.written(clock.day_of(ack.at))}, but {lapsed.why}."
    return notes


def report_table(report: HealthReport) -> RenderableType:
    """The findings (most severe first) and the metrics, for a terminal."""
    parts: list[RenderableType] = [Text(_headline(report), style="bold")]
    counts = counts_table(report)
    notes = acknowledgement_note(report)
    if counts is not None:
        parts.append(counts)
    if report.findings:
        parts.append(findings_table(report.findings, "Findings", notes))
    else:
        parts.append(Text("No findings: every team has its pair and every rule of the policy holds."))
    if report.acknowledged:
        parts.append(findings_table([f for f, _ in report.acknowledged],
                                    f"Acknowledged ({len(report.acknowledged)}): not in the counts", notes))
    if report.exempted:
        parts.append(findings_table([e.finding for e in report.exempted],
                                    f"Exempted by the policy ({len(report.exempted)})",
                                    {e.finding.key: f"Exempted: {e.reason}" for e in report.exempted}))
    metrics = Table(title="Metrics", title_justify="left")
    metrics.add_column("Metric")
    metrics.add_column("Value", justify="right")
    for name, value in report.metrics.summary().items():
        metrics.add_row(METRIC_LABELS.get(name, name), metric_value(name, value))
    parts.append(metrics)
    return Group(*parts)


def what_if_table(result: WhatIfResult) -> RenderableType:
    """What the changes would do: findings that appear, disappear or change, and the metrics before and after."""
    parts: list[RenderableType] = [Text("What if: " + "; ".join(result.wording), style="bold")]
    if not (result.appeared or result.disappeared or result.changed):
        parts.append(Text("No finding would appear or disappear."))
    if result.appeared:
        parts.append(findings_table(result.appeared, f"Would appear ({len(result.appeared)})"))
    if result.disappeared:
        parts.append(findings_table(result.disappeared, f"Would disappear ({len(result.disappeared)})"))
    if result.changed:
        parts.append(findings_table([after for _, after in result.changed], f"Would change ({len(result.changed)})"))
    metrics = Table(title="Metrics", title_justify="left")
    metrics.add_column("Metric")
    metrics.add_column("Before", justify="right")
    metrics.add_column("After", justify="right")
    for name, before in result.metrics_before.items():
        after = result.metrics_after.get(name)
        style = "bold" if after != before else ""
        metrics.add_row(METRIC_LABELS.get(name, name), metric_value(name, before), metric_value(name, after),
                        style=style)
    parts.append(metrics)
    return Group(*parts)


# -- HTML ---------------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2630;margin:2rem auto;max-width:72rem;
padding:0 1rem;background:#fbfcfd}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid #d5dce3}
.lead{color:#4a5866;margin:0 0 1rem}
.tiles{display:flex;flex-wrap:wrap;gap:.75rem}.tile{background:#fff;border:1px solid #d5dce3;border-radius:6px;
padding:.6rem .9rem;min-width:9rem}.tile b{display:block;font-size:1.3rem}.tile span{color:#4a5866;font-size:.85rem}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d5dce3;padding:.4rem .55rem;
text-align:left;vertical-align:top}th{background:#eef2f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.nowrap{white-space:nowrap}
.sev{font-weight:600;border-radius:4px;padding:.05rem .4rem;white-space:nowrap}
.critical{background:#fde2e1;color:#8a1c17}.warning{background:#fff1cc;color:#6b4a00}.info{background:#e1f0fb;color:#114a73}
.action{color:#3b4956;font-style:italic;margin-top:.25rem}code{font-size:.9em}
.bars{display:grid;grid-template-columns:max-content 1fr max-content;gap:.2rem .5rem;align-items:center;max-width:40rem}
.bar{background:#4b7bab;height:.8rem;border-radius:2px}.changed{font-weight:600}
@media print{body{margin:0;background:#fff}.tile{break-inside:avoid}tr{break-inside:avoid}}
"""


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{escape(title)}</title>\n'
            f"<style>{_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def _findings_html(findings: Iterable[Finding], notes: dict[tuple[str, str, str, str], str] | None = None) -> str:
    rows = []
    for f in findings:
        note = (notes or {}).get(f.key)
        rows.append(
            f'<tr><td><span class="sev {f.severity}">{f.severity}</span></td>'
            f'<td class="nowrap">{escape(f.title)}<br><code>{escape(f.code)}</code></td>'
            f"<td>{escape(f.team or '')}</td><td>{escape(f.person or '')}</td>"
            f"<td class=\"nowrap\">{clock.written(f.since) if f.since else ''}</td>"
            f'<td>{escape(f.message)}<div class="action">{escape(f.action)}</div>'
            + (f'<div class="note">{escape(note)}</div>' if note else "") + "</td></tr>")
    return ("<table><thead><tr><th>Severity</th><th>Finding</th><th>Team</th><th>Person</th><th>Since</th>"
            "<th>Finding and suggested action</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _bars(title: str, counts: dict[str, int]) -> str:
    if not counts:
        return ""
    most = max(counts.values()) or 1
    rows = "".join(
        f"<span>{escape(k)}</span><div class=\"bar\" style=\"width:{100 * v / most:.1f}%\"></div>"
        f"<span>{v}</span>" for k, v in counts.items())
    return f"<h2>{escape(title)}</h2><div class=\"bars\">{rows}</div>"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def report_html(report: HealthReport, title: str = "Org health") -> str:
    """The report as one self-contained HTML page: headline figures, findings by severity, distributions."""
    m = report.metrics
    summary = m.summary()
    tiles = "".join(
        f'<div class="tile"><b>{metric_value(name, summary[name])}</b><span>{escape(METRIC_LABELS[name])}</span></div>'
        for name in ("headcount", "teams", "pair_share", "tech_lead_share", "engineers_per_manager", "span_mean",
                     "people_in_two_roles", "architecture_line_share"))
    sections = [f"<h1>{escape(title)}</h1><p class=\"lead\">{escape(_headline(report))}</p>",
                f'<div class="tiles">{tiles}</div>']
    sections.append(_bars("Findings by code", {code: n for code, n in report.counts().items() if n}))
    for severity in SEVERITIES:
        group = [f for f in report.findings if f.severity == severity]
        if group:
            sections.append(f"<h2>{severity.capitalize()} ({len(group)})</h2>{_findings_html(group)}")
    notes = acknowledgement_note(report)
    if report.acknowledged:
        sections.append(f"<h2>Acknowledged ({len(report.acknowledged)})</h2>"
                        + _findings_html([f for f, _ in report.acknowledged], notes))
    if report.exempted:
        sections.append(f"<h2>Exempted by the policy ({len(report.exempted)})</h2>"
                        + _findings_html([e.finding for e in report.exempted],
                                         {e.finding.key: f"Exempted: {e.reason}" for e in report.exempted}))
    if not report.findings:
        sections.append("<h2>Findings</h2><p>No findings: every team has its pair and every rule of the policy "
                        "holds.</p>")
    rows = "".join(f"<tr><td>{escape(METRIC_LABELS.get(k, k))}</td><td class=\"num\">{metric_value(k, v)}</td></tr>"
                   for k, v in summary.items())
    sections.append(f"<h2>Metrics</h2><table><tbody>{rows}</tbody></table>")
    sections.append(_bars("Span of control (how many managers have that many solid-line reports)",
                          {_count(k, "report"): v for k, v in m.span_distribution.items()}))
    sections.append(_bars("People per level", {m.level_titles.get(k, k): v for k, v in m.headcount_by_level.items()}))
    sections.append(_bars("Teams per tech lead (how many tech leads lead that many teams)",
                          {_count(k, "team"): v for k, v in m.teams_per_tech_lead_distribution.items()}))
    return _page(f"{title}, {clock.written(report.as_of)}", "\n".join(s for s in sections if s))


def what_if_html(result: WhatIfResult, title: str = "What if") -> str:
    """A what-if result as one self-contained HTML page."""
    changes = "".join(f"<li><code>{escape(c)}</code></li>" for c in result.wording)
    sections = [f"<h1>{escape(title)}</h1><p class=\"lead\">As of {clock.written(result.before.as_of)}, "
                f"these changes:</p><ul>{changes}</ul>"]
    for heading, findings in (("Would appear", result.appeared), ("Would disappear", result.disappeared),
                              ("Would change", [a for _, a in result.changed])):
        if findings:
            sections.append(f"<h2>{heading} ({len(findings)})</h2>{_findings_html(findings)}")
    if not (result.appeared or result.disappeared or result.changed):
        sections.append("<p>No finding would appear or disappear.</p>")
    rows = "".join(
        f"<tr class=\"{'changed' if result.metrics_after.get(k) != v else ''}\"><td>{escape(METRIC_LABELS.get(k, k))}"
        f"</td><td class=\"num\">{metric_value(k, v)}</td><td class=\"num\">"
        f"{metric_value(k, result.metrics_after.get(k))}</td></tr>" for k, v in result.metrics_before.items())
    sections.append("<h2>Metrics</h2><table><thead><tr><th>Metric</th><th>Before</th><th>After</th></tr></thead>"
                    f"<tbody>{rows}</tbody></table>")
    return _page(title, "\n".join(sections))
