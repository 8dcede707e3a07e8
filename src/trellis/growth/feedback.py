"""Peer feedback shown so that no one can tell who wrote what.

Anonymous responses are shown only aggregated, and only once at least ``threshold`` of them
exist (the policy's ``anonymous_feedback_min``). The same holds inside the aggregate: a
competency's mean is shown only when at least ``threshold`` responses rated it, and comments
only when at least ``threshold`` responses wrote one, in an order that says nothing about
who wrote them or when (sorted by their text).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Aggregate:
    shown: bool  # enough responses to show anything
    exists: bool  # at least one response (said even when below the threshold)
    responses: int | None  # the count, only when shown
    steps: dict[str, str]  # competency -> mean step, rounded down, only for competencies rated often enough
    comments: tuple[str, ...]


def aggregate(responses: Iterable[tuple[Mapping[str, str], str]], threshold: int,
              scale: list[str]) -> Aggregate:
    """``responses``: (ratings, comments) pairs; ``scale``: step ids, lowest first."""
    items = list(responses)
    if len(items) < threshold:
        return Aggregate(False, bool(items), None, {}, ())
    rank = {s: i for i, s in enumerate(scale)}
    by_comp: dict[str, list[int]] = {}
    for ratings, _ in items:
        for comp, step in ratings.items():
            if step in rank:
                by_comp.setdefault(comp, []).append(rank[step])
    steps = {comp: scale[math.floor(sum(v) / len(v))] for comp, v in by_comp.items() if len(v) >= threshold}
    comments = sorted(c.strip() for _, c in items if c.strip())
    return Aggregate(True, True, len(items), steps, tuple(comments) if len(comments) >= threshold else ())
