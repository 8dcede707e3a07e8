"""Growth's pages. Reading through ``queries``, writing through ``services``; nothing else touches the ORM."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from trellis.access import Right
from trellis.growth.evidence import KIND_LABELS
from trellis.lib import clock
from trellis.lib.problems import InputError
from trellis.web.growth import queries, services
from trellis.web.growth.forms import EvidenceForm, UploadForm
from trellis.web.ladders.services import active_ladder
from trellis.web.org.access import Viewer


def evidence_page(request: HttpRequest, external_id: str) -> HttpResponse:
    viewer = Viewer.of(request.user)
    person, items = queries.evidence_of(viewer, external_id)
    ladder = active_ladder()
    may_record = viewer.may(Right.RECORD_EVIDENCE, external_id)
    form = EvidenceForm(ladder=ladder, initial={"date": clock.today()})
    status = 200
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied("you may not record evidence about this person")
        form = EvidenceForm(request.POST, ladder=ladder)
        if form.is_valid():
            try:
                services.record_evidence(viewer, form.item(external_id), user=request.user)
            except InputError as exc:
                for p in exc.problems:
                    form.add_error(p.column if p.column in form.fields else None, p.message)
            else:
                messages.success(request, "Evidence recorded.")
                return redirect(reverse("growth-evidence", args=[external_id]))
        status = 400
    names = {c.id: c.name for c in ladder.competencies}
    signals = {s.id: s.text for s in ladder.signals}
    return render(request, "growth/evidence.html", {
        "person": person, "items": items, "form": form, "may_record": may_record, "kinds": KIND_LABELS,
        "names": names, "signal_texts": signals}, status=status)


@require_POST
def evidence_delete(request: HttpRequest, external_id: str, evidence_id: int) -> HttpResponse:
    services.delete_evidence(Viewer.of(request.user), evidence_id)
    messages.success(request, "Evidence removed.")
    return redirect(reverse("growth-evidence", args=[external_id]))


def evidence_import(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.of(request.user)
    if not viewer.privileged:
        raise PermissionDenied("only HR and admin may import evidence")
    form = UploadForm()
    problems = []
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                n = services.import_evidence(viewer, upload.read(), upload.name, user=request.user)
            except InputError as exc:
                problems = exc.problems
                status = 400
            else:
                messages.success(request, f"Imported {n} piece{'s' if n != 1 else ''} of evidence.")
                return redirect(reverse("growth-evidence-import"))
        else:
            status = 400
    return render(request, "growth/evidence_import.html", {"form": form, "problems": problems}, status=status)


def person_page(request: HttpRequest, external_id: str) -> HttpResponse:
    """A person's growth: evidence, their review cycles and readiness, as far as the viewer may see."""
    viewer = Viewer.of(request.user)
    view = queries.growth_view(viewer, external_id)
    return render(request, "growth/person.html", {"view": view, "person": view.person})


def summary(request: HttpRequest, external_id: str) -> HttpResponse:
    """The growth section the person page loads: readiness in short, or nothing for those who may not see it."""
    viewer = Viewer.of(request.user)
    if not viewer.may(Right.SEE_READINESS, external_id):
        return HttpResponse("")
    view = queries.growth_view(viewer, external_id)
    return render(request, "growth/_summary.html", {"view": view, "person": view.person})
