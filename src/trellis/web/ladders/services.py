"""Storing, activating and reading ladder versions."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction

from trellis.ladder.load import LoadedLadder, load_default, parse_ladder
from trellis.ladder.model import Ladder
from trellis.web.ladders.models import LadderVersion

_parsed: dict[str, Ladder] = {}


def ladder_of(version: LadderVersion) -> Ladder:
    """The parsed ladder of a stored version (parsed once per process: versions never change)."""
    if version.sha256 not in _parsed:
        _parsed[version.sha256] = parse_ladder(version.content, f"ladder version {version.number}").ladder
    return _parsed[version.sha256]


def store_version(loaded: LoadedLadder, *, activate: bool = True, user: Any = None) -> LadderVersion:
    """Store a validated ladder as a new version; a byte-identical one is reused, not duplicated."""
    sha = hashlib.sha256(loaded.text.encode("utf-8")).hexdigest()
    with transaction.atomic():
        version = LadderVersion.objects.filter(sha256=sha).first()
        if version is None:
            last = LadderVersion.objects.order_by("-number").values_list("number", flat=True).first()
            version = LadderVersion.objects.create(
                number=(last or 0) + 1, ladder_id=loaded.ladder.id, name=loaded.ladder.name,
                label=loaded.ladder.version, content=loaded.text, sha256=sha, source=loaded.source,
                loaded_by=user if getattr(user, "is_authenticated", False) else None,
            )
        if activate:
            activate_version(version.number)
            version.refresh_from_db()
    return version


def activate_version(number: int) -> LadderVersion:
    with transaction.atomic():
        version = LadderVersion.objects.select_for_update().get(number=number)
        LadderVersion.objects.filter(is_active=True).exclude(pk=version.pk).update(is_active=False)
        if not version.is_active:
            LadderVersion.objects.filter(pk=version.pk).update(is_active=True)
    return version


def active_version() -> LadderVersion | None:
    return LadderVersion.objects.filter(is_active=True).first()


def active_ladder() -> Ladder:
    """The active ladder; the built-in default until an organisation loads its own."""
    version = active_version()
    return ladder_of(version) if version else load_default().ladder


def ensure_default_ladder() -> LadderVersion:
    """Load the built-in ladder as the active version if no version is active."""
    version = active_version()
    return version if version else store_version(load_default())
