"""Template helpers for growth's pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any] | None, key: str) -> Any:
    """``{{ names|get_item:c }}``: a value of a mapping by a key held in a variable."""
    return (mapping or {}).get(key)


@register.filter
def step_pos(step: str | None, scale: list[Any]) -> int:
    """The position of a step on the scale (0: below expectations); -1 when absent."""
    ids = [s.id for s in scale]
    return ids.index(step) if step in ids else -1


@register.filter
def step_px(step: str | None, scale: list[Any]) -> int:
    """How far along a 380-pixel bar a step sits (a chart's bars are SVG: no inline style)."""
    ids = [s.id for s in scale]
    return round(380 * (ids.index(step) + 1) / len(ids)) if step in ids else 0


@register.filter
def row_y(index: int) -> int:
    return 22 * index


@register.filter
def chart_height(rows: int) -> int:
    return 22 * rows + 4
