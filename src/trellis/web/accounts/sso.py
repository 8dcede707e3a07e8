"""Single sign-on with the company's OpenID Connect identity provider (mozilla-django-oidc).

The library runs the redirect flow and checks the tokens; Trellis decides who the person is:
the account whose e-mail matches, or a new account for the person in the organisation with
that e-mail. HR and admin can follow the identity provider's groups claim.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from trellis.web.accounts import services


def enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


class PersonFromIdentityProvider(OIDCAuthenticationBackend):
    """Signs in the person the identity provider vouches for, matched by e-mail."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Backends are built for every sign-in, passwords included: without SSO there is nothing to set up.
        if enabled():
            super().__init__(*args, **kwargs)
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not enabled():
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


class SignInAtIdentityProvider(OIDCAuthenticationRequestView):
    """Sends the browser to the identity provider; 404 when SSO is not configured."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if enabled():
            super().__init__(*args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404("Single sign-on is not configured.")
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
