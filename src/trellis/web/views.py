from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from trellis.web.ladders import services


def home(request: HttpRequest) -> HttpResponse:
    ladder = services.active_ladder()
    return render(request, "trellis/home.html", {"ladder": ladder})
