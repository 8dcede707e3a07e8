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
}

# Acts only the person asked can perform: writing the review one was assigned, giving the feedback one
# was asked for. Nobody holds them by office, not even admin or the command line's operator.
PERSONAL_ACTS: frozenset[Right] = frozenset({Right.WRITE_REVIEW, Right.GIVE_FEEDBACK})

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
}


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
