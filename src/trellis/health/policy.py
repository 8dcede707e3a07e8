"""The thresholds Trellis judges by, and the file that overrides them.

Org health (docs/health.md) and growth (readiness, anonymous feedback, calibration:
docs/growth.md) read the same policy, so one file tunes the whole organisation.
Every threshold has a default drawn from published practice (see docs/health.md). An
organisation can override any subset in a small YAML file; a bad file is reported the way
a bad ladder is: every problem, with its line.
"""

from __future__ import annotations

from dataclasses import replace
from fnmatch import fnmatchcase
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from trellis.health.report import CODES
from trellis.ladder.model import Ladder
from trellis.lib.problems import InputError, Problem
from trellis.lib.textfile import read_text
from trellis.lib.yamlsource import Located, load_located, validate_model


class Exemption(BaseModel):
    """A deliberate exception: findings of ``code`` about matching teams are listed apart, with ``reason``.

    ``team`` and ``department`` are names or patterns (``*`` for any run of characters, ``?`` for
    one), matched without regard to case; give one or both (both: a team must match both)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    code: str
    team: str | None = None
    department: str | None = None
    reason: str = Field(min_length=1)

    @field_validator("code")
    @classmethod
    def _known_code(cls, value: str) -> str:
        if value not in CODES:
            raise PydanticCustomError("unknown_code", "unknown finding code '{value}'; codes are: {codes}",
                                      {"value": value, "codes": ", ".join(CODES)})
        return value

    @model_validator(mode="after")
    def _names_something(self) -> Exemption:
        if self.team is None and self.department is None:
            raise PydanticCustomError("exemption_scope", "an exemption names a team or a department (or both), "
                                                         "by name or pattern such as 'Support*'", {})
        return self

    def matches(self, code: str, team: str | None, department: str | None) -> bool:
        if code != self.code or team is None:
            return False
        if self.team is not None and not fnmatchcase(team.casefold(), self.team.casefold()):
            return False
        return self.department is None or (
            department is not None and fnmatchcase(department.casefold(), self.department.casefold()))


class Policy(BaseModel):
    """Health and growth thresholds. Construct with keyword overrides, or read a file with ``load_policy``."""

    # Strict: "true" is not 1 and "8" is not 8; a policy says what it means.
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, strict=True)

    first_line_span_min: int = Field(4, ge=0)
    """A first-line manager with fewer solid-line reports is in effect a tech-lead-manager."""
    first_line_span_max: int = Field(8, ge=1)
    """A first-line manager with more solid-line reports becomes a coach rather than a manager."""
    manager_of_managers_span_min: int = Field(1, ge=0)
    """Fewest solid-line reports for a manager of managers: below it the layer only passes work down.
    One by default, as a single director under a VP is common while an organisation grows; set 2 to
    flag a manager of one manager."""
    manager_of_managers_span_max: int = Field(6, ge=1)
    """Most solid-line reports for a manager of managers."""
    manager_of_managers_share: float = Field(0.5, ge=0, lt=1)
    """A manager is a manager of managers when more than this share of their reports manage people."""
    dual_role_limit_days: int = Field(182, ge=0)
    """How long one person may hold a people-manager and a tech-lead role at once (two quarters)."""
    tech_lead_spread_max: int = Field(2, ge=1)
    """Most teams one person can lead technically day to day."""
    min_tech_lead_level: str = "lead-engineer"
    """The technical level at which leading a team is part of the job (a level id of the ladder)."""
    staff_level: str = "software-architect"
    """The lowest technical level counted as staff and above in the metrics."""
    thin_bench_min: int = Field(1, ge=0)
    """Fewest people one level below a technical-leadership level, as candidates to step into it."""
    architecture_line: bool = True
    """Look for a technical-track leader among the people-management leaders (the architecture line)."""
    architecture_line_level: str = "director-of-architecture"
    """The technical level whose grade is director grade: the architecture line starts there."""
    no_tech_lead_warning_days: int = Field(30, ge=0)
    """A team without a tech lead for this many days (or for an unknown time) is a warning, before that info."""
    no_tech_lead_critical_days: int = Field(90, ge=0)
    """A team without a tech lead for this many days is critical."""
    small_team_size: int = Field(3, ge=0)
    """Teams with fewer people are not judged for a missing tech lead or people manager (a metric counts them)."""
    exemptions: tuple[Exemption, ...] = Field((), strict=False)
    """Findings the organisation has decided are by design, by code and team or department, each with a reason."""

    def exemption(self, code: str, team: str | None, department: str | None) -> Exemption | None:
        """The first exemption that covers a finding of ``code`` about ``team`` (in ``department``)."""
        return next((e for e in self.exemptions if e.matches(code, team, department)), None)

    # Growth: readiness for a level (trellis.growth.readiness), peer feedback and calibration.
    readiness_min_coverage: float = Field(0.6, ge=0, le=1)
    """Below this share of a level's competency weight rated, readiness is insufficient-evidence."""
    readiness_stretch_score: float = Field(0.55, ge=0, le=1)
    """The lowest weighted score for the stretch tier."""
    readiness_close_score: float = Field(0.70, ge=0, le=1)
    """The lowest weighted score for the close tier."""
    readiness_ready_now_score: float = Field(0.85, ge=0, le=1)
    """The lowest weighted score for the ready-now tier."""
    readiness_close_must_haves_one_below: int = Field(1, ge=0)
    """Most must-haves one step below expectation that still allow the close tier."""
    anonymous_feedback_min: int = Field(3, ge=1)
    """Fewest anonymous responses (per perspective) before the person sees their content, aggregated."""
    peer_nominations_max: int = Field(5, ge=1)
    """Most peers a person may have approved to give feedback in one cycle."""
    leniency_flag_steps: float = Field(0.5, gt=0)
    """Calibration flags a rater whose mean rating, against each person's level expectation, is this many
    scale steps or more from the cycle's."""
    leniency_min_people: int = Field(3, ge=1)
    """Calibration flags a rater only once they have rated at least this many people."""

    @field_validator("first_line_span_max", "manager_of_managers_span_max", "no_tech_lead_critical_days",
                     "readiness_close_score",
                     "readiness_ready_now_score")
    @classmethod
    def _in_order(cls, value: float, info: ValidationInfo) -> float:
        low_key, why = _ORDERED[str(info.field_name)]
        low = info.data.get(low_key)
        if low is not None and low > value:
            raise PydanticCustomError("range_order", "{low_key} ({low}) is above {high_key} ({high}): {why}",
                                      {"low_key": low_key, "low": low, "high_key": info.field_name, "high": value,
                                       "why": why})
        return value


