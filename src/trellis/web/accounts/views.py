"""The sign-in page: the company's identity provider, local passwords, or both."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from trellis.web.accounts import sso

PASSWORDS_OFF = "Sign-in with a password is turned off here: use the button to sign in with {name}."


class SignInView(auth_views.LoginView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(sso_enabled=sso.enabled(), sso_name=settings.TRELLIS_SSO_NAME,
                       password_sign_in=settings.TRELLIS_PASSWORD_SIGN_IN)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.TRELLIS_PASSWORD_SIGN_IN:
            context = self.get_context_data(form=self.get_form(), refused=PASSWORDS_OFF.format(
                name=settings.TRELLIS_SSO_NAME))
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)
