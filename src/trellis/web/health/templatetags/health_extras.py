"""Template helpers for findings, wherever a page lists them (health, team and person pages, home,
what-if, promotions): what the page knows about each finding beyond the finding itself."""

from __future__ import annotations

from typing import Any

from django import template

from trellis.health.report import Finding

register = template.Library()


@register.simple_tag(takes_context=True)
def person_name(context: dict[str, Any], person_id: str | None) -> str:
    """``{% person_name f.person as name %}``: the person's name when the page looked it up
    (``names``), else an empty string (the page shows the id alone)."""
    return (context.get("names") or {}).get(person_id or "", "")


@register.simple_tag(takes_context=True)
def note_of(context: dict[str, Any], finding: Finding) -> str:
    """``{% note_of f as note %}``: why the finding is listed here when it is not plain (``notes``:
    "about its tech lead" on a team's page)."""
    return (context.get("notes") or {}).get(finding.key, "")


@register.simple_tag(takes_context=True)
def lapse_of(context: dict[str, Any], finding: Finding) -> Any:
    """``{% lapse_of f as lapse %}``: an acknowledgement that no longer covers this open finding, and why
    (``lapsed``, from the report)."""
    return (context.get("lapsed") or {}).get(finding.key)


@register.simple_tag(takes_context=True)
def level_title(context: dict[str, Any], level_id: str | None) -> str:
    """``{% level_title f.level as title %}``: the level's title in the page's ladder (``ladder``), else its id."""
    ladder = context.get("ladder")
    level = ladder.levels_by_id.get(level_id) if ladder is not None and level_id else None
    return level.title if level is not None else (level_id or "")
