"""Roles are Django groups: ``admin`` and ``hr``; everyone else is an ordinary user.

Superusers count as admin. Later capabilities add what managers and tech leads may
see, derived from the organisation rather than from groups.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

ADMIN = "admin"
HR = "hr"
ROLE_GROUPS = (ADMIN, HR)


def group_names(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_trellis_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._trellis_groups = cached
    return cached


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or ADMIN in group_names(user)


def is_hr_or_admin(user: Any) -> bool:
    return is_admin(user) or HR in group_names(user)


def context(request: HttpRequest) -> dict[str, bool]:
    user = request.user
    return {"is_admin": is_admin(user), "is_hr_or_admin": is_hr_or_admin(user)}
