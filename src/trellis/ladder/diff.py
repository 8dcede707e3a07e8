"""What changed between two versions of a ladder."""

from __future__ import annotations

from dataclasses import dataclass

from trellis.ladder.model import Ladder


@dataclass(frozen=True)
class Change:
    kind: str  # level-added, level-removed, level-renamed, grade-changed, expectation-raised, ...
    subject: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}: {self.detail}"


def diff_ladders(old: Ladder, new: Ladder) -> list[Change]:
    """Every difference a ladder owner would want to review, levels first."""
    changes: list[Change] = []
    old_levels, new_levels = old.levels_by_id, new.levels_by_id
    for level_id, level in new_levels.items():
        if level_id not in old_levels:
            changes.append(Change("level-added", level_id,
                                  f"'{level.title}' on track {level.track}, grade {level.grade}"))
    for level_id, level in old_levels.items():
        if level_id not in new_levels:
            changes.append(Change("level-removed", level_id,
                                  f"'{level.title}' on track {level.track}, grade {level.grade}"))
    for level_id in old_levels.keys() & new_levels.keys():
        before, after = old_levels[level_id], new_levels[level_id]
        if before.title != after.title:
            changes.append(Change("level-renamed", level_id, f"'{before.title}' -> '{after.title}'"))
        if before.track != after.track:
            changes.append(Change("track-changed", level_id, f"{before.track} -> {after.track}"))
        if before.grade != after.grade:
            changes.append(Change("grade-changed", level_id, f"{before.grade} -> {after.grade}"))
        if before.scope.strip() != after.scope.strip():
            changes.append(Change("scope-changed", level_id, f"'{after.scope.strip()}'"))
        for comp in sorted(before.expectations.keys() | after.expectations.keys()):
            was, now = before.expectations.get(comp), after.expectations.get(comp)
            if was is None and now is not None:
                changes.append(Change("expectation-added", f"{level_id}/{comp}", now.step))
            elif now is None and was is not None:
                changes.append(Change("expectation-removed", f"{level_id}/{comp}", was.step))
            elif was is not None and now is not None and was.step != now.step:
                rank_was = old.step_rank.get(was.step, -1)
                rank_now = new.step_rank.get(now.step, -1)
                kind = "expectation-raised" if rank_now > rank_was else "expectation-lowered"
                changes.append(Change(kind, f"{level_id}/{comp}", f"{was.step} -> {now.step}"))
        gained = sorted(set(after.must_have) - set(before.must_have))
        lost = sorted(set(before.must_have) - set(after.must_have))
        if gained:
            changes.append(Change("must-have-added", level_id, ", ".join(gained)))
        if lost:
            changes.append(Change("must-have-removed", level_id, ", ".join(lost)))
        if before.weights != after.weights:
            changes.append(Change("weights-changed", level_id, f"{before.weights} -> {after.weights}"))
        if before.archetypes != after.archetypes:
            changes.append(Change("archetypes-changed", level_id,
                                  f"{before.archetypes} -> {after.archetypes}"))
    old_comps = {c.id: c for c in old.competencies}
    new_comps = {c.id: c for c in new.competencies}
    for comp_id in sorted(new_comps.keys() - old_comps.keys()):
        changes.append(Change("competency-added", comp_id, new_comps[comp_id].name))
    for comp_id in sorted(old_comps.keys() - new_comps.keys()):
        changes.append(Change("competency-removed", comp_id, old_comps[comp_id].name))
    for comp_id in sorted(old_comps.keys() & new_comps.keys()):
        if old_comps[comp_id].name != new_comps[comp_id].name:
            changes.append(Change("competency-renamed", comp_id,
                                  f"'{old_comps[comp_id].name}' -> '{new_comps[comp_id].name}'"))
        if old_comps[comp_id].rated_by != new_comps[comp_id].rated_by:
            changes.append(Change("rated-by-changed", comp_id,
                                  f"{old_comps[comp_id].rated_by} -> {new_comps[comp_id].rated_by}"))
    if [s.id for s in old.scale] != [s.id for s in new.scale]:
        changes.append(Change("scale-changed", "scale",
                              f"{[s.id for s in old.scale]} -> {[s.id for s in new.scale]}"))
    if [s.id for s in old.signals] != [s.id for s in new.signals]:
        changes.append(Change("signals-changed", "signals",
                              f"{[s.id for s in old.signals]} -> {[s.id for s in new.signals]}"))
    order = ["level-added", "level-removed", "level-renamed", "track-changed", "grade-changed"]
    return sorted(changes, key=lambda c: (order.index(c.kind) if c.kind in order else len(order), c.subject))
