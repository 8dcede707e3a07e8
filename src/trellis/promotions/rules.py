"""What a proposal is and may become: kinds, states and their transitions, the Peter-Principle
guard, the role handovers that go with a move, and what the move changes in the organisation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from trellis.health.whatif import WhatIf
from trellis.ladder.model import Ladder, Level
from trellis.lib.problems import InputError, Problem
from trellis.org.model import PEOPLE_MANAGER, ROLES, TECH_LEAD, OrgSnapshot

PROMOTION = "promotion"  # the next level on the same track
TRACK_CHANGE = "track-change"  # a level on the other track, in either direction
KINDS: tuple[str, ...] = (PROMOTION, TRACK_CHANGE)

# Preferred tracks for which a move into management needs the person's own word first.
GUARDED_PREFERENCES: frozenset[str] = frozenset({"technical", "undecided"})


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in-review"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")


class Action(StrEnum):
    SUBMIT = "submit"
    REVIEW = "review"  # the committee's first comment or vote
    APPROVE = "approve"
    DECLINE = "decline"
    WITHDRAW = "withdraw"


OPEN: frozenset[State] = frozenset({State.DRAFT, State.SUBMITTED, State.IN_REVIEW})
DECIDED: frozenset[State] = frozenset({State.APPROVED, State.DECLINED})

TRANSITIONS: dict[tuple[State, Action], State] = {
    (State.DRAFT, Action.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Action.REVIEW): State.IN_REVIEW,
    (State.IN_REVIEW, Action.REVIEW): State.IN_REVIEW,
    (State.SUBMITTED, Action.APPROVE): State.APPROVED,
    (State.IN_REVIEW, Action.APPROVE): State.APPROVED,
    (State.SUBMITTED, Action.DECLINE): State.DECLINED,
    (State.IN_REVIEW, Action.DECLINE): State.DECLINED,
    # A decided proposal is history: undoing an approval is a new proposal, never an edit.
    (State.DRAFT, Action.WITHDRAW): State.WITHDRAWN,
    (State.SUBMITTED, Action.WITHDRAW): State.WITHDRAWN,
    (State.IN_REVIEW, Action.WITHDRAW): State.WITHDRAWN,
}


class Refused(InputError):
    """A proposal may not be made, or may not take this step; the message says why and what to do."""

    def __init__(self, message: str, source: str = "proposal"):
        super().__init__([Problem(source, None, message)])
        self.message = message


class GuardHolds(Refused):
    """The Peter-Principle guard: the person has not confirmed that they want to manage."""


def next_state(state: State, action: Action) -> State:
    after = TRANSITIONS.get((state, action))
    if after is not None:
        return after
    allowed = sorted(a.value for (s, a) in TRANSITIONS if s == state)
    if state in DECIDED:
        why = (f"it was {state.label}; a decision is never edited: make a new proposal to undo or redo it")
    elif state == State.WITHDRAWN:
        why = "it was withdrawn; make a new proposal instead"
    else:
        why = f"a {state.label} proposal can only be {', '.join(allowed) or 'left as it is'}"
    raise Refused(f"cannot {action.value} this proposal: {why}")


def classify(ladder: Ladder, current: str, target: str) -> str:
    """PROMOTION or TRACK_CHANGE; raise Refused naming the levels that could be proposed instead."""
    levels = ladder.levels_by_id
    if target not in levels:
        raise Refused(f"unknown level '{target}'; the ladder's levels are: {', '.join(levels)}")
    if current not in levels:
        raise Refused(f"the person's level '{current}' is not on the active ladder: fix the level first")
    if target == current:
        raise Refused(f"the person is already {levels[target].title} ({target})")
    here, there = levels[current], levels[target]
    if there.track != here.track:
        return TRACK_CHANGE
    following = next_level(ladder, current)
    if following is not None and following.id == target:
        return PROMOTION
    others = [lvl.id for lvl in ladder.levels if lvl.track != here.track]
    hint = f"the next level on the {ladder.track(here.track).name} track is {following.title} ({following.id})" \
        if following is not None else f"{here.title} is the top of the {ladder.track(here.track).name} track"
    raise Refused(f"{there.title} is not a promotion from {here.title}: {hint}; a track change may go to any "
                  f"level of another track ({', '.join(others)})")


def next_level(ladder: Ladder, level_id: str) -> Level | None:
    level = ladder.levels_by_id[level_id]
    track = ladder.track_levels(level.track)
    i = track.index(level)
    return track[i + 1] if i + 1 < len(track) else None


def guard_applies(ladder: Ladder, target: str, preferred_track: str) -> bool:
    """True when a move into people management needs the person's own confirmation first:
    they prefer the technical track or have not said (the Peter Principle)."""
    return ladder.track_kind(target) == "management" and preferred_track in GUARDED_PREFERENCES


def technical_alternatives(ladder: Ladder, target: str) -> list[Level]:
    """Technical-track levels of the target's grade: the move of equal standing that keeps the craft."""
    return [lvl for lvl in ladder.peers(target) if ladder.track(lvl.track).effective_kind == "technical"]


