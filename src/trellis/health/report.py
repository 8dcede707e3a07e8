"""What the health engine says: findings, metrics and the report that holds them (plain, JSON-ready data)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from trellis.health.acknowledge import Acknowledgement, Lapsed

Severity = Literal["info", "warning", "critical"]
SEVERITIES: tuple[Severity, ...] = ("critical", "warning", "info")  # the order reports list them in
_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}

CODES: tuple[str, ...] = (
    "no-tech-lead", "no-people-manager", "dual-role", "peter-principle-risk", "span-of-control",
    "tech-lead-spread", "unrecognised-lead", "thin-bench", "architecture-line", "track-parity", "ic-with-reports",
)
# Each code as a leader would name it: the title shown first, the code beside it.
TITLES: dict[str, str] = {
    "no-tech-lead": "Team without a tech lead",
    "no-people-manager": "Team without a people manager",
    "dual-role": "Two jobs at once: people manager and tech lead",
    "peter-principle-risk": "In management, prefers the technical track",
    "span-of-control": "Too many or too few direct reports",
    "tech-lead-spread": "Tech lead of too many teams",
    "unrecognised-lead": "Leads a team without the title",
    "thin-bench": "No one ready for a technical-leadership level",
    "architecture-line": "Technical leadership has no seat beside management",
    "track-parity": "The technical track stands below management",
    "ic-with-reports": "Manages people without the people-manager role",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing wrong with the organisation's shape, with the evidence and a suggested action.

    ``team`` is a team's name, ``person`` a person's id as imported, ``level`` a level id (for
    findings about the ladder or a level's bench); each is None when the finding is not about
    one. ``since`` is the date the condition began where history knows it. ``evidence`` is the
    part of the evidence that an acknowledgement holds for (a span's size, the teams led): when
    it changes, the finding is news again. It never holds anything that changes by itself day
    by day, such as a count of days.
    """

    code: str
    severity: Severity
    team: str | None
    person: str | None
    since: date | None
    message: str
    action: str
    level: str | None = None
    evidence: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What the finding is about, without its wording: the same key before and after a change."""
        return (self.code, self.team or "", self.person or "", self.level or "")

    def sort_key(self) -> tuple[int, str, str, str, str]:
        return (_SEVERITY_RANK[self.severity], *self.key)

    @property
    def title(self) -> str:
        return TITLES.get(self.code, self.code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "severity": self.severity, "team": self.team, "person": self.person,
            "level": self.level, "since": self.since.isoformat() if self.since else None,
            "message": self.message, "action": self.action,
        }


@dataclass(frozen=True, slots=True)
class Exempted:
    """A finding the policy exempts, with the policy's reason: listed apart, never counted."""

    finding: Finding
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.finding.to_dict(), "reason": self.reason}


@dataclass(frozen=True, slots=True)
class DualRole:
    """A person holding a people-manager and a tech-lead role at once, and for how long."""

    person: str
    name: str
    since: date | None
    days: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"person": self.person, "name": self.name,
                "since": self.since.isoformat() if self.since else None, "days": self.days}


@dataclass(frozen=True)
class Metrics:
    """Figures about the organisation's shape. Shares are fractions from 0 to 1 (None when undefined)."""

    headcount: int
    headcount_by_track: dict[str, int]  # track kind (technical, management, other) -> active people
    headcount_by_level: dict[str, int]  # every level of the ladder, in ladder order
    teams: int  # teams with at least one member or role holder
    teams_with_tech_lead: int
    teams_with_pair: int  # a tech lead and a people manager
    small_teams: int  # teams under the policy's small-team size: not judged for missing leaders
    tech_lead_share: float | None
    pair_share: float | None
    managers: int  # people holding a people-manager role
    engineers: int  # people on a technical level who hold no people-manager role
    engineers_per_manager: float | None  # the manager-to-engineer ratio, read as 1 to N
    span_mean: float | None  # solid-line reports per person who has any
    span_max: int
    span_distribution: dict[int, int]  # number of reports -> number of managers with that many
    staff_and_above: int
    staff_and_above_share: float | None  # of people on technical levels
    dual_roles: list[DualRole]  # sorted by person id
    tech_leads: int
    teams_per_tech_lead_mean: float | None
    teams_per_tech_lead_max: int
    teams_per_tech_lead_distribution: dict[int, int]
    architecture_line_share: float | None  # tech leads whose solid line runs up through the architecture line
    level_titles: dict[str, str] = field(default_factory=dict)  # level id -> title, for labels

    def summary(self) -> dict[str, float | int | None]:
        """The single figures, by name: what a before/after comparison shows."""
        return {
            "headcount": self.headcount, "teams": self.teams,
            "small_teams": self.small_teams,
            "teams_with_tech_lead": self.teams_with_tech_lead, "tech_lead_share": self.tech_lead_share,
            "teams_with_pair": self.teams_with_pair, "pair_share": self.pair_share,
            "managers": self.managers, "engineers": self.engineers,
            "engineers_per_manager": self.engineers_per_manager,
            "span_mean": self.span_mean, "span_max": self.span_max,
            "staff_and_above_share": self.staff_and_above_share,
            "people_in_two_roles": len(self.dual_roles), "tech_leads": self.tech_leads,
            "teams_per_tech_lead_mean": self.teams_per_tech_lead_mean,
            "teams_per_tech_lead_max": self.teams_per_tech_lead_max,
            "architecture_line_share": self.architecture_line_share,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.summary(),
            "headcount_by_track": dict(self.headcount_by_track),
            "headcount_by_level": dict(self.headcount_by_level),
            "span_distribution": {str(k): v for k, v in self.span_distribution.items()},
            "teams_per_tech_lead_distribution": {str(k): v for k, v in self.teams_per_tech_lead_distribution.items()},
            "dual_roles": [d.to_dict() for d in self.dual_roles],
        }


