"""The rules of review cycles that need no database: who takes part, who may stand in for a tech lead."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol, TypeVar

from trellis.ladder.model import Ladder
from trellis.lib.problems import Problem

RULE_KEYS: tuple[str, ...] = ("teams", "departments", "levels", "tracks")


class Enrollable(Protocol):
    level: str
    team: Any  # with ``name`` and ``department``, or None


P = TypeVar("P", bound=Enrollable)


def clean_rule(rule: dict[str, Any]) -> dict[str, list[str]]:
    """The participants rule with empty parts dropped and values stripped."""
    cleaned = {k: sorted({str(v).strip() for v in rule.get(k) or [] if str(v).strip()}) for k in RULE_KEYS}
    return {k: v for k, v in cleaned.items() if v}


def check_cycle(name: str, start: date, end: date, rule: dict[str, Any], ladder: Ladder,
                taken: Iterable[str] = ()) -> list[Problem]:
    problems: list[Problem] = []
    if not name.strip():
        problems.append(Problem("name", None, "a cycle needs a name, e.g. '2026 H1'"))
    elif name.strip() in set(taken):
        problems.append(Problem("name", None, f"a cycle called '{name.strip()}' already exists: choose another name"))
    if end < start:
        problems.append(Problem("period", None, f"the period ends ({end}) before it starts ({start})"))
    for key in rule:
        if key not in RULE_KEYS:
            problems.append(Problem("participants", None, f"unknown participants rule '{key}': use "
                                                          f"{', '.join(RULE_KEYS)}"))
    for level in rule.get("levels") or []:
        if level not in ladder.levels_by_id:
            problems.append(Problem("participants", None, f"unknown level '{level}'"))
    for track in rule.get("tracks") or []:
        if track not in {t.id for t in ladder.tracks}:
            problems.append(Problem("participants", None, f"unknown track '{track}'"))
    return problems


def select(people: Iterable[P], rule: dict[str, list[str]], ladder: Ladder) -> list[P]:
    """Those of ``people`` the rule picks: each part given must match (a team, a department, a level, a track);
    within a part, any value. An empty rule picks everyone. People need ``level`` and ``team`` (with
    ``name`` and ``department``) attributes."""
    teams, departments = set(rule.get("teams", [])), set(rule.get("departments", []))
    levels, tracks = set(rule.get("levels", [])), set(rule.get("tracks", []))
    track_of = {level.id: level.track for level in ladder.levels}
    chosen = []
    for p in people:
        team = p.team
        if teams and (team is None or team.name not in teams):
            continue
        if departments and (team is None or team.department not in departments):
            continue
        level = p.level
        if levels and level not in levels:
            continue
        if tracks and track_of.get(level) not in tracks:
            continue
        chosen.append(p)
    return chosen


def substitute_problem(ladder: Ladder, person_level: str, reviewer_level: str, same_person: bool) -> str | None:
    """Why someone may not review a person in place of a missing tech lead, or None when they may.

    The stand-in must be a technical leader above the person: a technical-track level of a higher grade."""
    if same_person:
        return "a person cannot review themself"
    reviewer = ladder.levels_by_id.get(reviewer_level)
    person = ladder.levels_by_id.get(person_level)
    if reviewer is None or ladder.track_kind(reviewer.id) != "technical":
        return "the stand-in for a tech lead must be a technical leader (a level of the technical track)"
    if person is not None and reviewer.grade <= person.grade:
        return (f"the stand-in must be above the person: {reviewer.title} (grade {reviewer.grade}) is not above "
                f"{person.title} (grade {person.grade})")
    return None
