"""Reads for growth's pages, API and command line: what a viewer may see, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from trellis.access import Right
from trellis.web.growth.models import Evidence
from trellis.web.org.access import Viewer
from trellis.web.org.models import Person


def person_or_404(viewer: Viewer, person_id: str, right: Right) -> Person:
    """The person, when the viewer holds ``right`` about them; otherwise not found, as if absent."""
    if not viewer.may(right, person_id):
        raise Http404("no such person")
    person = Person.objects.filter(external_id=person_id).first()
    if person is None:
        raise Http404("no such person")
    return person


def evidence_of(viewer: Viewer, person_id: str) -> tuple[Person, list[Evidence]]:
    person = person_or_404(viewer, person_id, Right.SEE_EVIDENCE)
    return person, list(Evidence.objects.filter(person=person).select_related("recorded_by"))


@dataclass
class GrowthView:
    person: Person
    evidence_count: int
    may_see_evidence: bool


def growth_view(viewer: Viewer, person_id: str) -> GrowthView:
    person = person_or_404(viewer, person_id, Right.SEE_READINESS)
    may_see_evidence = viewer.may(Right.SEE_EVIDENCE, person_id)
    count = Evidence.objects.filter(person=person).count() if may_see_evidence else 0
    return GrowthView(person, count, may_see_evidence)
