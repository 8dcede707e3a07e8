"""Growth's one writer: evidence, review cycles, self-evaluations, reviews, peer feedback, calibration.

Pages, the API and the command line all come through here. Every function checks what the
caller may do with the one access home (``Viewer``); a person the caller may not see is
reported as not found (``Http404``), so that nobody can tell whether there is anything to see.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from trellis.access import Right
from trellis.growth.evidence import EvidenceItem, check_item, read_evidence_csv
from trellis.lib import clock
from trellis.lib.problems import InputError, Problem
from trellis.web.growth.models import Evidence
from trellis.web.growth.queries import person_or_404
from trellis.web.ladders.services import active_ladder
from trellis.web.org.access import Viewer
from trellis.web.org.models import Person


def record_evidence(viewer: Viewer, item: EvidenceItem, *, user: Any = None) -> Evidence:
    """Store one piece of evidence about ``item.person_id``; InputError lists what is wrong with it."""
    if not viewer.may(Right.RECORD_EVIDENCE, item.person_id):
        person_or_404(viewer, item.person_id, Right.SEE_EVIDENCE)  # 404 unless they may at least see it
        raise PermissionDenied("you may not record evidence about this person")
    person = person_or_404(viewer, item.person_id, Right.RECORD_EVIDENCE)
    wrong = check_item(item, active_ladder(), clock.today())
    if wrong:
        raise InputError([Problem(field, None, message, column=field) for field, message in wrong])
    return Evidence.objects.create(
        person=person, kind=item.kind, date=item.date, title=item.title.strip(), link=item.link.strip(),
        notes=item.notes.strip(), competencies=list(item.competencies), signals=list(item.signals),
        recorded_by=user if getattr(user, "is_authenticated", False) else None)


def import_evidence(viewer: Viewer, data: bytes | str, source: str, *, user: Any = None) -> int:
    """Bulk import (HR and admin): every row or none; InputError lists every problem with its line."""
    if not viewer.privileged:
        raise PermissionDenied("only HR and admin may import evidence")
    people = dict(Person.objects.values_list("external_id", "pk"))
    items = read_evidence_csv(data, source, active_ladder(), people, clock.today())
    recorder = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        Evidence.objects.bulk_create([
            Evidence(person_id=people[i.person_id], kind=i.kind, date=i.date, title=i.title, link=i.link,
                     notes=i.notes, competencies=list(i.competencies), signals=list(i.signals),
                     recorded_by=recorder) for i in items], batch_size=2000)
    return len(items)


def delete_evidence(viewer: Viewer, evidence_id: int) -> None:
    """Whoever may record evidence about the person may take a piece back."""
    found = Evidence.objects.filter(pk=evidence_id).select_related("person").first()
    if found is None or not viewer.may(Right.SEE_EVIDENCE, found.person.external_id):
        raise Http404("no such evidence")
    if not viewer.may(Right.RECORD_EVIDENCE, found.person.external_id):
        raise PermissionDenied("you may not remove evidence about this person")
    found.delete()


