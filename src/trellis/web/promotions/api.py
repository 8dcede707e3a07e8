"""Promotions in the JSON API: the same services and the same access as the pages.

A proposal the caller may not see answers 404, whether it exists or not; a step the caller
may see but not take answers 403; the Peter-Principle guard answers 409 with its reason;
any other refusal 400 with what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Literal, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from trellis.lib.problems import InputError
from trellis.promotions.rules import GuardHolds, Handover, parse_handover
from trellis.web.ladders.services import active_ladder
from trellis.web.org.access import Viewer
from trellis.web.promotions import queries, reports, services

router = Router(tags=["promotions"])
T = TypeVar("T")


class ProposalIn(Schema):
    person: str  # the person's id
    level: str  # the target level's id
    rationale: str
    evidence: list[str] = []  # lines of free text
    evidence_ids: list[int] = []  # entries of the person's evidence log (/api/growth/people/{id}/evidence)
    effective: date | None = None
    handovers: list[str] = []  # ROLE@TEAM=PERSON; PERSON "none": the role ends
    reviewers: list[str] = []  # people's ids


class ReasonIn(Schema):
    reason: str = ""


class CommentIn(Schema):
    text: str = ""
    vote: Literal["approve", "decline", ""] = ""


class DecisionIn(Schema):
    decision: Literal["approve", "decline"]
    reason: str
    effective: date | None = None


class GroupIn(Schema):
    group: str  # "" removes it


def _call(act: Callable[[], T]) -> T:
    try:
        return act()
    except services.NotFound as exc:
        raise HttpError(404, str(exc)) from exc
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except GuardHolds as exc:
        raise HttpError(409, exc.message) from exc
    except InputError as exc:
        raise HttpError(400, "; ".join(p.message for p in exc.problems)) from exc


def _detail(request: HttpRequest, proposal_id: int) -> dict[str, Any]:
    viewer = Viewer.of(request.user)
    return queries.detail(services.get(proposal_id, viewer), viewer)


@router.get("/", summary="Proposals the caller takes part in (all of them for HR and admin), newest first")
def list_proposals(request: HttpRequest, state: str | None = None) -> list[dict[str, Any]]:
    ladder = active_ladder()
    return [queries.summary(p, ladder) for p in queries.listing(Viewer.of(request.user), state)]


@router.post("/", summary="Propose a promotion or a track change (a draft)")
def create(request: HttpRequest, body: ProposalIn) -> dict[str, Any]:
    def act() -> dict[str, Any]:
        handovers: list[Handover] = [parse_handover(h, "handovers") for h in body.handovers]
        proposal = services.propose(body.person, body.level, viewer=Viewer.of(request.user), user=request.user,
                                    rationale=body.rationale, evidence=body.evidence, evidence_ids=body.evidence_ids,
                                    effective=body.effective,
                                    handovers=handovers, reviewers=body.reviewers)
        return _detail(request, proposal.pk)

    return _call(act)


@router.get("/reports", summary="Promotion rates, time in level, track moves, the guard, groups (HR and admin)")
def promotion_reports(request: HttpRequest) -> dict[str, Any]:
    from dataclasses import asdict

    report = _call(lambda: reports.promotion_report(Viewer.of(request.user)))
    return asdict(report)


@router.put("/my-group", summary="Record your own demographic group (only ever your own); empty removes it")
def my_group(request: HttpRequest, body: GroupIn) -> dict[str, str]:
    viewer = Viewer.of(request.user)
    _call(lambda: services.record_group(viewer=viewer, group=body.group))
    return {"group": services.own_group(viewer)}


@router.get("/{int:proposal_id}", summary="One proposal: the move, the guard, handovers, impact, steps")
def show(request: HttpRequest, proposal_id: int) -> dict[str, Any]:
    return _call(lambda: _detail(request, proposal_id))


@router.post("/{int:proposal_id}/consent", summary="The person confirms they want the move (the guard)")
def consent(request: HttpRequest, proposal_id: int) -> dict[str, Any]:
    _call(lambda: services.consent(proposal_id, viewer=Viewer.of(request.user), user=request.user))
    return _call(lambda: _detail(request, proposal_id))


@router.post("/{int:proposal_id}/submit", summary="Submit a draft; 409 while the guard holds it")
def submit(request: HttpRequest, proposal_id: int) -> dict[str, Any]:
    _call(lambda: services.submit(proposal_id, viewer=Viewer.of(request.user), user=request.user))
    return _call(lambda: _detail(request, proposal_id))


@router.post("/{int:proposal_id}/comments", summary="A committee member comments or votes")
def comment(request: HttpRequest, proposal_id: int, body: CommentIn) -> dict[str, Any]:
    _call(lambda: services.comment(proposal_id, viewer=Viewer.of(request.user), user=request.user, text=body.text,
                                   vote=body.vote))
    return _call(lambda: _detail(request, proposal_id))


@router.post("/{int:proposal_id}/decision", summary="Approve or decline (HR and admin)")
def decide(request: HttpRequest, proposal_id: int, body: DecisionIn) -> dict[str, Any]:
    _call(lambda: services.decide(proposal_id, body.decision == "approve", viewer=Viewer.of(request.user),
                                  user=request.user, reason=body.reason, effective=body.effective))
    return _call(lambda: _detail(request, proposal_id))


@router.post("/{int:proposal_id}/withdraw", summary="Withdraw an open proposal")
def withdraw(request: HttpRequest, proposal_id: int, body: ReasonIn) -> dict[str, Any]:
    _call(lambda: services.withdraw(proposal_id, viewer=Viewer.of(request.user), user=request.user,
                                    reason=body.reason))
    return _call(lambda: _detail(request, proposal_id))

