"""Template helpers for growth's pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any] | None, key: str) -> Any:
    """``{{ names|get_item:c }}``: a value of a mapping by a key held in a variable."""
    return (mapping or {}).get(key)
