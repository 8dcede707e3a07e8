"""Proposals read for a viewer: as plain data for the API, the command line and the pages,
with only what the viewer may see (the committee's comments, findings about a preference)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from trellis.access import Right
from trellis.health.report import Finding
from trellis.ladder.model import Ladder
from trellis.promotions.rules import State
from trellis.web.health.visibility import Visibility
from trellis.web.org.access import Viewer
from trellis.web.org.models import Person
from trellis.web.promotions import services
from trellis.web.promotions.models import Proposal


def listing(viewer: Viewer, state: str | None = None) -> QuerySet[Proposal]:
    proposals = services.visible(viewer).select_related("person", "proposer").order_by("-id")
    if state:
        proposals = proposals.filter(state=state)
    return proposals


def planned(viewer: Viewer, external_id: str, ladder: Ladder) -> list[dict[str, Any]]:
    """Approved proposals about the person that have not taken effect yet, those the viewer may see."""
    return [summary(p, ladder) for p in services.visible(viewer).select_related("person", "proposer").filter(
        person__external_id=external_id, state=State.APPROVED.value, applied_on__isnull=True)
        .order_by("effective", "id")]


def evidence_to_pick(viewer: Viewer, external_id: str) -> list[Any]:
    """The entries of the person's evidence log a proposal by ``viewer`` may name: all of them when the
    viewer may see the log (``Right.SEE_EVIDENCE``), none otherwise. Newest first, one query."""
    from trellis.web.growth.models import Evidence

    if not viewer.may(Right.SEE_EVIDENCE, external_id):
        return []
    return list(Evidence.objects.filter(person__external_id=external_id).order_by("-date", "-id"))


def evidence_entries(proposal: Proposal, log: str | None) -> list[dict[str, Any]]:
    """The entries of the evidence log attached to the proposal as it shows them: kind, date, title, link,
    and where each is in the person's log (``log``: None for a viewer who may not open the log). A draft
    shows the log as it is; once submitted, the entries as they were submitted (what the committee
    judged), each marked ``removed`` when the log has lost it since. One query."""
    from trellis.web.growth.models import Evidence

    if proposal.evidence_submitted is None:
        entries = [services.frozen_evidence(e) for e in proposal.evidence_entries.order_by("-date", "-id")]
        kept = {e["id"] for e in entries}
    else:
        entries = [dict(e) for e in proposal.evidence_submitted]
        kept = set(Evidence.objects.filter(pk__in=[e["id"] for e in entries] or [0]).values_list("pk", flat=True))
    for e in entries:
        e["removed"] = e["id"] not in kept
        e["log"] = log and not e["removed"] and f"{log}#evidence-{e['id']}" or None
    return entries


def title(ladder: Ladder, level: str) -> str:
    found = ladder.levels_by_id.get(level)
    return found.title if found is not None else level


def summary(proposal: Proposal, ladder: Ladder) -> dict[str, Any]:
    """One line of a list: who, from what to what, where it stands."""
    return {
        "id": proposal.pk,
        "person": {"id": proposal.person.external_id, "name": proposal.person.name},
        "kind": proposal.kind,
        "from_level": proposal.from_level, "from_title": title(ladder, proposal.from_level),
        "target_level": proposal.target_level, "target_title": title(ladder, proposal.target_level),
        "state": proposal.state,
        "guarded": proposal.guarded,
        "consented": proposal.consented_at is not None,
        "proposer": ({"id": proposal.proposer.external_id, "name": proposal.proposer.name}
                     if proposal.proposer is not None else None),
        "effective": _day(proposal.effective),
        "applied_on": _day(proposal.applied_on),
    }


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def current_impact(proposal: Proposal) -> dict[str, Any] | None:
    """The what-if as it stands: live while the proposal is open, as frozen at the decision after."""
    if State(proposal.state) in (State.APPROVED, State.DECLINED):
        return proposal.impact_decided
    if proposal.state == State.WITHDRAWN.value:
        return proposal.impact_submitted
    return services.impact(proposal)


def finding(data: dict[str, Any]) -> Finding:
    since = data.get("since")
    return Finding(data["code"], data["severity"], data.get("team"), data.get("person"),
                   date.fromisoformat(since) if since else None, data["message"], data["action"], data.get("level"))


def visible_impact(impact: dict[str, Any] | None, viewer: Viewer) -> dict[str, Any] | None:
    """The impact with only the findings the viewer may read (a preference stays with those who may see it)."""
    if impact is None:
        return None
    visibility = Visibility.of(viewer)
    shown = dict(impact)
    for key in ("appeared", "disappeared"):
        shown[key] = [f.to_dict() for f in visibility.findings([finding(d) for d in impact.get(key, [])])]
    pairs = [(finding(c["before"]), finding(c["after"])) for c in impact.get("changed", [])]
    shown["changed"] = [{"before": b.to_dict(), "after": a.to_dict()} for b, a in visibility.pairs(pairs)]
    return shown


def detail(proposal: Proposal, viewer: Viewer, *, impact: bool = True) -> dict[str, Any]:
    """Everything about one proposal that ``viewer`` may see."""
    plan = services.plan(proposal)
    ladder = plan.ladder
    target = ladder.levels_by_id.get(proposal.target_level)
    names = {c.id: c.name for c in ladder.competencies}
    steps = {s.id: s.name for s in ladder.scale}
    holders = dict(Person.objects.filter(external_id__in=[h.person for h in plan.handovers if h.person])
                   .values_list("external_id", "name"))
    external_id = proposal.person.external_id
    log = (reverse("growth-evidence", args=[external_id])
           if viewer.may(Right.SEE_EVIDENCE, external_id) else None)
    data = summary(proposal, ladder)
    data.update({
        "rationale": proposal.rationale,
        "evidence": list(proposal.evidence),
        # Entries of the evidence log the proposer attached: shown to all who see the proposal, as the
        # proposer meant them for the committee; the link to the log only for those who may open it.
        "evidence_entries": evidence_entries(proposal, log),
        "target": ({"title": target.title, "track": target.track, "grade": target.grade, "scope": target.scope,
                    "summary": target.summary,
                    "expectations": [{"competency": c, "name": names.get(c, c), "step": e.step,
                                      "step_name": steps.get(e.step, e.step)} for c, e in target.expectations.items()]}
                   if target is not None else None),
        "guard": {"needed": plan.guard_needed, "holds": plan.guard_holds and State(proposal.state)
                  in (State.DRAFT, State.SUBMITTED, State.IN_REVIEW),
                  "consented_at": proposal.consented_at.isoformat() if proposal.consented_at else None,
                  "alternative": plan.alternative},
        "two_jobs": plan.two_jobs,
        "handovers": [{"role": h.role, "team": h.team, "person": h.person, "name": holders.get(h.person or "")}
                      for h in plan.handovers],
        "reviewers": [{"id": r.external_id, "name": r.name} for r in proposal.reviewers.all()],
        "readiness": proposal.readiness,
        "decision": ({"reason": proposal.decision_reason,
                      "at": proposal.decided_at.isoformat() if proposal.decided_at else None}
                     if proposal.decided_at is not None else None),
        "steps": [{"action": s.action, "state": s.state, "at": s.at.isoformat(), "by": s.by, "reason": s.reason}
                  for s in proposal.steps.all()],
    })
    data["guard_holds"] = data["guard"]["holds"]
    data["comments"] = ([{"by": c.by, "text": c.text, "vote": c.vote or None, "at": c.at.isoformat()}
                         for c in proposal.comments.all()]
                        if services.may(viewer, Right.SEE_PROPOSAL_REVIEW, proposal) else None)
    if data["comments"] is not None:
        votes = [c["vote"] for c in data["comments"] if c["vote"]]
        data["votes"] = {"approve": votes.count("approve"), "decline": votes.count("decline")}
    if impact:
        data["impact"] = visible_impact(current_impact(proposal), viewer)
        data["impact_when_submitted"] = visible_impact(proposal.impact_submitted, viewer)
    return data
