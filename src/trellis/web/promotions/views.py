"""The promotion pages: the list, a new proposal, one proposal with its steps, its printable
packet, the reports, and the page where a person records their own group.

Every page asks ``services`` (which asks the viewer); a proposal the viewer may not see is 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trellis.access import Right
from trellis.health.render import METRIC_LABELS, metric_value
from trellis.lib.problems import InputError
from trellis.promotions.rules import OPEN, State
from trellis.web.ladders.services import active_ladder
from trellis.web.org.access import Viewer
from trellis.web.promotions import forms, queries, reports, services
from trellis.web.promotions.models import Proposal


def _viewer(request: HttpRequest) -> Viewer:
    return Viewer.of(request.user)


def _proposal(request: HttpRequest, proposal_id: int) -> Proposal:
    try:
        return services.get(proposal_id, _viewer(request))
    except services.NotFound as exc:
        raise Http404(str(exc)) from exc


def list_page(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    state = request.GET.get("state", "")
    if state not in {s.value for s in State}:
        state = ""
    ladder = active_ladder()
    rows = [queries.summary(p, ladder) for p in queries.listing(viewer, state or None)[:500]]
    return render(request, "promotions/list.html", {
        "rows": rows, "state": state, "states": list(State), "may_propose": viewer.person is not None,
        "sees_reports": bool(viewer.staff), "group": services.own_group(viewer) if viewer.person else None})


def new_page(request: HttpRequest) -> HttpResponse:
    """A new proposal. The evidence log to pick from is the person's, once the form names them:
    "Show their evidence log" fills it in without creating anything."""
    viewer = _viewer(request)
    ladder = active_ladder()
    problems: list[str] = []
    person = (request.POST.get("person") if request.method == "POST" else request.GET.get("person", "")) or ""
    entries = queries.evidence_to_pick(viewer, person.strip()) if person.strip() else []
    if request.method == "POST" and "pick" not in request.POST:
        form = forms.ProposalForm(request.POST, ladder=ladder, entries=entries)
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = services.propose(
                    data["person"].strip(), data["level"], viewer=viewer, user=request.user,
                    rationale=data["rationale"], evidence=data["evidence"], evidence_ids=data["evidence_entries"],
                    effective=data["effective"], handovers=data["handovers"], reviewers=data["reviewers"])
            except InputError as exc:
                problems = [p.message for p in exc.problems]
            except PermissionDenied as exc:
                problems = [str(exc)]
            else:
                return redirect("promotions-detail", proposal_id=proposal.pk)
    else:
        initial = request.POST.dict() if request.method == "POST" else {"person": person}
        form = forms.ProposalForm(initial=initial, ladder=ladder, entries=entries)
    return render(request, "promotions/new.html", {"form": form, "problems": problems, "person": person.strip(),
                                                   "entries": entries},
                  status=400 if problems or form.errors else 200)


def impact_context(impact: dict[str, Any] | None) -> dict[str, Any] | None:
    """The impact as the findings template reads it, with the metrics named and formatted."""
    if impact is None:
        return None
    metrics = [(METRIC_LABELS.get(name, name), metric_value(name, pair["before"]), metric_value(name, pair["after"]),
                pair["before"] != pair["after"]) for name, pair in impact.get("metrics", {}).items()]
    return {"appeared": [queries.finding(f) for f in impact.get("appeared", [])],
            "disappeared": [queries.finding(f) for f in impact.get("disappeared", [])],
            "changes": impact.get("changes", []), "metrics": metrics, "as_of": impact.get("as_of")}


def _context(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    viewer = _viewer(request)
    data = queries.detail(proposal, viewer)
    is_open = State(proposal.state) in OPEN

    def may(right: Right) -> bool:
        return services.may(viewer, right, proposal)

    return {
        "proposal": proposal, "data": data, "impact": impact_context(data["impact"]),
        "ladder": active_ladder(),
        "may_consent": is_open and proposal.consented_at is None and data["guard"]["needed"] and may(Right.CONSENT),
        "may_submit": proposal.state == State.DRAFT.value and may(Right.SUBMIT_PROPOSAL),
        "may_review": proposal.state in (State.SUBMITTED.value, State.IN_REVIEW.value)
        and may(Right.REVIEW_PROPOSAL),
        "may_decide": proposal.state in (State.SUBMITTED.value, State.IN_REVIEW.value)
        and may(Right.DECIDE_PROPOSAL),
        "may_withdraw": is_open and may(Right.WITHDRAW_PROPOSAL),
        "comment_form": forms.CommentForm(), "decision_form": forms.DecisionForm(
            initial={"effective": proposal.effective}), "withdraw_form": forms.WithdrawForm(),
    }


def detail_page(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    return render(request, "promotions/detail.html", _context(request, proposal))


def packet_page(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """The promotion packet: one printable page with everything the decision rests on."""
    proposal = _proposal(request, proposal_id)
    return render(request, "promotions/packet.html", _context(request, proposal))


def _step(request: HttpRequest, proposal_id: int, act: Callable[[Viewer], object]) -> HttpResponse:
    """Take one step; a refusal (the guard, a wrong state, bad input) shows the proposal again with why."""
    proposal = _proposal(request, proposal_id)  # 404 before anything else for those who may not see it
    try:
        act(_viewer(request))
    except InputError as exc:
        context = _context(request, Proposal.objects.select_related("person", "proposer").get(pk=proposal.pk))
        context["problems"] = [p.message for p in exc.problems]
        return render(request, "promotions/detail.html", context, status=400)
    return redirect("promotions-detail", proposal_id=proposal.pk)


@require_POST
def consent(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _step(request, proposal_id, lambda v: services.consent(proposal_id, viewer=v, user=request.user))


@require_POST
def submit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _step(request, proposal_id, lambda v: services.submit(proposal_id, viewer=v, user=request.user))


@require_POST
def comment(request: HttpRequest, proposal_id: int) -> HttpResponse:
    form = forms.CommentForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return _step(request, proposal_id, lambda v: services.comment(
        proposal_id, viewer=v, user=request.user, text=data.get("text", ""), vote=data.get("vote", "")))


@require_POST
def decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    form = forms.DecisionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return _step(request, proposal_id, lambda v: services.decide(
        proposal_id, data.get("decision") == "approve", viewer=v, user=request.user,
        reason=data.get("reason", ""), effective=data.get("effective")))


@require_POST
def withdraw(request: HttpRequest, proposal_id: int) -> HttpResponse:
    form = forms.WithdrawForm(request.POST)
    form.is_valid()
    return _step(request, proposal_id, lambda v: services.withdraw(
        proposal_id, viewer=v, user=request.user, reason=form.cleaned_data.get("reason", "")))


def planned(request: HttpRequest, external_id: str) -> HttpResponse:
    """The approved moves of one person not yet in effect, among the proposals the viewer may see:
    the person page shows them as planned until their date."""
    rows = queries.planned(_viewer(request), external_id, active_ladder())
    return render(request, "promotions/_planned.html", {"rows": rows})


def reports_page(request: HttpRequest) -> HttpResponse:
    report = reports.promotion_report(_viewer(request))
    return render(request, "promotions/reports.html", {"report": report, "ladder": active_ladder()})


def group_page(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    if viewer.person is None:
        raise PermissionDenied("a group is recorded by the person themself, from an account linked to them")
    if request.method == "POST":
        form = forms.GroupForm(request.POST)
        if form.is_valid():
            services.record_group(viewer=viewer, group=form.cleaned_data["group"])
            return redirect("promotions-group")
    else:
        form = forms.GroupForm(initial={"group": services.own_group(viewer)})
    return render(request, "promotions/group.html", {"form": form, "min_group": reports.reports.MIN_GROUP})
