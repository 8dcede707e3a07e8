"""Relations, rights, and which relations grant which right."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from enum import StrEnum


class Relation(StrEnum):
    """How a viewer stands to a person."""

    SELF = "self"
    MANAGER = "manager"  # the solid-line manager
    DOTTED_MANAGER = "dotted-manager"  # a dotted-line manager: works with the person day to day
    MANAGER_ABOVE = "manager-above"  # further up the solid line (skip-level and above)
    TECH_LEAD = "tech-lead"  # tech lead of the team the person works in
    # From review cycles (trellis.web.growth): the one assigned to review the person as half of the
    # pair (the team's tech lead and people manager, or the technical leader HR put in for a void),
    # and a peer whose nomination to give the person feedback was approved.
    REVIEWER = "reviewer"
    NOMINATED_PEER = "nominated-peer"
    HR = "hr"
    ADMIN = "admin"
    # Relations to a promotion proposal about the person, not to the person themself.
    PROPOSER = "proposer"  # made the proposal
    PROPOSAL_REVIEWER = "proposal-reviewer"  # named on the proposal's committee


class Right(StrEnum):
    """What a viewer may see or do about a person."""

    SEE_PREFERRED_TRACK = "see-preferred-track"  # also: findings that exist only because of it
    EDIT_PREFERRED_TRACK = "edit-preferred-track"
    EDIT_PERSON = "edit-person"  # level, manager, dotted lines, team, roles, leave and return
    SEE_PENDING = "see-pending"  # which values are edits not yet confirmed by the HR system
    ACKNOWLEDGE = "acknowledge"  # acknowledge an org-health finding about the person
    # Growth (docs/growth.md). What a review shows also depends on the cycle (results released,
    # one's own half submitted) and anonymity; those rules live with the reviews, not here.
    SEE_EVIDENCE = "see-evidence"
    RECORD_EVIDENCE = "record-evidence"
    SEE_SELF_EVALUATION = "see-self-evaluation"
    SEE_REVIEWS = "see-reviews"  # the pair's reviews and aggregated peer feedback, before results are released
    SEE_RELEASED_REVIEWS = "see-released-reviews"  # the same once the cycle releases results
    WRITE_REVIEW = "write-review"
    GIVE_FEEDBACK = "give-feedback"
    NOMINATE_PEERS = "nominate-peers"
    APPROVE_NOMINATIONS = "approve-nominations"
    SEE_READINESS = "see-readiness"
    # A cycle's calibration: every rater's figures and every participant's ratings side by side, the
    # calibrators' views, adjustments and the lock. Held by office only: it is about raters, not one person.
    CALIBRATE = "calibrate"
    PROPOSE = "propose"  # propose a promotion or a track change for the person
    SEE_PROPOSAL = "see-proposal"  # a promotion proposal about the person: its rationale, evidence, votes
    SEE_PROPOSAL_REVIEW = "see-proposal-review"  # the committee's comments and votes
    SUBMIT_PROPOSAL = "submit-proposal"  # submit a draft, name its reviewers
    CONSENT = "consent"  # confirm wanting a move into people management (the Peter-Principle guard)
    REVIEW_PROPOSAL = "review-proposal"  # comment and vote as the committee
    DECIDE_PROPOSAL = "decide-proposal"  # record the decision and the effective date
    WITHDRAW_PROPOSAL = "withdraw-proposal"
    SEE_PROMOTION_REPORTS = "see-promotion-reports"  # rates, time in level, the four-fifths rule
    RECORD_GROUP = "record-group"  # a demographic group: only ever recorded by the person themself
    SEE_SCENARIO = "see-scenario"  # a saved what-if scenario whose changes name the person (``scenario_visible``)


_DIRECT_MANAGERS = frozenset({Relation.MANAGER, Relation.DOTTED_MANAGER})
_HR = frozenset({Relation.HR, Relation.ADMIN})
# Who takes part in a person's growth: the person, the managers and tech lead who work with them,
# whoever reviews them, HR and admin. Not a skip-level manager, not a peer.
_GROWTH = frozenset({Relation.SELF, Relation.TECH_LEAD, Relation.REVIEWER}) | _DIRECT_MANAGERS | _HR

RULES: dict[Right, frozenset[Relation]] = {
    # Personal: the person, the managers who work with them directly, HR and admin. A skip-level
    # manager asks the direct manager, who knows the context; a tech lead leads the work, not the
    # career, so neither sees it.
    Right.SEE_PREFERRED_TRACK: frozenset({Relation.SELF}) | _DIRECT_MANAGERS | _HR,
    # A preference is the person's own to state; HR and admin may record what the person told them.
    Right.EDIT_PREFERRED_TRACK: frozenset({Relation.SELF}) | _HR,
    Right.EDIT_PERSON: _HR,
    Right.SEE_PENDING: _HR,
    # Anyone accountable for the person's part of the organisation: their managers up the line.
    Right.ACKNOWLEDGE: _DIRECT_MANAGERS | frozenset({Relation.MANAGER_ABOVE}) | _HR,
    # Evidence is about the work: the person, the managers who work with them, the tech lead who
    # leads their work, HR and admin; a reviewer put in for a void needs it to review.
    Right.SEE_EVIDENCE: _GROWTH,
    Right.RECORD_EVIDENCE: frozenset({Relation.SELF, Relation.MANAGER, Relation.TECH_LEAD}) | _HR,
    Right.SEE_SELF_EVALUATION: _GROWTH,
    Right.SEE_REVIEWS: _GROWTH - {Relation.SELF},
    Right.SEE_RELEASED_REVIEWS: _GROWTH,
    Right.WRITE_REVIEW: frozenset({Relation.REVIEWER}),
    Right.GIVE_FEEDBACK: frozenset({Relation.NOMINATED_PEER}),
    Right.NOMINATE_PEERS: frozenset({Relation.SELF, Relation.MANAGER}) | _HR,
    Right.APPROVE_NOMINATIONS: frozenset({Relation.MANAGER}) | _HR,
    Right.SEE_READINESS: _GROWTH,
    # Comparing raters across the organisation needs to see everyone's ratings; a manager sees only their
    # own people's, which cannot show who rates high or low. HR and admin run the meeting.
    Right.CALIBRATE: _HR,
    # A move is proposed by the person, a manager who works with them directly, or their tech lead.
    Right.PROPOSE: frozenset({Relation.SELF, Relation.TECH_LEAD}) | _DIRECT_MANAGERS,
    # Those who take part in it; the person themself once it is submitted (``proposal_relations``).
    Right.SEE_PROPOSAL: frozenset({Relation.SELF, Relation.PROPOSER, Relation.PROPOSAL_REVIEWER}) | _HR,
    # The person learns the decision and its reason; the committee's deliberation stays with those in it.
    Right.SEE_PROPOSAL_REVIEW: frozenset({Relation.PROPOSER, Relation.PROPOSAL_REVIEWER}) | _HR,
    Right.SUBMIT_PROPOSAL: frozenset({Relation.PROPOSER}) | _HR,
    # Nobody may confirm a move into management for the person: that is the point of the guard.
    Right.CONSENT: frozenset({Relation.SELF}),
    Right.REVIEW_PROPOSAL: frozenset({Relation.PROPOSAL_REVIEWER}) | _HR,
    Right.DECIDE_PROPOSAL: _HR,
    Right.WITHDRAW_PROPOSAL: frozenset({Relation.PROPOSER}) | _HR,
    Right.SEE_PROMOTION_REPORTS: _HR,
    Right.RECORD_GROUP: frozenset({Relation.SELF}),
    # A saved what-if is a plan not yet made (a promotion, a move, someone leaving): those accountable
    # for the person's part of the organisation may read it, as they may acknowledge its findings;
    # not the person, nor their tech lead or peers, who would learn of plans about them before anyone
    # decided anything.
    Right.SEE_SCENARIO: _DIRECT_MANAGERS | frozenset({Relation.MANAGER_ABOVE}) | _HR,
}

# Acts only the person asked can perform: writing the review one was assigned, giving the feedback one
# was asked for, proposing a move as someone who works with the person, confirming one's own move into
# management, recording one's own demographic group. Nobody holds them by office, not even admin or the
# command line's operator.
PERSONAL_ACTS: frozenset[Right] = frozenset({Right.WRITE_REVIEW, Right.GIVE_FEEDBACK, Right.PROPOSE, Right.CONSENT,
                                             Right.RECORD_GROUP})

# How each relation reads in an explanation ("seen only by the person, their managers, HR and admin").
_WORDS: dict[Relation, str] = {
    Relation.SELF: "the person",
    Relation.MANAGER: "their manager",
    Relation.DOTTED_MANAGER: "their dotted-line managers",
    Relation.MANAGER_ABOVE: "managers above them",
    Relation.TECH_LEAD: "their tech lead",
    Relation.HR: "HR",
    Relation.ADMIN: "admin",
    Relation.REVIEWER: "their reviewers",
    Relation.NOMINATED_PEER: "peers asked for feedback",
    Relation.PROPOSER: "the proposer",
    Relation.PROPOSAL_REVIEWER: "the proposal's reviewers",
}


def scenario_visible(*, author: bool, staff: bool, touches: Collection[str], permitted: Collection[str]) -> bool:
    """Who may open a saved what-if scenario: its author, HR and admin, and whoever holds
    ``SEE_SCENARIO`` about every person its changes name (``permitted``: those of ``touches`` they
    hold it about). Every person, not some: a manager of one of them must not learn, through a
    shared scenario, of plans about people outside their part of the organisation. What the
    scenario's findings say is filtered again for each viewer (a preferred track stays private)."""
    if author or staff:
        return True
    return bool(touches) and set(touches) <= set(permitted)


