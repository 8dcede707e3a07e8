"""Uploaded files waiting between the preview and the confirmation of an import.

The bytes and the choices made in the form wait in the database (``PendingUpload``), so
every web instance can confirm what another previewed, with no shared folder and no sticky
sessions. The confirmation form carries only a random token; a waiting upload is found by
that token and the user who uploaded it, never by anyone else, and it expires after
``TRELLIS_PENDING_UPLOAD_HOURS``. What is confirmed is exactly what was previewed.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings

from trellis.lib import clock
from trellis.web.org.models import PendingUpload


def keep(user: Any, data: bytes, source: str, options: dict[str, Any]) -> str:
    """Store the bytes and how to read them for ``user``; returns the token that names them."""
    remove_expired()
    token = secrets.token_hex(32)
    PendingUpload.objects.create(
        token=token, created_by=user, source=source[:500], data=data, options=options,
        expires_at=clock.now() + timedelta(hours=float(settings.TRELLIS_PENDING_UPLOAD_HOURS)))
    return token


def fetch(user: Any, token: str) -> PendingUpload | None:
    """The upload ``user`` left under ``token``, or None when there is none, it expired or it is someone else's."""
    if not token or not getattr(user, "is_authenticated", False):
        return None
    return PendingUpload.objects.filter(token=token, created_by=user, expires_at__gt=clock.now()).first()


def drop(token: str) -> None:
    PendingUpload.objects.filter(token=token).delete()


def remove_expired() -> int:
    """Remove the uploads nobody confirmed in time; returns how many."""
    return PendingUpload.objects.filter(expires_at__lte=clock.now()).delete()[0]
