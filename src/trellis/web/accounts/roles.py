"""Roles are Django groups: ``admin`` and ``hr``; everyone else is an ordinary user.

Superusers count as admin. Later capabilities add what managers and tech leads may
see, derived from the organisation rather than from groups.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import connection
from django.http import HttpRequest

ADMIN = "admin"
HR = "hr"
ROLE_GROUPS = (ADMIN, HR)


def group_names(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_trellis_groups", None)
    if cached is None:
        # Every signed-in page asks (for its menu): one plain query rather than the ORM's, which
        # costs more to put together than to run.
        qn = connection.ops.quote_name
        group, link = Group._meta.db_table, user.groups.through._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT g.{qn('name')} FROM {qn(group)} g JOIN {qn(link)} l"
                           f" ON l.{qn('group_id')} = g.{qn('id')} WHERE l.{qn('user_id')} = %s", [user.pk])
            cached = {name for (name,) in cursor.fetchall()}
        user._trellis_groups = cached
    return cached


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or ADMIN in group_names(user)


def is_hr_or_admin(user: Any) -> bool:
    return is_admin(user) or HR in group_names(user)


def context(request: HttpRequest) -> dict[str, bool]:
    user = request.user
    return {"is_admin": is_admin(user), "is_hr_or_admin": is_hr_or_admin(user)}
