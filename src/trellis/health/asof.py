"""The date a health report is asked for: a real date, and not after today."""

from __future__ import annotations

from datetime import date

from trellis.lib.problems import InputError, Problem


def parse_as_of(text: str | None, source: str, *, today: date, hint: str = "") -> date | None:
    """``None`` for no date (today's health); raise InputError naming ``source`` for a bad one."""
    if text is None or not text.strip():
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InputError([Problem(source, None, f"'{text}' is not a date: write it as YYYY-MM-DD")]) from None
    if day > today:
        raise InputError([Problem(source, None, f"{day} is in the future: health is known up to today{hint}")])
    return day
