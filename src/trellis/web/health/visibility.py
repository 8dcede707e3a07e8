"""Findings shown to a viewer without revealing a preferred track they may not see.

A person's preferred track is visible only to themself, their managers (solid and
dotted), HR and admin (trellis.web.org.access). ``peter-principle-risk`` exists only
because of it, so for anyone else it is counted but not shown; ``dual-role`` is shown
with an action that does not mention it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from trellis.health.engine import Finding
from trellis.web.org.access import Viewer
from trellis.web.org.models import DottedLine, Person

PRIVATE = "peter-principle-risk"
REWORDED = "dual-role"
NEUTRAL_ACTION = ("Split the jobs: ask the person which of the two roles they want to keep, and find someone "
                  "for the other.")


def visible_findings(findings: Sequence[Finding], user: Any) -> tuple[list[Finding], int]:
    """The findings ``user`` may read, and how many were withheld. At most two queries."""
    viewer = Viewer.of(user)
    sensitive: set[str] = {f.person for f in findings if f.person and f.code in (PRIVATE, REWORDED)}
    allowed = sensitive if viewer.privileged else _may_see_track(viewer, sensitive)
    shown: list[Finding] = []
    hidden = 0
    for f in findings:
        if f.person in allowed or f.code not in (PRIVATE, REWORDED):
            shown.append(f)
        elif f.code == PRIVATE:
            hidden += 1
        else:
            shown.append(replace(f, action=NEUTRAL_ACTION))
    return shown, hidden


def _may_see_track(viewer: Viewer, person_ids: set[str]) -> set[str]:
    if not person_ids or viewer.user_id is None:
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
    return {pid for pid in own if viewer.may_see_preferred_track(own[pid], managers.get(pid, []))}
