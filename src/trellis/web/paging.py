"""Long lists on a page, one page of them at a time, with pager links that keep the rest of the address."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

T = TypeVar("T")


def page_of(request: HttpRequest, param: str, items: Sequence[T], per_page: int) -> Page[T]:
    """The page of ``items`` that the address's ``param`` asks for (the first when it is missing or bad)."""
    return Paginator(items, per_page).get_page(request.GET.get(param))


def query_without(request: HttpRequest, param: str) -> str:
    """The page's address query without ``param``: a pager link keeps the date, the filters and the
    other lists' pages."""
    kept = request.GET.copy()
    kept.pop(param, None)
    return kept.urlencode()
