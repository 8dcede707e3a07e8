"""The web applies approved proposals on their date: the first request of each day (per
process) applies what has come due, so a deployment without a scheduled
``trellis promotions apply-due`` still changes the organisation on time."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from trellis.web.promotions import services

log = logging.getLogger(__name__)


class ApplyDueProposals:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            services.apply_due_once_a_day()
        except Exception:  # a failed apply must not take the site down; the next day or the command retries
            log.exception("applying the proposals due today failed")
        return self.get_response(request)
