"""Proposals in and out of the database: the only writer of the promotions tables.

Pages, the API and the command line all come through here, each with a ``Viewer`` (the
signed-in account, or the command line acting for a person or as the operator); every step
asks the viewer for the right it needs (``trellis.access``). The rules themselves are pure
(``trellis.promotions.rules``). An approved proposal changes the organisation on its
effective date through the organisation's one writer (``_apply_to_organisation``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet

from trellis.access import RULES, Relation, Right, allows, proposal_relations
from trellis.ladder.model import Ladder
from trellis.lib import clock
from trellis.org.model import OrgSnapshot, RoleSpan
from trellis.org.model import Person as PersonData
from trellis.promotions import rules
from trellis.promotions.rules import Action, GuardHolds, Handover, Refused, State
from trellis.web.ladders.services import active_ladder
from trellis.web.org.access import Viewer
from trellis.web.org.models import Person, RoleAssignment, Team
from trellis.web.promotions.models import Comment, GroupRecord, Proposal, Step
from trellis.web.promotions.models import Handover as HandoverRow

VOTES = ("approve", "decline")


class NotFound(Exception):
    """No such proposal, or one the viewer may not see: the two answer the same (404)."""


# -- who may see and do what ----------------------------------------------------------------


def visible(viewer: Viewer) -> QuerySet[Proposal]:
    """The proposals ``viewer`` may see, as one query: ``proposal_relations`` written as a filter."""
    granted = RULES[Right.SEE_PROPOSAL]
    everything = Proposal.objects.all()
    if viewer.holds(Right.SEE_PROPOSAL):
        return everything
    me = viewer.person
    if me is None:
        return everything.none()
    my_pk = me[0]
    q = Q(pk__in=[])
    if Relation.PROPOSER in granted:
        q |= Q(proposer_id=my_pk)
    if Relation.PROPOSAL_REVIEWER in granted:
        q |= Q(reviewers__id=my_pk)
    if Relation.SELF in granted:
        q |= Q(person_id=my_pk) & (~Q(state=State.DRAFT.value) | Q(guarded=True))
    return everything.filter(q).distinct()


def relations(viewer: Viewer, proposal: Proposal) -> frozenset[Relation]:
    """The viewer's relations to one proposal."""
    external_id = proposal.person.external_id
    # Of the relations to the person only being the person counts here (staff relations come with
    # the account); managers and tech leads take part as proposers or reviewers, not by office.
    to_person = viewer.relations([external_id], only=frozenset({Relation.SELF}))[external_id]
    me = viewer.person
    return proposal_relations(
        to_person, proposer=me is not None and proposal.proposer_id == me[0],
        reviewer=me is not None and any(r.pk == me[0] for r in proposal.reviewers.all()),
        draft=proposal.state == State.DRAFT.value, needs_consent=proposal.guarded)


def may(viewer: Viewer, right: Right, proposal: Proposal) -> bool:
    return allows(right, relations(viewer, proposal))


def get(proposal_id: int, viewer: Viewer) -> Proposal:
    """One proposal the viewer may see; ``NotFound`` otherwise, whether it exists or not."""
    proposal = (visible(viewer).select_related("person", "proposer").prefetch_related("reviewers")
                .filter(pk=proposal_id).first())
    if proposal is None:
        raise NotFound(f"no proposal {proposal_id}")
    return proposal


def _require(viewer: Viewer, right: Right, proposal: Proposal, what: str) -> None:
    if not may(viewer, right, proposal):
        raise PermissionDenied(f"you may not {what}: {rules_explain(right)} may")


def rules_explain(right: Right) -> str:
    from trellis.access import explain

    return explain(right)


def _who(viewer: Viewer, user: Any) -> str:
    if user is not None and getattr(user, "is_authenticated", False):
        return str(user.get_username())
    if viewer.person is not None:
        return f"{viewer.person[1]} (command line)"
    return "command line"


def _step(proposal: Proposal, action: str, viewer: Viewer, user: Any, reason: str = "") -> None:
    Step.objects.create(proposal=proposal, action=action, state=proposal.state, at=clock.now(),
                        by=_who(viewer, user), reason=reason,
                        user=user if getattr(user, "is_authenticated", False) else None)


# -- making a proposal --------------------------------------------------------------------


def _active_person(external_id: str, what: str = "person") -> Person:
    person = Person.objects.filter(external_id=external_id).first()
    if person is None:
        raise Refused(f"unknown {what} '{external_id}': no one has that id")
    if not person.active:
        raise Refused(f"{person.name} ({external_id}) has left the organisation")
    return person


