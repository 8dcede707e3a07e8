"""The product's URLs plus one page that fails, to see what a server error leaves behind."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from trellis.web.urls import urlpatterns as product_urls


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the disk is on fire")


urlpatterns = [path("fails/", fails), *product_urls]
