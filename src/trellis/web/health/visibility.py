"""Findings shown to a viewer without revealing a preferred track they may not see.

A person's preferred track is visible only to themself, their managers (solid and
dotted), HR and admin (trellis.web.org.access). ``peter-principle-risk`` exists only
because of it, so anyone else neither sees such a finding nor learns that one exists:
no count of withheld findings per person, team or simulation, and no organisation-wide
count of that code except for HR and admin. ``dual-role`` is shown to everyone, with an
action that does not mention the preference.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from trellis.access import Right
from trellis.health.engine import Finding, HealthReport
from trellis.health.whatif import WhatIfResult
from trellis.web.org.access import Viewer

T = TypeVar("T")

PRIVATE = "peter-principle-risk"
REWORDED = "dual-role"
NEUTRAL_ACTION = ("Split the jobs: ask the person which of the two roles they want to keep, and find someone "
                  "for the other.")
NOTE = ("Findings about a person's career preference are shown only to that person, their managers, HR and "
        "admin.")


class Visibility:
    """What one viewer may read of the findings about one organisation."""

    def __init__(self, user: Any, viewer: Viewer | None = None):
        self.viewer = viewer or Viewer.of(user)

    @classmethod
    def of(cls, viewer: Viewer) -> Visibility:
        """For a viewer already known (the command line acting for a person, or the operator)."""
        return cls(None, viewer)

    @classmethod
    def of_viewer(cls, viewer: Viewer) -> Visibility:
        visibility = cls.__new__(cls)
        visibility.viewer = viewer
        return visibility

    @property
    def sees_all(self) -> bool:
        return self.viewer.privileged

    def findings(self, findings: Sequence[Finding], allowed: frozenset[str] | None = None) -> list[Finding]:
        """The findings this viewer may read (a fixed number of queries, none for HR and admin);
        ``allowed``: ``self.allowed(findings)`` when the caller has it already."""
        if allowed is None:
            allowed = self.allowed(findings)
        shown: list[Finding] = []
        for f in findings:
            if f.code not in (PRIVATE, REWORDED) or f.person in allowed:
                shown.append(f)
            elif f.code == REWORDED:
                shown.append(replace(f, action=NEUTRAL_ACTION))
        return shown

    def report(self, report: HealthReport, allowed: frozenset[str] | None = None) -> HealthReport:
        """The report as this viewer may read it: open, acknowledged and exempted findings alike
        (``allowed``: ``self.allowed`` of them, when the caller has it already)."""
        shown = self.findings([*report.findings, *(f for f, _ in report.acknowledged),
                               *(e.finding for e in report.exempted)], allowed)
        by_key = {f.key: f for f in shown}
        return replace(report, findings=[by_key[f.key] for f in report.findings if f.key in by_key],
                       acknowledged=[(by_key[f.key], a) for f, a in report.acknowledged if f.key in by_key],
                       exempted=[replace(e, finding=by_key[e.finding.key]) for e in report.exempted
                                 if e.finding.key in by_key],
                       lapsed={k: v for k, v in report.lapsed.items() if k in by_key})

    def pairs(self, pairs: Sequence[tuple[Finding, Finding]]) -> list[tuple[Finding, Finding]]:
        """Before-and-after pairs of one finding, shown only when both halves may be read."""
        before = self.findings([b for b, _ in pairs])
        after = self.findings([a for _, a in pairs])
        keys = {f.key for f in before} & {f.key for f in after}
        by_key_before = {f.key: f for f in before}
        return [(by_key_before[a.key], a) for a in after if a.key in keys]

    def what_if(self, result: WhatIfResult) -> dict[str, Any]:
        """A what-if result as JSON, with only the findings this viewer may read."""
        data = result.to_dict()
        data["appeared"] = [f.to_dict() for f in self.findings(result.appeared)]
        data["disappeared"] = [f.to_dict() for f in self.findings(result.disappeared)]
        data["changed"] = [{"before": b.to_dict(), "after": a.to_dict()} for b, a in self.pairs(result.changed)]
        return data

    def counts(self, counts: Mapping[str, T]) -> dict[str, T]:
        """Counts per finding code; the private code only for HR and admin."""
        return {code: n for code, n in counts.items() if self.sees_all or code != PRIVATE}

    def allowed(self, findings: Sequence[Finding]) -> frozenset[str]:
        """The people whose findings about their preferred track this viewer may read in full, among
        those ``findings`` are about. Two viewers with the same answer are shown exactly the same of
        ``findings``: what is rendered for one may be shown to the other, never to anyone else."""
        return self.allowed_of(self.subjects(findings))

    @staticmethod
    def subjects(findings: Sequence[Finding]) -> frozenset[str]:
        """The people ``findings`` say something about their preferred track of (``allowed_of`` them)."""
        return frozenset(f.person for f in findings if f.person and f.code in (PRIVATE, REWORDED))

    def allowed_of(self, subjects: frozenset[str]) -> frozenset[str]:
        return frozenset(self._allowed(set(subjects)))

    def _allowed(self, person_ids: set[str]) -> set[str]:
        return self.viewer.permitted(Right.SEE_PREFERRED_TRACK, person_ids) if person_ids else set()

    def acknowledgeable(self, findings: Sequence[Finding]) -> set[tuple[str, str, str, str]]:
        """The keys of the findings this viewer may acknowledge: about a person, when they hold the
        acknowledge right about that person; about a team only, as a manager above the team
        (``Viewer.permitted_teams``); about the organisation or the ladder, HR and admin."""
        people = self.viewer.permitted(Right.ACKNOWLEDGE, {f.person for f in findings if f.person})
        teams = self.viewer.permitted_teams(Right.ACKNOWLEDGE, {f.team for f in findings if f.team and not f.person})
        return {f.key for f in findings
                if (f.person in people if f.person else f.team in teams if f.team else self.sees_all)}