def _handovers(specs: Sequence[Handover]) -> list[tuple[Handover, Team, Person | None]]:
    found: list[tuple[Handover, Team, Person | None]] = []
    for h in specs:
        team = Team.objects.filter(name=h.team).first()
        if team is None:
            raise Refused(f"handover {h.describe()}: unknown team '{h.team}'", "--handover")
        found.append((h, team, None if h.person is None else _active_person(h.person, "person in a handover")))
    return found


def _check_effective(effective: date | None, option: str = "--effective") -> None:
    if effective is not None and effective < clock.today():
        raise Refused(f"{effective.isoformat()} is before today ({clock.today().isoformat()}): a proposal takes "
                      "effect today or later", option)


def _evidence_entries(person: Person, ids: Sequence[int], viewer: Viewer) -> list[Any]:
    """The entries of the person's evidence log with ``ids``, which the viewer must be allowed to see.

    An id that is not in the person's log is refused the same way whether it does not exist or is
    someone else's entry: a proposal never reveals what is in a log its proposer may not read."""
    from trellis.web.growth.models import Evidence

    if not ids:
        return []
    if not viewer.may(Right.SEE_EVIDENCE, person.external_id):
        raise PermissionDenied(f"you may not attach evidence from {person.name}'s evidence log: only "
                               f"{rules_explain(Right.SEE_EVIDENCE)} may see it")
    found = {e.pk: e for e in Evidence.objects.filter(person=person, pk__in=set(ids))}
    missing = sorted({i for i in ids if i not in found})
    if missing:
        raise Refused(f"evidence {', '.join(str(i) for i in missing)} is not in {person.name}'s evidence log: pick "
                      "entries of their log (`trellis promotions evidence` lists them with their ids)", "--evidence")
    return [found[i] for i in dict.fromkeys(ids)]


def propose(person_id: str, target: str, *, viewer: Viewer, rationale: str, user: Any = None,
            evidence: Sequence[str] = (), evidence_ids: Sequence[int] = (), effective: date | None = None,
            handovers: Sequence[Handover] = (), reviewers: Sequence[str] = ()) -> Proposal:
    """A new draft proposal by the viewer's own person for ``person_id`` to take ``target``.

    ``evidence``: lines of free text; ``evidence_ids``: entries of the person's evidence log, which
    the viewer must be allowed to see. Raises ``Refused`` for a move the ladder does not allow or
    bad input, ``PermissionDenied`` when the viewer may not propose for the person or see their log."""
    person = _active_person(person_id)
    me = viewer.person
    if me is None:
        raise PermissionDenied("a proposal is made by a person in the organisation: link your account to yours "
                               "(or, on the command line, say who proposes with --by)")
    if not viewer.may(Right.PROPOSE, person_id):
        raise PermissionDenied(f"you may not propose a move for {person.name}: {rules_explain(Right.PROPOSE)} may")
    if not rationale.strip():
        raise Refused("say why: a proposal needs a rationale", "--rationale")
    ladder = active_ladder()
    kind = rules.classify(ladder, person.level, target)
    _check_effective(effective)
    found = _handovers(handovers)
    reviewer_people = [_active_person(r, "reviewer") for r in reviewers]
    entries = _evidence_entries(person, evidence_ids, viewer)
    if Proposal.objects.filter(person=person, state__in=[s.value for s in rules.OPEN]).exists():
        raise Refused(f"{person.name} already has an open proposal: withdraw it or see it through first")
    with transaction.atomic():
        proposal = Proposal.objects.create(
            person=person, from_level=person.level, target_level=target, kind=kind, proposer_id=me[0],
            rationale=rationale.strip(), evidence=[e.strip() for e in evidence if e.strip()], effective=effective,
            guarded=rules.guard_applies(ladder, target, person.preferred_track), created_at=clock.now())
        HandoverRow.objects.bulk_create([HandoverRow(proposal=proposal, role=h.role, team=team, person=holder)
                                         for h, team, holder in found])
        proposal.reviewers.set(reviewer_people)
        proposal.evidence_entries.set(entries)
        _step(proposal, "created", viewer, user)
    return proposal


# -- what a proposal would do ---------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What the proposal changes, worked out against the organisation today."""

    ladder: Ladder
    handovers: list[Handover]
    guard_needed: bool  # the move needs the person's own word (their preferred track today)
    guard_holds: bool  # ... and they have not given it
    alternative: str | None  # "Software Architect is the peer of this level on the technical track"
    two_jobs: str | None  # why the person would hold two jobs, and the handover that would end it


def handovers_of(proposal: Proposal) -> list[Handover]:
    return [Handover(h.role, h.team.name, h.person.external_id if h.person is not None else None)
            for h in proposal.handovers.select_related("team", "person")]


