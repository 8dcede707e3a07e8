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


@register.filter
def step_name(scale: list[Any], position: int) -> str:
    """The id of the step at ``position`` on the scale."""
    return scale[position].id if 0 <= position < len(scale) else ""


@register.filter
def rater_y(index: int) -> int:
    return 26 * index


@register.filter
def rater_height(rows: int) -> int:
    return 26 * rows + 24


@register.filter
def rater_legend_x(index: int) -> int:
    return 85 * index


@register.filter
def any_reason(bars: list[tuple[Any, Any]]) -> bool:
    return any(r.reason for r, _ in bars)
