"""Local passwords: for small installations; TRELLIS_PASSWORD_SIGN_IN=0 turns them off."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


class LocalPasswords(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> Any:
        if not settings.TRELLIS_PASSWORD_SIGN_IN:
            return None
        return super().authenticate(request, username, password, **kwargs)