def _small_snapshot(proposal: Proposal, handovers: list[Handover]) -> OrgSnapshot:
    """The person and the roles the move touches: all that the two-jobs rule and the handovers read."""
    person = proposal.person
    teams = {h.team for h in handovers}
    spans = (RoleAssignment.objects.filter(end__isnull=True)
             .filter(Q(person=person) | Q(team__name__in=teams)).select_related("person", "team"))
    today = clock.today()
    roles = [RoleSpan(r.person.external_id, r.team.name, r.role, r.start, None) for r in spans]
    data = PersonData(person.external_id, person.name, person.level, preferred_track=person.preferred_track)
    return OrgSnapshot(as_of=today, people={person.external_id: data}, roles=roles)


def plan(proposal: Proposal) -> Plan:
    ladder = active_ladder()
    handovers = handovers_of(proposal)
    needed = rules.guard_applies(ladder, proposal.target_level, proposal.person.preferred_track)
    snapshot = _small_snapshot(proposal, handovers)
    return Plan(ladder, handovers, needed, needed and proposal.consented_at is None,
                rules.alternative_sentence(ladder, proposal.target_level, proposal.from_level),
                rules.two_jobs(ladder, snapshot, proposal.person.external_id, proposal.target_level, handovers))


def impact(proposal: Proposal) -> dict[str, Any]:
    """The org-health what-if of the proposal today: findings that appear and disappear, metrics before and after."""
    from trellis.health.whatif import WhatIf
    from trellis.web.health.services import simulate

    handovers = handovers_of(proposal)
    changes: list[WhatIf] = rules.planned_changes(_small_snapshot(proposal, handovers),
                                                  proposal.person.external_id, proposal.target_level, handovers)
    result = simulate("\n".join(c.describe() for c in changes), source=f"proposal {proposal.pk}")
    data = result.to_dict()
    data["as_of"] = clock.today().isoformat()
    return data


def readiness_for(proposal: Proposal) -> dict[str, Any] | None:
    """The person's latest readiness for the target level (``trellis.growth.readiness``) from their
    latest closed review cycle, as plain data to freeze into the proposal; None without one."""
    from trellis.growth.readiness import readiness_for as assess
    from trellis.web.health.services import policy_in_force

    ratings, cycle = _ratings_of(proposal.person)
    if not ratings:
        return None
    ladder = active_ladder()
    result = assess(ladder, proposal.target_level, ratings, policy_in_force(ladder).policy)
    return {**result.as_dict(), "summary": result.summary, "reasons": list(result.reasons), "cycle": cycle,
            "as_of": clock.today().isoformat()}


def _ratings_of(person: Person) -> tuple[list[Any], str]:
    """The ratings of the person's latest closed review cycle, as calibration left them (frozen
    when the cycle closed, so a later review never rewrites them)."""
    from trellis.growth.readiness import Rating
    from trellis.web.growth.models import Participant

    taken = (Participant.objects.filter(person=person, frozen__isnull=False)
             .order_by("-cycle__closed_at", "-cycle_id").values_list("frozen", "cycle__name").first())
    if taken is None:
        return [], ""
    frozen, cycle = taken
    return [Rating(c, s, r) for c, s, r in (frozen or {}).get("ratings", [])], cycle


# -- steps --------------------------------------------------------------------------------


def _locked(proposal_id: int, viewer: Viewer) -> Proposal:
    proposal = get(proposal_id, viewer)
    Proposal.objects.select_for_update().filter(pk=proposal.pk).values_list("pk").first()
    proposal.refresh_from_db(fields=["state", "consented_at", "effective", "applied_on"])
    return proposal


def _move(proposal: Proposal, action: Action) -> None:
    proposal.state = rules.next_state(State(proposal.state), action).value


def consent(proposal_id: int, *, viewer: Viewer, user: Any = None) -> Proposal:
    """The person confirms that they want the move (what the Peter-Principle guard waits for)."""
    with transaction.atomic():
        proposal = _locked(proposal_id, viewer)
        _require(viewer, Right.CONSENT, proposal, "confirm this move for someone else")
        if State(proposal.state) not in rules.OPEN:
            raise Refused(f"this proposal is {proposal.state_label}: there is nothing left to confirm")
        if proposal.consented_at is None:
            proposal.consented_at = clock.now()
            proposal.save(update_fields=["consented_at"])
            _step(proposal, "consented", viewer, user)
    return proposal


