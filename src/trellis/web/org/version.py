"""The organisation's version: what every cache of something read from the organisation is keyed by.

Pages at 100,000 people keep what they read (the search directory, a team's page) for as long
as the organisation, and the active ladder whose titles they show, do not change. The version
is read in one small query of maxima (every write through the one writer,
``trellis.web.org.services``, appends to the history, and people, roles, teams and imports only
ever gain rows), so another process's write moves it too. Within this process the writer also
says so itself (``changed``), as does any row saved or deleted through the ORM: a test that
builds rows by hand, or a change the maxima would not show.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection
from django.db.models.signals import post_delete, post_save

from trellis.web.ladders.models import LadderVersion
from trellis.web.org.models import DottedLine, HistoryEvent, ImportBatch, Person, RoleAssignment, Team

_lock = threading.Lock()
_generation = 0


def changed(*_: Any, **__: Any) -> None:
    """The organisation changed in this process: every cache keyed by the version is stale."""
    global _generation
    with _lock:
        _generation += 1


for _model in (Person, Team, RoleAssignment, DottedLine, HistoryEvent):
    post_save.connect(changed, sender=_model, dispatch_uid=f"trellis-version-save-{_model.__name__}")
    post_delete.connect(changed, sender=_model, dispatch_uid=f"trellis-version-delete-{_model.__name__}")


def version() -> tuple[Any, ...]:
    """The organisation's version now, with the active ladder's: one query, each part answered by an index."""
    qn = connection.ops.quote_name
    maxima = ", ".join(f"(SELECT MAX(id) FROM {qn(model._meta.db_table)})"
                       for model in (HistoryEvent, Person, RoleAssignment, Team, ImportBatch))
    ladder = f"(SELECT sha256 FROM {qn(LadderVersion._meta.db_table)} WHERE is_active = %s)"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {maxima}, {ladder}", [True])
        return (connection.alias, _generation, *(cursor.fetchone() or ()))
