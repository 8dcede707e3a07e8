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

from trellis.health.engine import Finding
from trellis.web.org.access import Viewer
from trellis.web.org.models import DottedLine, Person

T = TypeVar("T")

PRIVATE = "peter-principle-risk"
REWORDED = "dual-role"
NEUTRAL_ACTION = ("Split the jobs: ask the person which of the two roles they want to keep, and find someone "
                  "for the other.")
NOTE = ("Findings about a person's career preference are shown only to that person, their managers, HR and "
        "admin.")


class Visibility:
    """What one viewer may read of the findings about one organisation."""

    def __init__(self, user: Any):
        self.viewer = Viewer.of(user)

    @property
    def sees_all(self) -> bool:
        return self.viewer.privileged

    def findings(self, findings: Sequence[Finding]) -> list[Finding]:
        """The findings this viewer may read (at most two queries)."""
        allowed = self._allowed({f.person for f in findings if f.person and f.code in (PRIVATE, REWORDED)})
        shown: list[Finding] = []
        for f in findings:
            if f.code not in (PRIVATE, REWORDED) or f.person in allowed:
                shown.append(f)
            elif f.code == REWORDED:
                shown.append(replace(f, action=NEUTRAL_ACTION))
        return shown

    def pairs(self, pairs: Sequence[tuple[Finding, Finding]]) -> list[tuple[Finding, Finding]]:
        """Before-and-after pairs of one finding, shown only when both halves may be read."""
        before = self.findings([b for b, _ in pairs])
        after = self.findings([a for _, a in pairs])
        keys = {f.key for f in before} & {f.key for f in after}
        by_key_before = {f.key: f for f in before}
        return [(by_key_before[a.key], a) for a in after if a.key in keys]

    def counts(self, counts: Mapping[str, T]) -> dict[str, T]:
        """Counts per finding code; the private code only for HR and admin."""
        return {code: n for code, n in counts.items() if self.sees_all or code != PRIVATE}

    def _allowed(self, person_ids: set[str]) -> set[str]:
        if not person_ids:
            return set()
        if self.sees_all:
            return person_ids
        if self.viewer.user_id is None:
            return set()
        managers: dict[str, list[int | None]] = {}
        own: dict[str, int | None] = {}
        for pid, user_id, manager_user in Person.objects.filter(external_id__in=person_ids).values_list(
                "external_id", "user_id", "manager__user_id"):
            own[pid] = user_id
            managers.setdefault(pid, []).append(manager_user)
        for pid, manager_user in DottedLine.objects.filter(person__external_id__in=person_ids).values_list(
                "person__external_id", "manager__user_id"):
            managers.setdefault(pid, []).append(manager_user)
        return {pid for pid in own if self.viewer.may_see_preferred_track(own[pid], managers.get(pid, []))}