def _guard(proposal: Proposal) -> None:
    ladder = active_ladder()
    needed = rules.guard_applies(ladder, proposal.target_level, proposal.person.preferred_track)
    if needed and not proposal.guarded:
        proposal.guarded = True
        proposal.save(update_fields=["guarded"])
    if needed and proposal.consented_at is None:
        raise GuardHolds(rules.guard_message(proposal.person.name, ladder, proposal.target_level,
                                             proposal.from_level))


def frozen_evidence(entry: Any) -> dict[str, Any]:
    """One attached entry of the evidence log as a submitted proposal keeps it."""
    return {"id": entry.pk, "kind": entry.kind, "kind_label": entry.get_kind_display(), "date": entry.date.isoformat(),
            "title": entry.title, "link": entry.link or None}


def submit(proposal_id: int, *, viewer: Viewer, user: Any = None) -> Proposal:
    """Submit a draft to the committee: refused while the guard holds; readiness and impact are frozen into it."""
    with transaction.atomic():
        proposal = _locked(proposal_id, viewer)
        _require(viewer, Right.SUBMIT_PROPOSAL, proposal, "submit this proposal")
        rules.next_state(State(proposal.state), Action.SUBMIT)  # refuse a wrong step before the guard speaks
        _guard(proposal)
        proposal.readiness = readiness_for(proposal)
        proposal.impact_submitted = impact(proposal)
        proposal.evidence_submitted = [frozen_evidence(e) for e in proposal.evidence_entries.order_by("-date", "-id")]
        _move(proposal, Action.SUBMIT)
        proposal.save(update_fields=["state", "readiness", "impact_submitted", "evidence_submitted"])
        _step(proposal, "submitted", viewer, user)
    return proposal


def comment(proposal_id: int, *, viewer: Viewer, text: str, vote: str = "", user: Any = None) -> Comment:
    """A committee member comments, votes, or both; the first one puts the proposal in review."""
    if vote not in ("", *VOTES):
        raise Refused(f"a vote is {' or '.join(VOTES)}, not '{vote}'", "--vote")
    if not text.strip() and not vote:
        raise Refused("write a comment or give a vote")
    with transaction.atomic():
        proposal = _locked(proposal_id, viewer)
        _require(viewer, Right.REVIEW_PROPOSAL, proposal, "review this proposal")
        before = proposal.state
        _move(proposal, Action.REVIEW)
        if proposal.state != before:
            proposal.save(update_fields=["state"])
            _step(proposal, "in review", viewer, user)
        return Comment.objects.create(proposal=proposal, by=_who(viewer, user), text=text.strip(), vote=vote,
                                      at=clock.now(),
                                      user=user if getattr(user, "is_authenticated", False) else None)


def decide(proposal_id: int, approve: bool, *, viewer: Viewer, reason: str, effective: date | None = None,
           user: Any = None) -> Proposal:
    """Record the decision; an approval needs an effective date (given here or on the proposal).
    An approval that is already due changes the organisation at once."""
    if not reason.strip():
        raise Refused("say why: a decision needs a reason", "--reason")
    _check_effective(effective)
    with transaction.atomic():
        proposal = _locked(proposal_id, viewer)
        _require(viewer, Right.DECIDE_PROPOSAL, proposal, "decide on this proposal")
        _move(proposal, Action.APPROVE if approve else Action.DECLINE)
        if approve:
            _guard(proposal)
            proposal.effective = effective or proposal.effective
            if proposal.effective is None:
                raise Refused("an approval needs the date it takes effect: give --effective", "--effective")
            _check_effective(proposal.effective)
        proposal.impact_decided = impact(proposal)
        proposal.decision_reason = reason.strip()
        proposal.decided_at = clock.now()
        proposal.save(update_fields=["state", "effective", "impact_decided", "decision_reason", "decided_at"])
        _step(proposal, proposal.state, viewer, user, reason.strip())
    if approve:
        apply_due()
        proposal.refresh_from_db()
    return proposal


def withdraw(proposal_id: int, *, viewer: Viewer, reason: str = "", user: Any = None) -> Proposal:
    with transaction.atomic():
        proposal = _locked(proposal_id, viewer)
        _require(viewer, Right.WITHDRAW_PROPOSAL, proposal, "withdraw this proposal")
        _move(proposal, Action.WITHDRAW)
        proposal.save(update_fields=["state"])
        _step(proposal, "withdrawn", viewer, user, reason.strip())
    return proposal


# -- applying decisions -------------------------------------------------------------------


def due(as_of: date | None = None) -> QuerySet[Proposal]:
    day = as_of or clock.today()
    return Proposal.objects.filter(state=State.APPROVED.value, applied_on__isnull=True, effective__lte=day)


