"""Growth's pages. Reading through ``queries``, writing through ``services``; nothing else touches the ORM."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from trellis.access import Right
from trellis.growth.evidence import KIND_LABELS
from trellis.growth.readiness import TIERS
from trellis.lib import clock
from trellis.lib.problems import InputError
from trellis.org.model import PREFERRED_TRACKS
from trellis.web.growth import notify, queries, services
from trellis.web.growth.forms import CycleForm, EvidenceForm, UploadForm, ratings_from, texts_from
from trellis.web.ladders.services import active_ladder
from trellis.web.org.access import Viewer
from trellis.web.paging import page_of, query_without


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


# ---------------------------------------------------------------- review cycles

def _problems_to_messages(request: HttpRequest, exc: InputError) -> None:
    for p in exc.problems:
        messages.error(request, f"{p.column + ': ' if p.column else ''}{p.message}")


def cycles_page(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.of(request.user)
    form = CycleForm(initial={"anonymous_peers": True})
    status = 200
    if request.method == "POST":
        if not viewer.privileged:
            raise PermissionDenied("only HR and admin may run review cycles")
        form = CycleForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                cycle = services.create_cycle(
                    viewer, name=d["name"], period_start=d["period_start"], period_end=d["period_end"],
                    rule=form.rule(), self_due=d["self_due"], review_due=d["review_due"], peer_due=d["peer_due"],
                    anonymous_peers=d["anonymous_peers"], peer_limit=d["peer_limit"])
            except InputError as exc:
                for p in exc.problems:
                    form.add_error(None, p.message)
            else:
                return redirect(reverse("growth-cycle", args=[cycle.pk]))
        status = 400
    return render(request, "growth/cycles.html", {
        "cycles": queries.cycles_list(), "tasks": queries.my_tasks(viewer), "form": form,
        "may_run": viewer.privileged}, status=status)


def cycle_page(request: HttpRequest, cycle_id: int) -> HttpResponse:
    viewer = Viewer.of(request.user)
    view = queries.cycle_view(viewer, cycle_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        actions = {"open": services.open_cycle, "calibrate": services.move_to_calibration,
                   "close": services.close_cycle, "release": services.release_results}
        try:
            if action in actions:
                actions[action](viewer, view.cycle)
            elif action == "assign":
                pt = view.cycle.participants.select_related("person", "cycle").get(
                    person__external_id=request.POST.get("person", ""))
                services.assign_reviewer(viewer, pt, request.POST.get("reviewer", "").strip())
        except InputError as exc:
            _problems_to_messages(request, exc)
        else:
            messages.success(request, "Done.")
        return redirect(reverse("growth-cycle", args=[cycle_id]))
    return render(request, "growth/cycle.html", {"view": view, "cycle": view.cycle, "may_run": viewer.privileged,
                                                 "may_calibrate": viewer.holds(Right.CALIBRATE)})


def participant_page(request: HttpRequest, cycle_id: int, external_id: str) -> HttpResponse:
    viewer = Viewer.of(request.user)
    if request.method == "POST":
        pt = queries.participant_or_404(viewer, cycle_id, external_id)
        try:
            if request.POST.get("action") == "nominate":
                services.nominate(viewer, pt, request.POST.get("peer", "").strip())
            elif request.POST.get("action") in ("approve", "decline"):
                nomination = pt.nominations.select_related("participant__cycle", "participant__person").filter(
                    pk=request.POST.get("nomination") or 0).first()
                if nomination is None:
                    raise Http404("no such nomination")
                services.decide_nomination(viewer, nomination, request.POST["action"] == "approve")
        except InputError as exc:
            _problems_to_messages(request, exc)
        return redirect(reverse("growth-participant", args=[cycle_id, external_id]))
    view = queries.participant_view(viewer, cycle_id, external_id)
    names = {c.id: c.name for c in view.ladder.competencies}
    return render(request, "growth/participant.html", {"view": view, "person": view.person, "cycle": view.cycle,
                                                       "names": names, "scale": view.ladder.scale})


def self_evaluation_page(request: HttpRequest, cycle_id: int, external_id: str) -> HttpResponse:
    viewer = Viewer.of(request.user)
    pt = queries.participant_or_404(viewer, cycle_id, external_id, Right.SEE_SELF_EVALUATION)
    if viewer.person_id != external_id:
        raise Http404("no such self-evaluation")
    ladder = services.cycle_ladder(pt.cycle)
    own = pt.self_evaluation
    status = 200
    if request.method == "POST":
        comps = [c.id for c in ladder.competencies]
        focus_ids = [c.id for c in ladder.competencies if c.focus_area]
        try:
            services.save_self_evaluation(
                viewer, pt, ratings=ratings_from(request.POST, "rating", comps),
                evidence_text=texts_from(request.POST, "evidence", comps),
                evidence_ids=[int(v) for v in request.POST.getlist("evidence_ids") if v.isdigit()],
                signals=request.POST.getlist("signals"), focus=texts_from(request.POST, "focus", focus_ids),
                success=request.POST.get("success", ""), preferred_track=request.POST.get("preferred_track", ""),
                submit=request.POST.get("action") == "submit", user=request.user)
        except InputError as exc:
            _problems_to_messages(request, exc)
            status = 400
        else:
            messages.success(request, "Submitted." if request.POST.get("action") == "submit" else "Draft saved.")
            return redirect(reverse("growth-self", args=[cycle_id, external_id]))
    level = ladder.levels_by_id.get(pt.level)
    return render(request, "growth/self_evaluation.html", {
        "pt": pt, "own": own, "cycle": pt.cycle, "person": pt.person, "ladder": ladder, "level": level,
        "scale": ladder.scale,
        "log": queries.evidence_of(viewer, external_id)[1],
        "tracks": PREFERRED_TRACKS, "editable": pt.cycle.state == "open" and own.submitted_at is None},
        status=status)


def review_page(request: HttpRequest, cycle_id: int, external_id: str, role: str) -> HttpResponse:
    viewer = Viewer.of(request.user)
    view = queries.participant_view(viewer, cycle_id, external_id)
    shown = next((s for s in view.reviews if s.review.role == role and s.own), None)
    if shown is None:
        raise Http404("no such review")
    status = 200
    if request.method == "POST":
        try:
            services.save_review(viewer, view.participant, role,
                                 ratings=ratings_from(request.POST, "rating", shown.competencies),
                                 summary=request.POST.get("summary", ""), submit=request.POST.get("action") == "submit")
        except InputError as exc:
            _problems_to_messages(request, exc)
            status = 400
        else:
            messages.success(request, "Submitted." if request.POST.get("action") == "submit" else "Draft saved.")
            return redirect(reverse("growth-review", args=[cycle_id, role, external_id]))
    names = {c.id: c.name for c in view.ladder.competencies}
    level = view.ladder.levels_by_id.get(view.participant.level)
    return render(request, "growth/review.html", {
        "view": view, "shown": shown, "review": shown.review, "person": view.person, "cycle": view.cycle,
        "names": names, "scale": view.ladder.scale, "level": level,
        "editable": view.cycle.state == "open" and shown.review.submitted_at is None}, status=status)


def feedback_page(request: HttpRequest, cycle_id: int, external_id: str) -> HttpResponse:
    viewer = Viewer.of(request.user)
    view = queries.participant_view(viewer, cycle_id, external_id)
    if not (view.may_give_feedback or view.own_response is not None):
        raise Http404("no such request for feedback")
    status = 200
    if request.method == "POST":
        try:
            services.give_feedback(viewer, view.participant,
                                   ratings=ratings_from(request.POST, "rating",
                                                        [c.id for c in view.ladder.competencies]),
                                   comments=request.POST.get("comments", ""))
        except InputError as exc:
            _problems_to_messages(request, exc)
            status = 400
        else:
            messages.success(request, "Thank you: your feedback is recorded.")
            return redirect(reverse("growth-feedback", args=[cycle_id, external_id]))
    names = {c.id: c.name for c in view.ladder.competencies}
    return render(request, "growth/feedback.html", {"view": view, "person": view.person, "cycle": view.cycle,
                                                    "names": names, "scale": view.ladder.scale}, status=status)


# ---------------------------------------------------------------- calibration

STEP_BAR = 380  # pixels of a rater's bar in the distribution chart


def rater_bars(raters: list[Any], scale_size: int) -> list[tuple[Any, list[tuple[int, int, int, int]]]]:
    """Each rater with the segments of their bar: (x, width, step position, count), widths proportional to
    the share of their ratings on each step (SVG attributes: a page has no inline style)."""
    bars = []
    for r in raters:
        total = sum(r.counts) or 1
        x, segments = 0, []
        for pos, n in enumerate(r.counts):
            width = round(STEP_BAR * n / total)
            if n:
                segments.append((x, width, pos, n))
            x += width
        bars.append((r, segments))
    return bars


CALIBRATION_PER_PAGE = 50  # people, agenda items and adjustments: a cycle of 10,000 people is paged


def calibration_page(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """A cycle's calibration (HR and admin; 404 for anyone else): raters, gaps, tiers, agenda, adjustments."""
    viewer = Viewer.of(request.user)
    view = queries.calibration_view(viewer, cycle_id, user=request.user)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "lock":
                services.lock_calibration(viewer, view.cycle)
                messages.success(request, "Calibration locked: closing the cycle freezes what it settled.")
        except InputError as exc:
            _problems_to_messages(request, exc)
        return redirect(reverse("growth-calibration", args=[cycle_id]))
    size = len(view.ladder.scale)
    pages = {name: page_of(request, param, items, CALIBRATION_PER_PAGE) for name, param, items in (
        ("people", "people_page", view.people), ("agenda", "agenda_page", view.agenda),
        ("adjustments", "adjustments_page", view.adjustments))}
    return render(request, "growth/calibration.html", {
        "view": view, "cycle": view.cycle, "scale": view.ladder.scale, "pages": pages,
        "query": {param: query_without(request, param) for param in ("people_page", "agenda_page", "adjustments_page")},
        "managers": rater_bars(view.managers, size), "tech_leads": rater_bars(view.tech_leads, size),
        "names": {c.id: c.name for c in view.ladder.competencies}, "bar": STEP_BAR, "tier_names": TIERS})


