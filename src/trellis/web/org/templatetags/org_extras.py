"""Template helpers for the organisation pages."""

from __future__ import annotations

from typing import Any

from django import template

from trellis.web.org.queries import LevelInfo, level_info
from trellis.web.org.timeline import ROLE_LABELS

register = template.Library()


@register.simple_tag(takes_context=True)
def level_of(context: dict[str, Any], level_id: str) -> LevelInfo:
    """``{% level_of person.level as lv %}``: the title and track of a level in the page's ladder."""
    return level_info(context["ladder"], level_id)


@register.filter
def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)
