"""History events as a reader sees them: a date, what changed, and names instead of ids."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from trellis.ladder.model import Ladder
from trellis.org.model import Change
from trellis.web.org.models import Person

KIND_LABELS = {
    "joined": "Joined",
    "left": "Left",
    "rejoined": "Came back",
    "level-changed": "Level",
    "track-changed": "Track",
    "preferred-track-changed": "Preferred track",
    "team-changed": "Team",
    "manager-changed": "Manager",
    "dotted-changed": "Dotted lines",
    "role-gained": "Role taken on",
    "role-lost": "Role handed over",
    "name-changed": "Name",
    "email-changed": "Email",
    "team-created": "Team created",
    "department-changed": "Department",
    "reports-outside-changed": "Reports outside the organisation",
}
ROLE_LABELS = {"tech_lead": "tech lead", "people_manager": "people manager"}
PRIVATE_KINDS = ("preferred-track-changed",)  # shown only to those who may see the preferred track
_PEOPLE_VALUED = ("manager-changed", "dotted-changed")


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    change: Change
    label: str
    subject: str  # who or which team, by name
    old: str
    new: str


def referenced_ids(events: Iterable[Change]) -> set[str]:
    """External ids of the people the events mention: their subject and, for reporting lines, old and new."""
    ids: set[str] = set()
    for e in events:
        if e.person_id:
            ids.add(e.person_id)
        if e.kind in _PEOPLE_VALUED:
            for value in (e.old, e.new):
                ids.update(t for t in (value or "").split(";") if t)
    return ids


def names_of(ids: set[str]) -> dict[str, str]:
    """One query, whatever the number of ids."""
    return dict(Person.objects.filter(external_id__in=sorted(ids)).values_list("external_id", "name"))


# Joining, leaving and coming back carry the person's name, which the entry already shows as its subject.
_NAME_VALUED = ("joined", "left", "rejoined")


def _value(kind: str, raw: str | None, names: Mapping[str, str], ladder: Ladder) -> str:
    if raw is None or raw == "" or kind in _NAME_VALUED:
        return ""
    tokens = [t for t in raw.split(";") if t]
    if kind in _PEOPLE_VALUED:
        return ", ".join(names.get(t, t) for t in tokens)
    if kind == "level-changed":
        return ", ".join(ladder.levels_by_id[t].title if t in ladder.levels_by_id else t for t in tokens)
    if kind in ("role-gained", "role-lost"):
        return ", ".join(_role_text(t) for t in tokens)
    if kind == "preferred-track-changed":
        return raw.capitalize()
    return raw


def _role_text(token: str) -> str:
    role, _, team = token.partition("@")
    label = ROLE_LABELS.get(role, role)
    return f"{label} of {team}" if team else label


def entries(changes: Sequence[Change], ladder: Ladder, *, private: bool = False) -> list[TimelineEntry]:
    """Newest first; ``private``: include changes of the preferred track."""
    shown = [c for c in reversed(changes) if private or c.kind not in PRIVATE_KINDS]
    names = names_of(referenced_ids(shown))
    return [
        TimelineEntry(change=c, label=KIND_LABELS.get(c.kind, c.kind),
                      subject=names.get(c.person_id, c.person_id) if c.person_id else (c.team or ""),
                      old=_value(c.kind, c.old, names, ladder), new=_value(c.kind, c.new, names, ladder))
        for c in shown
    ]
