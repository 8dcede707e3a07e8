from __future__ import annotations

from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse

from trellis.web.api_errors import problem


class SignInRequired(LoginRequiredMiddleware):
    """Every page needs sign-in; the API answers 401 in JSON instead of redirecting."""

    def handle_no_permission(  # type: ignore[override]
        self, request: HttpRequest, view_func: Any
    ) -> HttpResponse:
        if request.path.startswith("/api/"):
            return problem(401, "Sign in first: the API uses your signed-in session.")
        return super().handle_no_permission(request, view_func)