# Pairs of keys that must not cross: the higher key, the lower key, and why.
_ORDERED: dict[str, tuple[str, str]] = {
    "first_line_span_max": ("first_line_span_min", "the range must run from low to high"),
    "manager_of_managers_span_max": ("manager_of_managers_span_min", "the range must run from low to high"),
    "no_tech_lead_critical_days": ("no_tech_lead_warning_days", "warning must come before critical"),
    "readiness_close_score": ("readiness_stretch_score", "the tiers rise from stretch to close to ready-now"),
    "readiness_ready_now_score": ("readiness_close_score", "the tiers rise from stretch to close to ready-now"),
}


LEVEL_KEYS: tuple[str, ...] = ("min_tech_lead_level", "staff_level", "architecture_line_level")


def check_policy(policy: Policy, ladder: Ladder, at: Located | None = None) -> list[Problem]:
    """Problems with a policy's level ids against ``ladder`` (each must be a technical level)."""
    problems: list[Problem] = []
    technical = [level.id for level in ladder.levels if ladder.track_kind(level.id) == "technical"]
    for key in LEVEL_KEYS:
        value = getattr(policy, key)
        if value in technical:
            continue
        what = "an unknown level" if value not in ladder.levels_by_id else "not a technical-track level"
        message = f"{key}: '{value}' is {what}; use one of the ladder's technical levels: {', '.join(technical)}"
        if at is not None:
            problems.append(at.problem((key,), message))
        else:
            problems.append(Problem("policy", None, message))
    return problems


def parse_policy(text: str, source: str, ladder: Ladder | None = None) -> Policy:
    """Parse a policy file's text; raise InputError listing every problem with its line."""
    located = load_located(text, source)
    if not isinstance(located.data, dict):
        raise InputError([located.problem((), "a policy file must be a YAML mapping of keys to values, "
                                               "e.g. 'first_line_span_max: 9'")])
    try:
        policy = validate_model(Policy, located)
    except InputError as exc:
        raise InputError([_with_known_keys(p) for p in exc.problems]) from exc
    if ladder is not None:
        problems = check_policy(policy, ladder, located)
        if problems:
            raise InputError(problems)
    return policy


def _with_known_keys(problem: Problem) -> Problem:
    if not problem.message.startswith("unknown key"):
        return problem
    keys = ", ".join(Policy.model_fields)
    return replace(problem, message=f"{problem.message}; policy keys are: {keys}")


def load_policy(path: str | Path, ladder: Ladder | None = None) -> Policy:
    """Read a policy file; with ``ladder``, its level ids are checked against that ladder too."""
    text = read_text(path)
    return parse_policy(text, str(path), ladder)
