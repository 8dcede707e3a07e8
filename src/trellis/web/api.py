"""The JSON API (django-ninja). OpenAPI schema at /api/openapi.json, browsable docs at /api/docs.

Authentication is the signed-in session (CSRF-checked for writes), so the API sees
exactly what the pages see.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import SessionAuth

from trellis.web.growth.api import router as growth_router
from trellis.web.health.api import router as health_router
from trellis.web.ladders.services import active_ladder
from trellis.web.org.api import router as org_router
from trellis.web.promotions.api import router as promotions_router

api = NinjaAPI(title="Trellis API", version="1", auth=SessionAuth(csrf=True), urls_namespace="api")


@api.get("/ladder", summary="The active ladder", tags=["ladder"])
def ladder(request: HttpRequest) -> dict[str, Any]:
    return active_ladder().model_dump(mode="json")


api.add_router("/org/", org_router)
api.add_router("/health/", health_router)
api.add_router("/growth/", growth_router)
api.add_router("/promotions/", promotions_router)
