"""The identity provider's endpoints, read from its discovery document.

An operator gives the issuer (``TRELLIS_OIDC_ISSUER``, e.g. ``https://login.example.org``); the
endpoints and the signing keys' address come from ``ISSUER/.well-known/openid-configuration``
(OpenID Connect Discovery 1.0), read once per process at start-up (``trellis serve`` and
``trellis manage check`` run the check below) or on first use, and kept. An endpoint set
explicitly (``TRELLIS_OIDC_TOKEN_ENDPOINT``...) overrides what the document says, for a provider
whose document is wrong or a network that cannot reach it.
"""

from __future__ import annotations

import threading
from typing import Any

import requests
from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

WELL_KNOWN = "/.well-known/openid-configuration"

# The Django setting mozilla-django-oidc (or Trellis, for signing out) reads -> the discovery document's key.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_END_SESSION_ENDPOINT": "end_session_endpoint",
}
# Without these no one can sign in; a provider without end_session_endpoint only signs out of Trellis.
REQUIRED = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
# The environment setting that overrides each endpoint (docs/deploy.md), for messages.
ENVIRONMENT = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "TRELLIS_OIDC_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT": "TRELLIS_OIDC_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT": "TRELLIS_OIDC_USERINFO_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT": "TRELLIS_OIDC_JWKS_ENDPOINT",
    "OIDC_OP_END_SESSION_ENDPOINT": "TRELLIS_OIDC_END_SESSION_ENDPOINT",
}


class DiscoveryFailed(ImproperlyConfigured):
    """The issuer's discovery document could not be read, or does not describe that issuer."""


_documents: dict[str, dict[str, Any]] = {}
_lock = threading.Lock()


def _address(issuer: str) -> str:
    return issuer.rstrip("/") + WELL_KNOWN


def _read(issuer: str) -> dict[str, Any]:
    address = _address(issuer)
    where = f"the identity provider's discovery document {address} (TRELLIS_OIDC_ISSUER)"
    try:
        answer = requests.get(address, timeout=getattr(settings, "OIDC_TIMEOUT", None) or 10,
                              verify=getattr(settings, "OIDC_VERIFY_SSL", True),
                              proxies=getattr(settings, "OIDC_PROXY", None), headers={"Accept": "application/json"})
    except requests.RequestException as exc:
        raise DiscoveryFailed(f"{where} could not be reached ({type(exc).__name__}): check the issuer's address and "
                              "that this server can reach it") from exc
    if answer.status_code != 200:
        raise DiscoveryFailed(f"{where} answered HTTP {answer.status_code}: the issuer's address is probably wrong "
                              "(it is the address before /.well-known/...)")
    try:
        document = answer.json()
    except ValueError as exc:
        raise DiscoveryFailed(f"{where} is not JSON: the issuer's address is probably wrong") from exc
    if not isinstance(document, dict):
        raise DiscoveryFailed(f"{where} is not a JSON object")
    # The document must be the issuer's own (OpenID Connect Discovery 1.0, section 4.3): a document
    # naming another issuer means a wrong address or a provider set up for another host name.
    if str(document.get("issuer", "")).rstrip("/") != issuer.rstrip("/"):
        raise DiscoveryFailed(f"{where} names the issuer {document.get('issuer')!r}, not {issuer!r}: set "
                              "TRELLIS_OIDC_ISSUER to exactly the issuer the provider names")
    missing = [key for key in REQUIRED if not isinstance(document.get(key), str) or not document[key]]
    if missing:
        raise DiscoveryFailed(f"{where} lacks {', '.join(missing)}: set the matching TRELLIS_OIDC_*_ENDPOINT "
                              "settings by hand")
    return document


def document(issuer: str) -> dict[str, Any]:
    """The issuer's discovery document, read once per process and kept; ``DiscoveryFailed`` otherwise.

    A failure is not kept: the next use tries again, so a provider that was down at start-up is
    found once it is back."""
    with _lock:
        if issuer not in _documents:
            _documents[issuer] = _read(issuer)
        return _documents[issuer]


def forget() -> None:
    """Read the documents again on next use (a provider that moved its endpoints or rotated its keys' address)."""
    with _lock:
        _documents.clear()


def endpoint(name: str) -> str:
    """The endpoint for the Django setting ``name``: the explicit setting, else the issuer's document's;
    ``""`` when neither says (a provider without ``end_session_endpoint``)."""
    explicit = getattr(settings, name, "") or ""
    if explicit:
        return str(explicit)
    issuer = getattr(settings, "OIDC_OP_ISSUER", "")
    if not issuer:
        return ""
    return str(document(issuer).get(ENDPOINTS[name]) or "")


def setting(name: str, *default: Any) -> Any:
    """What mozilla-django-oidc reads as ``settings.NAME``, with the endpoints found by discovery."""
    from mozilla_django_oidc.utils import import_from_settings

    if name in ENDPOINTS:
        found = endpoint(name)
        if found:
            return found
        if default:
            return default[0]
        raise ImproperlyConfigured(f"no {ENVIRONMENT[name]} and no TRELLIS_OIDC_ISSUER to discover it from")
    return import_from_settings(name, *default)


@register("sso", deploy=False)
def check_identity_provider(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """With single sign-on on, every endpoint a sign-in needs is known: set by hand or discovered now."""
    if not getattr(settings, "OIDC_RP_CLIENT_ID", ""):
        return []
    issuer = getattr(settings, "OIDC_OP_ISSUER", "")
    needed = [name for name, key in ENDPOINTS.items() if key in REQUIRED and not getattr(settings, name, "")]
    if not needed:
        return []
    if not issuer:
        return [Error("Single sign-on is on (TRELLIS_OIDC_CLIENT_ID) but the identity provider is unknown",
                      hint="set TRELLIS_OIDC_ISSUER to the provider's issuer (its endpoints are then read from "
                           f"ISSUER{WELL_KNOWN}), or set " + ", ".join(ENVIRONMENT[n] for n in needed),
                      id="trellis.E001")]
    try:
        document(issuer)
    except DiscoveryFailed as exc:
        return [Error(f"Single sign-on cannot start: {exc}", id="trellis.E002")]
    return []
