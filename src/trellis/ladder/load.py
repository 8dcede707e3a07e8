"""Read and check a ladder file, reporting every problem with its line."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from trellis.ladder.model import Ladder
from trellis.lib.problems import InputError, Problem
from trellis.lib.textfile import read_text
from trellis.lib.yamlsource import Located, load_located, validate_model

DEFAULT_LADDER_NAME = "default.yaml"


@dataclass(frozen=True)
class LoadedLadder:
    ladder: Ladder
    text: str
    source: str
    warnings: list[Problem]


def default_ladder_text() -> str:
    return resources.files("trellis.ladder").joinpath(DEFAULT_LADDER_NAME).read_text(encoding="utf-8")


def load_default() -> LoadedLadder:
    return parse_ladder(default_ladder_text(), "built-in default ladder")


def load_file(path: str | Path) -> LoadedLadder:
    return parse_ladder(read_text(path), str(path))


def parse_ladder(text: str, source: str) -> LoadedLadder:
    """Parse and validate; raise InputError listing every error, return warnings alongside."""
    located = load_located(text, source)
    if not isinstance(located.data, dict):
        raise InputError([located.problem((), "a ladder file must be a YAML mapping at the top level")])
    ladder = validate_model(Ladder, located)
    problems = check_ladder(ladder, located)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(problems)
    return LoadedLadder(ladder, text, source, problems)


def check_ladder(ladder: Ladder, at: Located) -> list[Problem]:
    """The rules a well-formed ladder must follow beyond its shape."""
    problems: list[Problem] = []

    def error(path: tuple[str | int, ...], message: str) -> None:
        problems.append(at.problem(path, message))

    def warn(path: tuple[str | int, ...], message: str) -> None:
        problems.append(at.problem(path, message, "warning"))

    for section in ("scale", "tracks", "competencies", "archetypes", "signals", "levels"):
        seen: dict[str, int] = {}
        for i, item in enumerate(getattr(ladder, section)):
            if item.id in seen:
                first = at.line((section, seen[item.id]))
                error((section, i, "id"), f"duplicate id '{item.id}' in {section} (first defined on line {first})")
            else:
                seen[item.id] = i

    if len(ladder.scale) < 3:
        error(("scale",), "the scale needs at least three steps: one below expectations and two or more above")
    if not ladder.levels:
        error(("levels",), "the ladder has no levels")
    track_ids = {t.id for t in ladder.tracks}
    kinds = {t.id: t.effective_kind for t in ladder.tracks}
    if "technical" not in kinds.values():
        error(("tracks",), "the ladder needs a technical track (a track with id 'technical' or kind 'technical')")
    competency_ids = {c.id for c in ladder.competencies}
    archetype_ids = {a.id for a in ladder.archetypes}
    step_rank = ladder.step_rank
    below = ladder.scale[0].id if ladder.scale else None

    for i, level in enumerate(ladder.levels):
        base = ("levels", i)
        if level.track not in track_ids:
            error((*base, "track"), f"level '{level.id}' is on unknown track '{level.track}'; "
                  f"known tracks: {', '.join(sorted(track_ids))}")
        for comp, expectation in level.expectations.items():
            if comp not in competency_ids:
                error((*base, "expectations", comp),
                      f"level '{level.id}' references unknown competency '{comp}'")
            if expectation.step not in step_rank:
                error((*base, "expectations", comp),
                      f"level '{level.id}' expects unknown scale step '{expectation.step}' for '{comp}'; "
                      f"steps: {', '.join(s.id for s in ladder.scale)}")
            elif expectation.step == below:
                error((*base, "expectations", comp),
                      f"level '{level.id}' expects '{below}' for '{comp}': that step is below expectations; "
                      "expect a higher step")
        for comp in sorted(competency_ids - set(level.expectations)):
            error((*base, "expectations"), f"level '{level.id}' is missing an expectation for competency '{comp}'")
        for j, comp in enumerate(level.must_have):
            if comp not in competency_ids:
                error((*base, "must_have", j), f"level '{level.id}' lists unknown competency '{comp}' as a must-have")
        for comp, weight in level.weights.items():
            if comp not in competency_ids:
                error((*base, "weights", comp), f"level '{level.id}' weights unknown competency '{comp}'")
            elif weight <= 0:
                error((*base, "weights", comp), f"level '{level.id}' gives '{comp}' weight {weight}; "
                      "weights must be positive")
        for j, arch in enumerate(level.archetypes):
            if arch not in archetype_ids:
                error((*base, "archetypes", j), f"level '{level.id}' lists unknown archetype '{arch}'")
        if level.archetypes:
            if kinds.get(level.track) != "technical":
                error((*base, "archetypes"), f"level '{level.id}' has archetypes, but archetypes are variants "
                      "of the technical track only")
            elif ladder.archetype_min_grade is not None and level.grade < ladder.archetype_min_grade:
                error((*base, "archetypes"), f"level '{level.id}' (grade {level.grade}) has archetypes, but "
                      f"archetypes start at grade {ladder.archetype_min_grade} (archetype_min_grade)")
        if level.pay is not None and level.pay.min > level.pay.max:
            error((*base, "pay"), f"level '{level.id}' has a pay band whose min is above its max")

    index = {id(level): i for i, level in enumerate(ladder.levels)}
    for track in ladder.tracks:
        levels = ladder.track_levels(track.id)
        for lower, higher in zip(levels, levels[1:], strict=False):
            hi = ("levels", index[id(higher)])
            if higher.grade <= lower.grade:
                error((*hi, "grade"), f"level '{higher.id}' has grade {higher.grade} but comes after "
                      f"'{lower.id}' (grade {lower.grade}) on track '{track.id}': grades must rise "
                      "in the order levels are listed")
            for comp, exp in higher.expectations.items():
                prev = lower.expectations.get(comp)
                if prev is None or exp.step not in step_rank or prev.step not in step_rank:
                    continue
                if step_rank[exp.step] < step_rank[prev.step]:
                    warn((*hi, "expectations", comp),
                         f"expectation for '{comp}' falls from '{prev.step}' at '{lower.id}' to "
                         f"'{exp.step}' at '{higher.id}': expectations usually rise with the level")

    technical_grades = {lvl.grade for lvl in ladder.levels if kinds.get(lvl.track) == "technical"}
    for i, level in enumerate(ladder.levels):
        if kinds.get(level.track) == "management" and level.grade not in technical_grades:
            error(("levels", i, "grade"), f"management level '{level.id}' has grade {level.grade} but no "
                  "technical level has that grade: every management grade needs a technical peer "
                  "of equal standing")
    return problems