@dataclass(frozen=True)
class HealthReport:
    """Findings (most severe first, then by code, team, person) and metrics, as of one date."""

    as_of: date
    findings: list[Finding]
    metrics: Metrics
    exempted: list[Exempted] = field(default_factory=list)  # by the policy's exemptions; not in the counts
    # Acknowledged by a leader (trellis.health.acknowledge.acknowledged): kept apart, not in the counts;
    # ``lapsed`` says, for open findings once acknowledged, why the acknowledgement no longer holds.
    acknowledged: list[tuple[Finding, Acknowledgement]] = field(default_factory=list)
    lapsed: dict[tuple[str, str, str, str], Lapsed] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """How many findings of each code, every code present (zero included)."""
        counts = Counter(f.code for f in self.findings)
        return {code: counts.get(code, 0) for code in CODES}

    def severity_counts(self) -> dict[str, int]:
        counts = Counter(f.severity for f in self.findings)
        return {s: counts.get(s, 0) for s in SEVERITIES}

    def filtered(self, *, code: str | None = None, team: str | None = None, person: str | None = None,
                 severity: str | None = None) -> HealthReport:
        """Only the findings (open, acknowledged and exempted) of that code, team, person and severity."""
        def keep(f: Finding) -> bool:
            return ((code is None or f.code == code) and (team is None or f.team == team)
                    and (person is None or f.person == person) and (severity is None or f.severity == severity))

        return replace(self, findings=[f for f in self.findings if keep(f)],
                       exempted=[e for e in self.exempted if keep(e.finding)],
                       acknowledged=[(f, a) for f, a in self.acknowledged if keep(f)])

    def for_team(self, team: str) -> list[Finding]:
        return [f for f in self.findings if f.team == team]

    def for_person(self, person_id: str) -> list[Finding]:
        return [f for f in self.findings if f.person == person_id]

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "counts": self.counts(),
            "severity_counts": self.severity_counts(),
            "findings": [self._finding_dict(f, None) for f in self.findings]
            + [self._finding_dict(f, ack) for f, ack in self.acknowledged],
            "exempted": [e.to_dict() for e in self.exempted],
            "metrics": self.metrics.to_dict(),
        }

    def _finding_dict(self, finding: Finding, ack: Acknowledgement | None) -> dict[str, Any]:
        data = finding.to_dict()
        data["acknowledged"] = ack.to_dict() if ack is not None else None
        lapsed = self.lapsed.get(finding.key) if ack is None else None
        if lapsed is not None:
            data["acknowledgement_lapsed"] = {**lapsed.acknowledgement.to_dict(), "why": lapsed.why}
        return data


# -- a report kept as text -----------------------------------------------------------------------
# Judging 100,000 people takes seconds: the writer judges once and keeps the report as text, which
# every page reads back in a fraction of that. Everything is kept, in order, so that the report read
# back equals the one judged (dictionaries as lists of pairs: their keys may be numbers).

STORED_FORMAT = 1  # changes whenever the text below does: reports kept in an older form are judged again


def _finding_row(f: Finding) -> list[Any]:
    return [f.code, f.severity, f.team, f.person, f.since.isoformat() if f.since else None, f.message, f.action,
            f.level, f.evidence]


def _finding_of(row: list[Any]) -> Finding:
    code, severity, team, person, since, message, action, level, evidence = row
    return Finding(code, severity, team, person, date.fromisoformat(since) if since else None, message, action,
                   level, evidence)


_PAIRS = ("headcount_by_track", "headcount_by_level", "span_distribution", "teams_per_tech_lead_distribution",
          "level_titles")


def stored_report(report: HealthReport) -> str:
    """``report`` as text that ``report_from_stored`` reads back equal. Only a report as judged: one with
    acknowledgements applied depends on the day it is read, and is never kept."""
    if report.acknowledged or report.lapsed:
        raise ValueError("a report with acknowledgements applied is not kept")
    metrics: dict[str, Any] = {}
    for name in Metrics.__dataclass_fields__:
        value = getattr(report.metrics, name)
        if name in _PAIRS:
            value = list(value.items())
        elif name == "dual_roles":
            value = [[d.person, d.name, d.since.isoformat() if d.since else None, d.days] for d in value]
        metrics[name] = value
    return json.dumps({"as_of": report.as_of.isoformat(), "findings": [_finding_row(f) for f in report.findings],
                       "exempted": [[_finding_row(e.finding), e.reason] for e in report.exempted],
                       "metrics": metrics}, ensure_ascii=False, separators=(",", ":"))


def report_from_stored(text: str) -> HealthReport:
    """The report that ``stored_report`` wrote."""
    data = json.loads(text)
    metrics: dict[str, Any] = {}
    for name, value in data["metrics"].items():
        if name in _PAIRS:
            value = {k: v for k, v in value}
        elif name == "dual_roles":
            value = [DualRole(p, n, date.fromisoformat(s) if s else None, d) for p, n, s, d in value]
        metrics[name] = value
    return HealthReport(date.fromisoformat(data["as_of"]), [_finding_of(row) for row in data["findings"]],
                        Metrics(**metrics), [Exempted(_finding_of(row), reason) for row, reason in data["exempted"]])
