"""Template helpers for the organisation pages."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import quote

from django import template
from django.urls import get_script_prefix, reverse

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


@register.simple_tag(takes_context=True)
def next_level(context: dict[str, Any], level_id: str) -> LevelInfo | None:
    """``{% next_level person.level as nxt %}``: the level after this one on its own track, if any."""
    ladder = context["ladder"]
    level = ladder.levels_by_id.get(level_id)
    if level is None:
        return None
    above = [lv for lv in ladder.track_levels(level.track) if lv.grade > level.grade]
    return level_info(ladder, min(above, key=lambda lv: lv.grade).id) if above else None


@register.filter
def of(mapping: dict[str, Any], key: str) -> Any:
    """``{{ names|of:id }}``: one entry of a mapping the view made."""
    return mapping.get(key, "")


# What Django's reverse() leaves unquoted in a path (django.urls.resolvers): the same quoting here.
_PATH_SAFE = "!$&'()*+,;=/~:@"


@cache
def _address_of(name: str, prefix: str) -> tuple[str, str]:
    before, after = reverse(name, args=["ID"]).split("ID", 1)
    return before, after


def _address(name: str, value: str) -> str:
    before, after = _address_of(name, get_script_prefix())
    return f"{before}{quote(str(value), safe=_PATH_SAFE)}{after}"


@register.filter
def person_url(external_id: str) -> str:
    """``{{ p.external_id|person_url }}``: the person's page, as ``{% url 'org-person' id %}`` writes it,
    without resolving the route again for every row of a long list."""
    return _address("org-person", external_id)


@register.filter
def team_url(name: str) -> str:
    """``{{ team.name|team_url }}``: the team's page, as ``{% url 'org-team' name %}`` writes it."""
    return _address("org-team", name)
