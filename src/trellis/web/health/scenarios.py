"""Saved what-if scenarios: the only writer of ``Scenario``, and what a viewer may read of them.

A scenario keeps its changes as they were applied when it was saved (people by id, so that a
renamed person or a new namesake does not change what it means), and never their effect: it is
run again against the organisation of the day each time it is opened, and a change that no
longer applies (the person has left) is left out and said so. Nothing here changes the
organisation: a scenario is a question, not a decision.

Who may open, edit and delete one is decided in ``trellis.access`` (``scenario_visible``,
``scenario_changeable``) and asked of the ``Viewer``; someone who may not open a scenario is
told there is no such scenario (404), whether it exists or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from trellis.health.whatif import WhatIfResult
from trellis.lib import clock
from trellis.lib.problems import InputError, Problem
from trellis.web.health import services
from trellis.web.health.models import Scenario
from trellis.web.org.access import Viewer

NAME_MAX = 200
NOTE_MAX = 4000


class NoSuchScenario(Exception):
    """No scenario by that number or name that this viewer may open (a 404: it may exist for others)."""


@dataclass(frozen=True)
class Run:
    """A scenario run against today's organisation: the result, and each stored line in words today."""

    scenario: Scenario
    result: WhatIfResult
    lines: list[str]  # the changes to edit: people by name where it means no one else, as written for those skipped


def visible(viewer: Viewer) -> list[Scenario]:
    """The scenarios the viewer may open, most recently saved first (two queries, and those of one
    ``Viewer.permitted`` call)."""
    rows = list(Scenario.objects.all())
    shown = viewer.visible_scenarios((row.author_id, row.touches) for row in rows)
    return [row for row, ok in zip(rows, shown, strict=True) if ok]


def get(viewer: Viewer, number: int) -> Scenario:
    """The scenario ``number``, if the viewer may open it; NoSuchScenario otherwise."""
    row = Scenario.objects.filter(pk=number).first()
    if row is None or not viewer.visible_scenarios([(row.author_id, row.touches)])[0]:
        raise NoSuchScenario(f"there is no scenario {number} that you may open")
    return row


def named(viewer: Viewer, name: str, source: str = "--scenario") -> Scenario:
    """The one scenario the viewer may open called ``name`` (any case), or numbered ``name`` (``12``
    or ``#12``); InputError naming the scenarios there are, or which to choose among."""
    text = name.strip()
    rows = [row for row in visible(viewer) if row.name.casefold() == text.casefold()]
    if not rows and text.lstrip("#").isdigit():
        try:
            return get(viewer, int(text.lstrip("#")))
        except NoSuchScenario:
            pass
    if len(rows) == 1:
        return rows[0]
    if rows:
        listed = "; ".join(f"#{row.pk} by {row.by}" for row in rows)
        raise InputError([Problem(source, None, f"{len(rows)} scenarios are called '{text}': {listed}; give the "
                                                "number of the one you mean")])
    known = ", ".join(f"'{row.name}'" for row in visible(viewer)[:20]) or "none yet"
    raise InputError([Problem(source, None, f"no saved scenario is called '{text}'; scenarios: {known} "
                                            "('trellis health scenarios' lists them)")])


def run(scenario: Scenario) -> Run:
    """The scenario run again against today's organisation; changes that no longer apply are listed."""
    result = services.simulate(scenario.changes, f"scenario '{scenario.name}'", skip_inapplicable=True)
    worded = {change.line: words for change, words in zip(result.changes, result.wording, strict=True)}
    lines = [worded.get(number, line.strip()) for number, line in enumerate(scenario.changes.splitlines(), start=1)
             if line.strip()]
    return Run(scenario, result, lines)


def save(viewer: Viewer, *, name: str, note: str, changes: str, by: str, by_user: Any = None,
         number: int | None = None, source: str = "scenario") -> Scenario:
    """Save a new scenario (``number`` None) or change one: all or nothing, every problem listed.

    The changes must all apply to today's organisation (InputError otherwise); they are kept as
    applied, people by id. Editing asks ``Viewer.may_change_scenario`` (PermissionDenied, after
    NoSuchScenario for one the viewer may not open)."""
    row = get(viewer, number) if number is not None else None
    if row is not None and not viewer.may_change_scenario(row.author_id):
        raise PermissionDenied("only the scenario's author, HR and admin may change it: save your own copy instead")
    name, note = name.strip(), note.strip()
    problems: list[Problem] = []
    if not name:
        problems.append(Problem(source, None, "give the scenario a name", column="name"))
    elif len(name) > NAME_MAX:
        problems.append(Problem(source, None, f"the name is {len(name)} characters long: at most {NAME_MAX}",
                                column="name"))
    if len(note) > NOTE_MAX:
        problems.append(Problem(source, None, f"the note is {len(note)} characters long: at most {NOTE_MAX}",
                                column="note"))
    result = None
    try:
        result = services.simulate(changes, "changes")
    except InputError as exc:
        problems += exc.problems
    author = row.author if row is not None else (by_user if getattr(by_user, "is_authenticated", False) else None)
    same_name = Scenario.objects.annotate(lower=Lower("name")).filter(lower=name.lower(), author=author)
    if row is not None:
        same_name = same_name.exclude(pk=row.pk)
    if name and author is not None and same_name.exists():
        problems.append(Problem(source, None, f"you already have a scenario called '{name}': choose another name, "
                                              "or open that one and edit it", column="name"))
    if problems or result is None:
        raise InputError(problems)
    touches = sorted({pid for c in result.changes for pid in (c.person, c.manager) if pid})
    now = clock.now()
    values = {"name": name, "note": note, "changes": "\n".join(c.describe() for c in result.changes),
              "touches": touches, "updated_at": now}
    try:
        with transaction.atomic():
            if row is None:
                return Scenario.objects.create(**values, author=author, by=by, created_at=now)
            for field, value in values.items():
                setattr(row, field, value)
            row.save()
            return row
    except IntegrityError as exc:  # the same name saved at the same moment by another request
        raise InputError([Problem(source, None, f"you already have a scenario called '{name}': choose another "
                                                "name", column="name")]) from exc


def delete(viewer: Viewer, number: int) -> Scenario:
    """Delete a scenario (its author, HR and admin); the organisation is untouched either way."""
    row = get(viewer, number)
    if not viewer.may_change_scenario(row.author_id):
        raise PermissionDenied("only the scenario's author, HR and admin may delete it")
    row.delete()
    return row
