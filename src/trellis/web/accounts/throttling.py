"""Sign-in throttling counts failures per account and per client address (django-axes)."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The address of the client, not of the proxy in front of Trellis.

    Each of the ``TRELLIS_PROXY_COUNT`` proxies appends the address it received the request from to
    ``X-Forwarded-For``; the entry the outermost one added is the client's. Entries further left were
    sent by the client itself and prove nothing, so they are never used.
    """
    count = settings.PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


class SignInThrottle(AxesStandaloneBackend):
    """django-axes' check, first of the authentication backends.

    Every sign-in over HTTP passes its request and is throttled. ``authenticate()`` called from
    code without a request (the test client, a shell) cannot come from an attacker's browser and
    has no address to count, so it is let through instead of failing.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
