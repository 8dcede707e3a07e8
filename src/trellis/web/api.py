"""The JSON API (django-ninja). OpenAPI schema at /api/openapi.json, browsable docs at /api/docs.

Authentication is the signed-in session (CSRF-checked for writes), so the API sees
exactly what the pages see.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Swagger
from ninja.security import SessionAuth

from trellis.web import api_errors
from trellis.web.growth.api import router as growth_router
from trellis.web.health.api import router as health_router
from trellis.web.health.scenario_api import router as scenarios_router
from trellis.web.ladders.services import active_ladder
from trellis.web.org.api import router as org_router
from trellis.web.promotions.api import router as promotions_router


class TrellisAPI(NinjaAPI):
    """The schema documents every error an operation can answer (see ``api_errors``)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> Any:
        return api_errors.document_errors(super().get_openapi_schema(path_prefix=path_prefix,
                                                                     path_params=path_params))


# Swagger UI comes from django-ninja's own static files ("ninja" is an installed app), so the docs
# work offline and load nothing from a third-party origin; no validator badge calling out either.
api = TrellisAPI(title="Trellis API", version="1", auth=SessionAuth(csrf=True), urls_namespace="api",
                 docs=Swagger(settings={"validatorUrl": None}))
api_errors.install(api)


@api.get("/ladder", summary="The active ladder", tags=["ladder"])
def ladder(request: HttpRequest) -> dict[str, Any]:
    return active_ladder().model_dump(mode="json")


api.add_router("/org/", org_router)
api.add_router("/health/", health_router)
api.add_router("/health/", scenarios_router)
api.add_router("/growth/", growth_router)
api.add_router("/promotions/", promotions_router)
