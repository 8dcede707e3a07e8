"""Every error of the JSON API answers in one documented shape, and the schema says which.

The shape is the import's: ``{"detail": "what went wrong", "problems": [...]}``, where each
problem names its ``source``, ``line``, ``column``, ``message`` and ``severity``; ``problems``
is empty when there is nothing more precise to say than ``detail``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from trellis.web.org.api import ProblemOut, ProblemsOut

PROBLEMS = "ProblemsOut"
PROBLEMS_REF = {"$ref": f"#/components/schemas/{PROBLEMS}"}
WHY = {
    400: "The input has problems: nothing was done",
    401: "Not signed in: the API uses the signed-in session",
    403: "Signed in, but not allowed (a role is missing, or the CSRF token for a change)",
    404: "Nothing here by that name or number",
    409: "Refused by a policy of the deployment unless confirmed; nothing was done",
    413: "The upload is larger than the deployment accepts; nothing was read",
    422: "A parameter or the body is missing or of the wrong type; each problem names it",
    500: "The server failed; the error is logged with its traceback",
}
logger = logging.getLogger("django.request")


def problem(status: int, detail: str, problems: list[ProblemOut] | None = None) -> JsonResponse:
    body = ProblemsOut(detail=detail, problems=problems or [])
    return JsonResponse(body.model_dump(), status=status)


def install(api: NinjaAPI) -> None:
    """Answer every exception an operation raises as a problem."""

    def handler(status: Callable[[Exception], int], detail: Callable[[Exception], str]) -> Any:
        return lambda request, exc: problem(status(exc), detail(exc))

    api.add_exception_handler(HttpError, handler(lambda e: e.status_code, str))  # type: ignore[attr-defined]
    api.add_exception_handler(Http404, handler(lambda e: 404, lambda e: str(e) or "Not found."))
    api.add_exception_handler(PermissionDenied, handler(lambda e: 403, lambda e: str(e) or "Not allowed."))
    api.add_exception_handler(ValidationError, _invalid)  # type: ignore[arg-type]
    api.add_exception_handler(Exception, _failed)  # type: ignore[arg-type]


def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        where = [str(part) for part in error.get("loc", ())]
        problems.append(ProblemOut(source=where[0] if where else "request", line=None,
                                   column=".".join(where[1:]) or None, message=error.get("msg", "invalid"),
                                   severity="error"))
    return problem(422, "The request has problems: nothing was done.", problems)


def _failed(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error("Internal Server Error: %s", request.path, exc_info=exc,
                 extra={"status_code": 500, "request": request})
    return problem(500, "The server failed to answer; the error is logged. Try again, or tell the administrators.")


class ApiErrorsAsProblems:
    """Errors answered before or around the API (no such URL, wrong method, a failing view) become problems too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (request.path.startswith("/api/") and response.status_code >= 400
                and not response.get("Content-Type", "").startswith("application/json")):
            status = response.status_code
            reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
            replaced = problem(status, f"{reason}: {request.method} {request.path}.")
            for header in ("Allow", "Retry-After"):
                if header in response:
                    replaced[header] = response[header]
            return replaced
        return response


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add to each operation the errors it can answer, all in the problem shape.

    401: every operation (the signed-in session); 403: every change (CSRF) and operations
    declaring it (roles); 404: operations with a path parameter; 422: operations with inputs;
    400 and 409 where declared. The declared ones keep their place; all share one schema.
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problems_schema = ProblemsOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(problems_schema.pop("$defs", {}))
    components.setdefault(PROBLEMS, problems_schema)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            codes = {401} | {int(code) for code in operation.get("responses", {}) if str(code)[0] in "45"}
            if method != "get":
                codes.add(403)
            if "{" in path:
                codes.add(404)
            if operation.get("parameters") or operation.get("requestBody"):
                codes.add(422)
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses[code] = {"description": WHY.get(code, HTTPStatus(code).phrase),
                                   "content": {"application/json": {"schema": PROBLEMS_REF}}}
    return schema