def calibration_person_page(request: HttpRequest, cycle_id: int, external_id: str) -> HttpResponse:
    """One participant in calibration: record one's view first, then see the pair's and adjust, saying why."""
    viewer = Viewer.of(request.user)
    status = 200
    if request.method == "POST":
        pt = _calibration_participant(viewer, cycle_id, external_id)
        comps = [c.id for c in services.cycle_ladder(pt.cycle).competencies]
        try:
            if request.POST.get("action") == "views":
                services.record_views(viewer, pt, ratings_from(request.POST, "view", comps), user=request.user)
                messages.success(request, "Your view is recorded.")
            elif request.POST.get("action") == "adjust":
                services.adjust(viewer, pt, request.POST.get("competency", ""), request.POST.get("step", ""),
                                request.POST.get("why", ""), user=request.user)
                messages.success(request, "Adjusted: readiness now uses the calibrated rating.")
        except InputError as exc:
            _problems_to_messages(request, exc)
            status = 400
        else:
            return redirect(reverse("growth-calibration-person", args=[cycle_id, external_id]))
    view = queries.calibration_person(viewer, cycle_id, external_id, user=request.user,
                                      reveal=request.GET.get("reveal") == "1")
    return render(request, "growth/calibration_person.html", {
        "view": view, "cycle": view.cycle, "person": view.person, "scale": view.ladder.scale,
        "editable": view.cycle.state in ("open", "calibration") and not view.cycle.locked,
        "adjustable": view.cycle.state == "calibration" and not view.cycle.locked}, status=status)


def _calibration_participant(viewer: Viewer, cycle_id: int, external_id: str) -> Any:
    services.require_calibrator(viewer)
    return queries.participant_or_404(viewer, cycle_id, external_id)


def notifications_page(request: HttpRequest) -> HttpResponse:
    """Each person turns growth's e-mail on or off for themself."""
    if request.method == "POST":
        notify.set_email(request.user, bool(request.POST.get("email")))
        messages.success(request, "Saved.")
        return redirect(reverse("growth-notifications"))
    return render(request, "growth/notifications.html", {"enabled": notify.wants_email(request.user)})
