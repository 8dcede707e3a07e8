"""Sign-in throttling counts failures per account and per client address (django-axes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest

ACCOUNT, ADDRESS = "account", "address"


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


@dataclass(frozen=True)
class Pause:
    """Why sign-in is paused: the account's failures or the address's reached their limit."""

    by: str  # ACCOUNT or ADDRESS
    limit: int


def _failures(attempts: QuerySet[Any]) -> int:
    return int(attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0)


class AccountAndAddressLimits(AxesDatabaseHandler):
    """django-axes' database handler with one limit per account and another, higher one per address.

    django-axes compares the highest count over its lockout parameters with one limit; its
    maintainers answer a request for separate limits with "write a handler" (jazzband/django-axes
    issue 661). An office behind one address makes a few typos an hour between dozens of people:
    with the account's limit of 5 for the address too, one person's bad morning would pause
    everyone there. So failures are counted twice (``AXES_LOCKOUT_PARAMETERS``: the account, then
    the address) and each count is held against its own limit: ``AXES_FAILURE_LIMIT`` for an
    account, ``TRELLIS_SIGN_IN_ADDRESS_FAILURES`` for an address.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        account, address = (_failures(a) for a in self.get_user_attempts(request, credentials))
        limit, address_limit = int(settings.AXES_FAILURE_LIMIT), int(settings.TRELLIS_SIGN_IN_ADDRESS_FAILURES)
        paused = (Pause(ACCOUNT, limit) if account >= limit else
                  Pause(ADDRESS, address_limit) if address >= address_limit else None)
        # The lockout page says which limit was reached and how to lift that pause.
        request.sign_in_paused = paused  # type: ignore[attr-defined]
        # django-axes pauses when this reaches AXES_FAILURE_LIMIT: say the limit for either pause.
        return limit if paused else account

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """A successful sign-in clears its account's failures only: one valid account must not wipe
        the count of an address that is guessing at other accounts."""
        return int(self.filter_user_attempts(request, credentials)[0].delete()[0])