def scenario_changeable(*, author: bool, staff: bool) -> bool:
    """Who may edit or delete a saved scenario: its author, HR and admin (who look after what is
    shared). Those who may only see it make their own copy instead."""
    return author or staff


def allows(right: Right, relations: Collection[Relation]) -> bool:
    granted = RULES[right]
    return any(r in granted for r in relations)


def explain(right: Right) -> str:
    """Who holds ``right``, in words, in the order relations are declared."""
    words = [_WORDS[r] for r in Relation if r in RULES[right]]
    return ", ".join(words[:-1]) + (" and " if len(words) > 1 else "") + words[-1]


def relations_to(viewer: str | None, person: str, *, staff: Iterable[Relation] = (),
                 manager_of: Callable[[str], str | None], dotted_of: Callable[[str], Iterable[str]],
                 tech_leads_of: Callable[[str], Iterable[str]]) -> frozenset[Relation]:
    """The viewer's relations to ``person`` in an organisation given as lookups.

    ``viewer``: the viewer's own person id, None for an account linked to no one. ``staff``:
    HR and admin, which come from the account, not the organisation. ``tech_leads_of(person)``:
    the tech leads of the team the person works in. Used by the pure core (readiness, what-if
    from files) and as the reference the database layer is tested against.
    """
    found = set(staff)
    if viewer is None:
        return frozenset(found)
    if viewer == person:
        found.add(Relation.SELF)
    manager = manager_of(person)
    if manager == viewer:
        found.add(Relation.MANAGER)
    if viewer in set(dotted_of(person)):
        found.add(Relation.DOTTED_MANAGER)
    if viewer in set(tech_leads_of(person)) and viewer != person:
        found.add(Relation.TECH_LEAD)
    seen = {person}
    above = manager_of(manager) if manager is not None else None
    while above is not None and above not in seen:  # a cycle in bad data must not loop forever
        if above == viewer:
            found.add(Relation.MANAGER_ABOVE)
            break
        seen.add(above)
        above = manager_of(above)
    return frozenset(found)


def proposal_relations(to_person: Collection[Relation], *, proposer: bool, reviewer: bool,
                       draft: bool, needs_consent: bool = False) -> frozenset[Relation]:
    """The viewer's relations to a proposal about a person, from their relations to the person.

    A draft belongs to its proposer until it is submitted: the person themself stands in no
    relation to it before then (unless they proposed it), except when it waits for their own
    consent (``needs_consent``: the Peter-Principle guard holds it)."""
    found = {r for r in to_person if not (draft and not needs_consent and r == Relation.SELF)}
    if proposer:
        found.add(Relation.PROPOSER)
    if reviewer:
        found.add(Relation.PROPOSAL_REVIEWER)
    return frozenset(found)
