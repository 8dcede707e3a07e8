"""Backup and restore of everything Trellis keeps, on SQLite and PostgreSQL alike.

A backup is Django's own serialisation (``dumpdata``) of every model, accounts and roles included,
with natural keys so it loads into a database created by another version of the tables. Sign-in
sessions, throttling counts and Django's content-type bookkeeping are left out: they are
rebuilt, and nobody is signed in after a restore.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from trellis.lib.problems import InputError, Problem

SUFFIXES = (".json", ".json.gz", ".json.bz2", ".json.xz")
LEFT_OUT = ["contenttypes", "auth.permission", "sessions", "axes", "admin.logentry"]
# Made by the migrations themselves: a new database already has them, so they do not make it "not empty".
MADE_BY_MIGRATIONS = {"auth.group"}


def _check_name(path: Path) -> None:
    if not path.name.endswith(SUFFIXES):
        raise InputError([Problem(str(path), None, "a backup file's name ends in " + ", ".join(SUFFIXES)
                                  + " (the ending chooses the compression)")])


def _kept_models() -> list[str]:
    kept = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label not in LEFT_OUT and label not in LEFT_OUT and not model._meta.proxy:
            kept.append(label)
    return kept


def backup(path: Path) -> Counter[str]:
    """Write everything to ``path``; answers how many of each kind were written."""
    _check_name(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():  # one consistent picture, even while the server writes
        call_command("dumpdata", *_kept_models(), natural_foreign=True, natural_primary=True,
                     output=str(path), verbosity=0)
        return _counts()


def restore(path: Path) -> Counter[str]:
    """Load a backup into an empty database (its tables are created first if need be)."""
    _check_name(path)
    if not path.is_file():
        raise InputError([Problem(str(path), None, "no such backup file")])
    call_command("migrate", interactive=False, verbosity=0)
    held = {label: n for label, n in _counts().items() if n and label not in MADE_BY_MIGRATIONS}
    if held:
        what = ", ".join(f"{n} {label}" for label, n in sorted(held.items()))
        raise InputError([Problem(str(path), None, f"the database is not empty ({what}): restore into a new, "
                                  "empty database (DATABASE_URL), so that nothing is mixed or lost")])
    with transaction.atomic():
        call_command("loaddata", str(path), verbosity=0, stdout=io.StringIO())
    return _counts()


def _counts() -> Counter[str]:
    return Counter({label: apps.get_model(label).objects.count() for label in _kept_models()})


def summary(counts: Counter[str]) -> str:
    names = {"org.person": "people", "org.team": "teams", "auth.user": "accounts",
             "ladders.ladderversion": "ladder versions"}
    shown = [f"{counts.get(label, 0)} {name}" for label, name in names.items()]
    return ", ".join(shown) + f"; {sum(counts.values())} records in all"
