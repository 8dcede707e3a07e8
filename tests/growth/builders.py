"""Small ladders for readiness rules: every boundary is a count of competencies."""

from __future__ import annotations

from trellis.growth.readiness import Rating
from trellis.ladder.model import Ladder

STEPS = ["below", "low", "mid", "high", "top"]


def ladder(n: int = 10, must_have: tuple[str, ...] = ("c0",), weights: dict[str, float] | None = None) -> Ladder:
    """One technical track of two levels (l1 expects mid, l2 high) and a management peer of l2, with ``n``
    competencies c0..c(n-1)."""
    comps = [f"c{i}" for i in range(n)]
    return Ladder.model_validate({
        "id": "test", "name": "Test",
        "scale": [{"id": s, "name": s.title()} for s in STEPS],
        "tracks": [{"id": "technical", "name": "Technical"}, {"id": "management", "name": "Management"}],
        "competencies": [{"id": c, "name": f"Competency {c[1:]}", "description": ""} for c in comps],
        "levels": [
            {"id": "l1", "title": "Level One", "track": "technical", "grade": 1, "scope": "",
             "expectations": {c: "mid" for c in comps}},
            {"id": "l2", "title": "Level Two", "track": "technical", "grade": 2, "scope": "",
             "expectations": {c: "high" for c in comps}, "must_have": list(must_have), "weights": weights or {}},
            {"id": "m2", "title": "Manager Two", "track": "management", "grade": 2, "scope": "",
             "expectations": {c: "mid" for c in comps}},
        ],
    })


def pair(**steps: str) -> list[Rating]:
    """Both of the pair give each competency the same step: ``pair(c0="high", c1="mid")``."""
    return [Rating(c, s, r) for c, s in steps.items() for r in ("tech_lead", "people_manager")]


def rated(met: int = 0, one_below: int = 0, further: int = 0, start: int = 0) -> dict[str, str]:
    """Steps against l2 (which expects high) for consecutive competencies from c{start}."""
    steps = ["high"] * met + ["mid"] * one_below + ["low"] * further
    return {f"c{start + i}": s for i, s in enumerate(steps)}
