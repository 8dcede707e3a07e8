"""Acknowledged findings: a leader's "we know, and it is deliberate", until it expires or the evidence changes.

An acknowledgement names the finding it is about (its code, team, person and level) and holds
the finding's evidence as it stood when it was made (``Finding.evidence``: a span's size, the
teams led; never a count of days). It covers the finding while the evidence is the same and its
expiry date, if any, has not passed. When the span grows or a third team is added, the finding
is news again and comes back among the open findings, with the old acknowledgement beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from trellis.health.report import Finding, HealthReport
from trellis.lib.clock import written

FindingKey = tuple[str, str, str, str]


def evidence_of(finding: Finding) -> str:
    """What an acknowledgement holds for: the finding's evidence, or its words when it states none."""
    return finding.evidence or finding.message


@dataclass(frozen=True)
class Acknowledgement:
    """Who acknowledged which finding, when, why, and until when (None: until the evidence changes)."""

    code: str
    team: str | None
    person: str | None
    level: str | None
    evidence: str
    message: str  # the finding's words when it was acknowledged, to show what was accepted
    reason: str
    until: date | None
    by: str
    at: datetime
    id: int | None = None

    @property
    def key(self) -> FindingKey:
        return (self.code, self.team or "", self.person or "", self.level or "")

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "code": self.code, "team": self.team, "person": self.person, "level": self.level,
                "reason": self.reason, "until": self.until.isoformat() if self.until else None, "by": self.by,
                "at": self.at.isoformat(timespec="seconds"), "message": self.message}


@dataclass(frozen=True)
class Lapsed:
    """An acknowledgement that no longer covers its finding, and why in words."""

    acknowledgement: Acknowledgement
    why: str


@dataclass(frozen=True)
class Sorted:
    """Findings split by acknowledgement: open ones (some with a lapsed acknowledgement) and acknowledged ones."""

    open: list[Finding]
    acknowledged: list[tuple[Finding, Acknowledgement]]
    lapsed: dict[FindingKey, Lapsed]  # by the key of an open finding

    def status(self, finding: Finding) -> Acknowledgement | None:
        for f, ack in self.acknowledged:
            if f.key == finding.key:
                return ack
        return None


def lapse_reason(ack: Acknowledgement, finding: Finding, today: date) -> str | None:
    """Why ``ack`` no longer covers ``finding`` (None: it still does)."""
    if ack.until is not None and today > ack.until:
        return f"the acknowledgement expired on {written(ack.until)}"
    if ack.evidence != evidence_of(finding):
        return f"the evidence has changed since it was acknowledged (then: {ack.message})"
    return None


def sort_findings(findings: Sequence[Finding], acknowledgements: Iterable[Acknowledgement], today: date) -> Sorted:
    """Split ``findings`` by the newest acknowledgement of each (acknowledgements of findings that are gone
    are ignored). Order is kept within each part."""
    newest: dict[FindingKey, Acknowledgement] = {}
    for given in acknowledgements:
        known = newest.get(given.key)
        if known is None or given.at > known.at:
            newest[given.key] = given
    open_: list[Finding] = []
    acknowledged: list[tuple[Finding, Acknowledgement]] = []
    lapsed: dict[FindingKey, Lapsed] = {}
    for finding in findings:
        ack = newest.get(finding.key)
        why = lapse_reason(ack, finding, today) if ack is not None else None
        if ack is not None and why is None:
            acknowledged.append((finding, ack))
            continue
        open_.append(finding)
        if ack is not None and why is not None:
            lapsed[finding.key] = Lapsed(ack, why)
    return Sorted(open_, acknowledged, lapsed)


def acknowledged(report: HealthReport, acknowledgements: Iterable[Acknowledgement], today: date) -> HealthReport:
    """``report`` with its acknowledged findings moved apart (out of the findings and their counts)."""
    split = sort_findings(report.findings, acknowledgements, today)
    return replace(report, findings=split.open, acknowledged=split.acknowledged, lapsed=split.lapsed)
