"""The career ladder: tracks of levels with grades, competencies and expectations.

These models describe the ladder file (see docs/ladder-format.md) and are the
ladder everyone else in Trellis reads. They import no framework.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

Ident = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]

# Who of a team's leadership pair rates a competency in a review (``rated_by``).
RATED_BY: tuple[str, ...] = ("tech_lead", "people_manager", "both")
RatedBy = Literal["tech_lead", "people_manager", "both"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScaleStep(Strict):
    id: Ident
    name: str
    description: str = ""


class Track(Strict):
    id: Ident
    name: str
    kind: str = ""
    description: str = ""

    @property
    def effective_kind(self) -> str:
        """technical, management or other: the parity rule compares management to technical."""
        if self.kind:
            return self.kind
        return self.id if self.id in ("technical", "management") else "other"


class Competency(Strict):
    id: Ident
    name: str
    description: str
    focus_area: bool = False
    rated_by: RatedBy = "tech_lead"
    """Who of the pair rates it in a review: the tech lead (the default: the focus areas and the
    craft), the people manager (growing people, organising teams), or both."""

    def rated_by_role(self, role: str) -> bool:
        """True when the holder of ``role`` (tech_lead or people_manager) rates this competency."""
        return self.rated_by in (role, "both")


class Archetype(Strict):
    id: Ident
    name: str
    description: str


class Signal(Strict):
    id: Ident
    text: str


class Expectation(Strict):
    step: Ident
    text: str = ""


class PayBand(Strict):
    min: int
    max: int
    currency: str = ""


class Level(Strict):
    id: Ident
    title: str
    track: Ident
    grade: int
    scope: str
    summary: str = ""
    expectations: dict[str, Expectation]
    must_have: list[str] = Field(default_factory=list)
    weights: dict[str, float] = Field(default_factory=dict)
    archetypes: list[str] = Field(default_factory=list)
    pay: PayBand | None = None

    @field_validator("expectations", mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        # "craft: proficient" is shorthand for "craft: {step: proficient}".
        if isinstance(value, dict):
            return {k: {"step": v} if isinstance(v, str) else v for k, v in value.items()}
        return value


class Ladder(Strict):
    id: Ident
    name: str
    version: str = ""
    description: str = ""
    scale: list[ScaleStep]
    tracks: list[Track]
    competencies: list[Competency]
    archetypes: list[Archetype] = Field(default_factory=list)
    archetype_min_grade: int | None = None
    signals: list[Signal] = Field(default_factory=list)
    levels: list[Level]

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    @cached_property
    def levels_by_id(self) -> dict[str, Level]:
        return {level.id: level for level in self.levels}

    @cached_property
    def level_names(self) -> dict[str, str]:
        """Level ids and titles in lower case -> level id; an id wins over another level's title.
        How a person names a level anywhere (an import's level column, a what-if change)."""
        names = {level.title.strip().lower(): level.id for level in self.levels}
        names.update({level.id.lower(): level.id for level in self.levels})
        return names

    def find_level(self, written: str) -> str | None:
        """The id of the level ``written`` names (its id or title, in any case), or None."""
        return self.level_names.get(" ".join(written.split()).lower())

    @cached_property
    def step_rank(self) -> dict[str, int]:
        """Position of each scale step; 0 is the step below expectations."""
        return {step.id: i for i, step in enumerate(self.scale)}

    def track(self, track_id: str) -> Track:
        return next(t for t in self.tracks if t.id == track_id)

    def track_levels(self, track_id: str) -> list[Level]:
        """The levels of one track, lowest first (the file's order)."""
        return [level for level in self.levels if level.track == track_id]

    def grades(self) -> list[int]:
        return sorted({level.grade for level in self.levels})

    def peers(self, level_id: str) -> list[Level]:
        """Levels on other tracks with the same grade: equal standing."""
        level = self.levels_by_id[level_id]
        return [o for o in self.levels if o.grade == level.grade and o.track != level.track]

    def previous_level(self, level_id: str) -> Level | None:
        level = self.levels_by_id[level_id]
        track = self.track_levels(level.track)
        i = track.index(level)
        return track[i - 1] if i > 0 else None

    def track_kind(self, level_id: str) -> str:
        return self.track(self.levels_by_id[level_id].track).effective_kind
