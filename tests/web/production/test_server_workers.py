"""`trellis serve`'s workers: what the server loads before forking them stays out of the collector's full
passes, each of which holds the interpreter and so every request of a worker while it walks what it tracks
(how many threads they serve on: test_sign_in_during_an_import)."""

from __future__ import annotations

import gc
import os
import tempfile
from typing import Any

from gunicorn.app.base import BaseApplication

from trellis.cli.server import THREADS, serve_forever


def test_the_workers_are_forked_with_what_the_server_loaded_frozen(monkeypatch, settings, tmp_path):
    settings.RUN_DIR = str(tmp_path)
    monkeypatch.setattr(os, "environ", dict(os.environ))  # the server sets its own temporary directory
    monkeypatch.setattr(tempfile, "tempdir", tempfile.tempdir)
    forked: dict[str, Any] = {}

    def fork_the_workers(server: BaseApplication) -> None:
        forked.update(frozen=gc.get_freeze_count(), threads=server.cfg.threads)

    monkeypatch.setattr(BaseApplication, "run", fork_the_workers)
    try:
        serve_forever("127.0.0.1", 8000, 2)
    finally:
        gc.unfreeze()
    assert forked["frozen"] > 10_000, "Django, the apps and their modules"
    assert forked["threads"] == THREADS  # what test_sign_in_during_an_import counts on
