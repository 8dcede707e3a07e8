"""History events as a reader sees them: a date, what changed, and names instead of ids."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Q

from trellis.ladder.model import Ladder
from trellis.web.org.models import HistoryEvent, Person

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
}
ROLE_LABELS = {"tech_lead": "tech lead", "people_manager": "people manager"}
PRIVATE_KINDS = ("preferred-track-changed",)  # shown only to those who may see the preferred track
_PEOPLE_VALUED = ("manager-changed", "dotted-changed")


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    event: HistoryEvent
    label: str
    subject: str  # who or which team, by name
    old: str
    new: str


def referenced_ids(events: Iterable[HistoryEvent]) -> set[str]:
    """External ids of the people the events mention: their subject and, for reporting lines, old and new."""
    ids: set[str] = set()
    for e in events:
        if e.person_id_ext:
            ids.add(e.person_id_ext)
        if e.kind in _PEOPLE_VALUED:
            for value in (e.old, e.new):
                ids.update(t for t in (value or "").split(";") if t)
    return ids


def names_of(ids: set[str]) -> dict[str, str]:
    """One query, whatever the number of ids."""
    return dict(Person.objects.filter(external_id__in=sorted(ids)).values_list("external_id", "name"))


def _value(kind: str, raw: str | None, names: Mapping[str, str], ladder: Ladder) -> str:
    if raw is None or raw == "":
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


def entries(events: Sequence[HistoryEvent], ladder: Ladder) -> list[TimelineEntry]:
    names = names_of(referenced_ids(events))
    result = []
    for e in events:
        subject = names.get(e.person_id_ext, e.person_id_ext) if e.person_id_ext else e.team_name
        new = _value(e.kind, e.new, names, ladder)
        if e.kind in ("role-gained", "role-lost") and e.team_name and "@" not in (e.new or e.old or ""):
            new = f"{_value(e.kind, e.new or e.old, names, ladder)} of {e.team_name}"
            old = ""
        else:
            old = _value(e.kind, e.old, names, ladder)
        result.append(TimelineEntry(event=e, label=KIND_LABELS.get(e.kind, e.kind), subject=subject, old=old, new=new))
    return result


def newest_first(qs: Q) -> list[HistoryEvent]:
    return list(HistoryEvent.objects.filter(qs).order_by("-effective", "-seq", "-id"))