def alternative_sentence(ladder: Ladder, target: str, current: str | None = None) -> str | None:
    """"Software Architect is the peer of this level on the technical track", and whether the
    person already holds that standing (``current``)."""
    peers = technical_alternatives(ladder, target)
    if not peers:
        return None
    titles = " and ".join(p.title for p in peers)
    sentence = f"{titles} {'is' if len(peers) == 1 else 'are'} the peer of this level on the technical track"
    if current in {p.id for p in peers}:
        sentence += ", the level held now: the move brings no higher standing"
    return sentence


def guard_message(name: str, ladder: Ladder, target: str, current: str | None = None) -> str:
    title = ladder.levels_by_id[target].title
    alternative = alternative_sentence(ladder, target, current)
    tail = f" ({alternative})" if alternative else ""
    return (f"{name} has not confirmed wanting to move into people management as {title}: their preferred track "
            f"is not management. Ask them first; they confirm with 'consent'{tail}.")


NOBODY = "none"  # a handover to nobody: the role ends and the team is left without it


@dataclass(frozen=True)
class Handover:
    """``person`` takes ``role`` on ``team``; whoever holds it now gives it up. ``person`` None:
    the holders give it up and nobody takes it (the impact preview shows the void)."""

    role: str
    team: str
    person: str | None

    def describe(self) -> str:
        return f"{self.role}@{self.team}={self.person or NOBODY}"


def parse_handover(text: str, source: str = "--handover") -> Handover:
    spec, eq, person = text.partition("=")
    role, at, team = spec.partition("@")
    if not eq or not at or not team.strip() or not person.strip():
        raise Refused(f"'{text}': write a handover as ROLE@TEAM=PERSON, e.g. tech_lead@Payments=e5 "
                      f"(PERSON {NOBODY}: the role ends with nobody taking it)", source)
    if role not in ROLES:
        raise Refused(f"'{text}': unknown role '{role}'; roles are {' and '.join(ROLES)}", source)
    who = person.strip()
    return Handover(role, team.strip(), None if who.lower() == NOBODY else who)


def planned_changes(snapshot: OrgSnapshot, person_id: str, target: str,
                    handovers: Sequence[Handover]) -> list[WhatIf]:
    """The proposal as what-if changes: the new level, then each handover (the holders give
    the role up, the named person takes it)."""
    changes = [WhatIf("promote", person_id, level=target, source="proposal")]
    for h in handovers:
        holders = [r.person_id for r in snapshot.team_roles(h.team, h.role)]
        changes += [WhatIf("take", holder, team=h.team, role=h.role, source="proposal")
                    for holder in holders if holder != h.person]
        if h.person is not None and h.person not in holders:
            changes.append(WhatIf("give", h.person, team=h.team, role=h.role, source="proposal"))
    return changes


def roles_after(snapshot: OrgSnapshot, person_id: str, handovers: Sequence[Handover]) -> set[tuple[str, str]]:
    """The (role, team) pairs ``person_id`` would hold once the handovers are made."""
    held = {(r.role, r.team) for r in snapshot.person_roles(person_id)}
    for h in handovers:
        if h.person == person_id:
            held.add((h.role, h.team))
        else:
            held.discard((h.role, h.team))
    return held


def two_jobs(ladder: Ladder, snapshot: OrgSnapshot, person_id: str, target: str,
             handovers: Sequence[Handover]) -> str | None:
    """Why the move would leave the person doing two jobs, and which handover would end it; None if it would not."""
    held = roles_after(snapshot, person_id, handovers)
    person = snapshot.people.get(person_id)
    name = person.name if person is not None else person_id
    led = sorted(team for role, team in held if role == TECH_LEAD)
    managed = sorted(team for role, team in held if role == PEOPLE_MANAGER)
    if not led:
        return None
    example = f"tech_lead@{led[0]}=PERSON"
    if managed:
        return (f"{name} would be people manager of {', '.join(managed)} and tech lead of {', '.join(led)} at "
                f"once: two jobs. Name who takes the tech-lead role over ({example}) or keep the roles apart.")
    if ladder.track_kind(target) == "management":
        title = ladder.levels_by_id[target].title
        return (f"{name} would become {title} and still be tech lead of {', '.join(led)}: two jobs. Name who "
                f"takes the tech-lead role over ({example}).")
    return None
