"""One way to write a date on every page: ``{{ value|day }}`` ("3 Mar 2025"), and today in every template.

Built into the template engine (settings ``TEMPLATES``), so no template loads it. Input
fields keep the ISO form (``|date:'Y-m-d'``) that the browser's date picker needs.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.http import HttpRequest
from django.utils import timezone

from trellis.lib import clock

register = template.Library()

DAY = clock.DAY


@register.filter
def day(value: date | datetime | None) -> str:
    """``3 Mar 2025``; a moment also gets its time in the deployment's time zone (``3 Mar 2025 14:05``)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime(f"{DAY} %H:%M")
    return clock.written(value)


def context(request: HttpRequest) -> dict[str, Any]:
    """``today`` for every template: the print stamp and date fields read it."""
    return {"today": clock.today()}
