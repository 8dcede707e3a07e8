"""Single sign-on with the company's OpenID Connect identity provider (mozilla-django-oidc).

The library runs the redirect flow and checks the tokens; Trellis decides who the person is:
the account whose e-mail matches, or a new account for the person in the organisation with
that e-mail. HR and admin can follow the identity provider's groups claim.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView, OIDCLogoutView

from trellis.web.accounts import discovery, services
from trellis.web.accounts.discovery import DiscoveryFailed

# Where mozilla-django-oidc keeps the ID token in the session (OIDC_STORE_ID_TOKEN): signing out sends it back.
ID_TOKEN = "oidc_id_token"


def enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


class PersonFromIdentityProvider(OIDCAuthenticationBackend):
    """Signs in the person the identity provider vouches for, matched by e-mail."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Backends are built for every sign-in, passwords included: without SSO there is nothing to set
        # up, and an identity provider that cannot be reached must not stop password sign-ins.
        self.unavailable = _set_up(super().__init__, *args, **kwargs)
        self.UserModel = get_user_model()

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return discovery.setting(attr, *args)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not enabled() or request is None or "code" not in request.GET:
            return None  # a password sign-in, or a call from code: not the identity provider's redirect back
        if self.unavailable is not None:
            messages.error(request, _unreachable(self.unavailable))
            return None
        return super().authenticate(request, **kwargs)

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return services.accounts_for_email(claims.get("email") or "")

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not claims.get("email"):
            self._refuse("The identity provider did not say your e-mail address; ask its administrators "
                         "to release the email claim to Trellis.")
            return False
        if claims.get("email_verified") is False:
            self._refuse(f"The identity provider has not verified {claims['email']}.")
            return False
        return True

    def create_user(self, claims: dict[str, Any]) -> Any:
        roles = self._roles(claims)
        user = services.account_for_new_person(claims["email"], _names(claims), roles)
        if user is None:
            self._refuse(f"Nobody in the organisation has the e-mail address {claims['email']}: "
                         "ask HR to add you (or to correct your e-mail address), then sign in again.")
        return user

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        return services.update_account(user, _names(claims), self._roles(claims))

    def _roles(self, claims: dict[str, Any]) -> set[str] | None:
        """The Trellis role groups the claim grants, or None when roles are managed in Trellis."""
        admin_groups, hr_groups = settings.TRELLIS_SSO_ADMIN_GROUPS, settings.TRELLIS_SSO_HR_GROUPS
        if not (admin_groups or hr_groups):
            return None
        claimed = claims.get(settings.TRELLIS_SSO_GROUPS_CLAIM) or []
        claimed = {claimed} if isinstance(claimed, str) else set(claimed)
        return services.roles_from_groups(claimed, admin_groups, hr_groups)

    def _refuse(self, message: str) -> None:
        messages.error(self.request, message)


def _names(claims: dict[str, Any]) -> tuple[str, str]:
    given, family = claims.get("given_name") or "", claims.get("family_name") or ""
    if not (given or family) and claims.get("name"):
        given, _, family = str(claims["name"]).partition(" ")
    return given, family


def _set_up(init: Callable[..., None], *args: Any, **kwargs: Any) -> DiscoveryFailed | None:
    """Set up a part of sign-in with the identity provider, when SSO is on: the failed discovery, if any,
    is kept to be said on the sign-in page, so that passwords still work while the provider is away."""
    if enabled():
        try:
            init(*args, **kwargs)
        except DiscoveryFailed as exc:
            return exc
    return None


def _unreachable(exc: DiscoveryFailed) -> str:
    return f"Signing in with {settings.TRELLIS_SSO_NAME} is not possible right now: {exc}. Tell an administrator."


class SignInAtIdentityProvider(OIDCAuthenticationRequestView):
    """Sends the browser to the identity provider; 404 when SSO is not configured."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.unavailable = _set_up(super().__init__, *args, **kwargs)

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return discovery.setting(attr, *args)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404("Single sign-on is not configured.")
        if self.unavailable is not None:
            messages.error(request, _unreachable(self.unavailable))
            return HttpResponseRedirect(resolve_url("login"))
        return super().get(request)


class BackFromIdentityProvider(OIDCAuthenticationCallbackView):
    """Where the identity provider sends the browser back; failures return to the sign-in page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404("Single sign-on is not configured.")
        if request.GET.get("error"):
            messages.error(request, "The identity provider did not sign you in ("
                           f"{request.GET.get('error_description') or request.GET['error']}).")
        return super().get(request)

    @property
    def failure_url(self) -> str:
        return resolve_url("login")

    def login_failure(self) -> HttpResponse:
        if not messages.get_messages(self.request):
            messages.error(self.request, "Signing in with the identity provider failed; try again.")
        return HttpResponseRedirect(self.failure_url)


def _end_session_endpoint(request: HttpRequest) -> str:
    """The provider's end_session_endpoint when the signed-in person came through the provider; else ""."""
    if not (enabled() and request.session.get(ID_TOKEN)):
        return ""
    try:
        return discovery.endpoint("OIDC_OP_END_SESSION_ENDPOINT")
    except DiscoveryFailed:
        return ""  # signed out of Trellis at least; the provider's own session ends when it expires


def provider_sign_out_url(request: HttpRequest) -> str:
    """Where signing out of Trellis sends the browser (``OIDC_OP_LOGOUT_URL_METHOD``).

    Someone who signed in with the identity provider is signed out there too (OpenID Connect
    RP-Initiated Logout 1.0): its ``end_session_endpoint`` with the ID token they signed in with and
    the address to come back to, Trellis's sign-in page, which must be registered at the provider as
    a post-logout redirect URI. Otherwise, or when the provider has no such endpoint, the sign-in page.
    """
    back = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    end_session = _end_session_endpoint(request)
    if not end_session:
        return back
    query = urlencode({"id_token_hint": request.session[ID_TOKEN], "post_logout_redirect_uri": back,
                       "client_id": settings.OIDC_RP_CLIENT_ID})
    return f"{end_session}{'&' if '?' in end_session else '?'}{query}"


class SignOut(OIDCLogoutView):
    """Signs out of Trellis (a POST, as Django's own sign-out), and of the identity provider too."""

    @property
    def redirect_url(self) -> str:
        return str(resolve_url(settings.LOGOUT_REDIRECT_URL))


class PolicyWithIdentityProvider(CSPMiddleware):
    """The content security policy (django-csp), letting the sign-out form lead to the identity provider.

    ``form-action 'self'`` also governs where a form's answer may redirect: the sign-out form's
    answer sends the browser to the provider's end_session_endpoint, which the browser would
    refuse. Only for someone who signed in through the provider, only that origin is added."""

    def get_policy_parts(self, request: HttpRequest, response: Any, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        user = getattr(request, "user", None)
        if report_only or user is None or not user.is_authenticated:
            return parts
        end_session = _end_session_endpoint(request)
        if end_session:
            where = urlsplit(end_session)
            parts.update = {**(parts.update or {}), "form-action": [f"{where.scheme}://{where.netloc}"]}
        return parts