def apply_due(as_of: date | None = None) -> list[Proposal]:
    """Apply every approved proposal whose effective date has come (by ``as_of``, default today).

    Idempotent: a proposal is applied once, marked with the day it was applied, in the same
    transaction as the change to the organisation."""
    day = as_of or clock.today()
    if day > clock.today():
        raise Refused(f"{day.isoformat()} is after today ({clock.today().isoformat()}): a change is applied on "
                      "its date, not before", "--as-of")
    applied: list[Proposal] = []
    for pk in due(day).order_by("effective", "id").values_list("pk", flat=True):
        with transaction.atomic():
            proposal = (Proposal.objects.select_for_update().select_related("person")
                        .filter(pk=pk, applied_on__isnull=True, state=State.APPROVED.value).first())
            if proposal is None:
                continue  # applied meanwhile by another request
            assert proposal.effective is not None
            _apply_to_organisation(proposal)
            proposal.applied_on = proposal.effective
            proposal.save(update_fields=["applied_on"])
            _step(proposal, "applied", Viewer.operator(), None, f"effective {proposal.effective.isoformat()}")
            applied.append(proposal)
    return applied


_checked_on: date | None = None  # the day this process last applied what was due


def apply_due_once_a_day() -> list[Proposal]:
    """``apply_due`` at most once a day per process: what the web runs on its first request of the day."""
    global _checked_on
    today = clock.today()
    if _checked_on == today:
        return []
    _checked_on = today
    return apply_due()


def mark_checked(day: date | None) -> None:
    """Say the proposals due on ``day`` were applied (tests use it to keep a page's query count its own)."""
    global _checked_on
    _checked_on = day


def _apply_to_organisation(proposal: Proposal) -> None:
    """The organisation takes the proposal on its date, through the organisation's one writer: the
    new level (and with it the track) and each handover, recorded in the history with the proposal
    as their source. All or nothing: the caller's transaction holds every edit."""
    from trellis.org.edit import PersonEdit
    from trellis.web.org.services import edit_person

    assert proposal.effective is not None
    subject = proposal.person.external_id
    handovers = handovers_of(proposal)
    gained: dict[str, list[tuple[str, str]]] = {}
    lost: dict[str, list[tuple[str, str]]] = {}
    for h in handovers:
        # Who holds the role today, from the organisation itself (active people only).
        current = set(RoleAssignment.objects.filter(team__name=h.team, role=h.role, end__isnull=True,
                                                    person__active=True)
                      .values_list("person__external_id", flat=True))
        for holder in current:
            if holder != h.person:
                lost.setdefault(holder, []).append((h.role, h.team))
        if h.person is not None and h.person not in current:
            gained.setdefault(h.person, []).append((h.role, h.team))
    reason = f"{proposal.kind} approved in proposal {proposal.pk}: {proposal.decision_reason}"
    # The origin names the decision, so an import that would revert it can say whose it was
    # (``trellis.org.pending.PROPOSAL_ORIGIN``).
    approver = (proposal.steps.filter(action=State.APPROVED.value).order_by("-at", "-id")
                .values_list("by", flat=True).first())
    origin = f"proposal {proposal.pk}" + (f", approved by {approver}" if approver else "")
    # Those giving a role up go first, then the person, then those taking one over.
    order = [p for p in lost if p != subject] + [subject] + [p for p in gained if p != subject and p not in lost]
    for pid in order:
        edit = PersonEdit(pid, level=proposal.target_level if pid == subject else None,
                          add_roles=tuple(gained.get(pid, ())), remove_roles=tuple(lost.get(pid, ())))
        if edit == PersonEdit(pid):
            continue
        edit_person(edit, viewer=Viewer.operator(), reason=reason, as_of=proposal.effective, origin=origin,
                    health=False)


# -- demographic groups --------------------------------------------------------------------


def record_group(*, viewer: Viewer, group: str) -> None:
    """The viewer records (or, with ``""``, removes) their own demographic group. Only ever their own."""
    me = viewer.person
    if me is None or not viewer.may(Right.RECORD_GROUP, me[1]):
        raise PermissionDenied("a group is recorded by the person themself, from an account linked to them")
    group = group.strip()[:100]
    if not group:
        GroupRecord.objects.filter(person_id=me[0]).delete()
        return
    GroupRecord.objects.update_or_create(person_id=me[0], defaults={"group": group, "recorded_at": clock.now()})


def own_group(viewer: Viewer) -> str:
    me = viewer.person
    if me is None:
        return ""
    return GroupRecord.objects.filter(person_id=me[0]).values_list("group", flat=True).first() or ""
