"""Uploaded files waiting between the preview and the confirmation of an import.

The bytes stay on the server, named by their SHA-256: the confirmation form carries only
that name, the session remembers which name this user previewed, and the bytes are checked
against it again before they are imported. So what is confirmed is exactly what was
previewed, and a client cannot swap the file in between. The folder is the system's
temporary folder, so several web workers on one machine share it.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import time
from pathlib import Path

KEEP_SECONDS = 24 * 3600  # an upload nobody confirms is removed after a day
_TOKEN = re.compile(r"^[0-9a-f]{64}$")


def folder() -> Path:
    path = Path(tempfile.gettempdir()) / "trellis-pending-imports"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def keep(data: bytes) -> str:
    """Store the bytes; returns their token (the hex SHA-256)."""
    _remove_stale()
    token = hashlib.sha256(data).hexdigest()
    target = folder() / token
    if not target.exists():
        partial = target.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(target)
    return token


def fetch(token: str) -> bytes | None:
    """The bytes stored under ``token``, or None when missing, expired or altered."""
    if not _TOKEN.match(token):
        return None
    try:
        data = (folder() / token).read_bytes()
    except FileNotFoundError:
        return None
    return data if hashlib.sha256(data).hexdigest() == token else None


def drop(token: str) -> None:
    if _TOKEN.match(token):
        (folder() / token).unlink(missing_ok=True)


def _remove_stale() -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except FileNotFoundError:
            pass  # another worker removed it first
