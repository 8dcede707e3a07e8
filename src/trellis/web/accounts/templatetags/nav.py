"""The site's main links, written once per kind of page and kind of user rather than on every request."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_written: dict[tuple[Any, ...], SafeString] = {}


@register.simple_tag(takes_context=True)
def main_nav(context: template.Context) -> SafeString:
    """``{% main_nav %}``: the links of the main navigation, the current page marked. They depend only on
    the page's name, whether the viewer works in HR (or is an admin) and where the site is mounted; ten
    addresses to reverse on every page a signed-in user opens, so each variant is written once."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    url_name = match.url_name if match is not None else None
    hr = bool(context.get("is_hr_or_admin"))
    key = (get_script_prefix(), url_name, hr)
    written = _written.get(key)
    if written is None:
        # Without the template's own first and last line breaks: the page's lines stay as they were.
        text = render_to_string("_main_nav.html", {"url_name": url_name, "is_hr_or_admin": hr})
        written = _written[key] = mark_safe(text.lstrip().removesuffix("\n"))
    return written
