"""The relations review cycles create (a reviewer, a nominated peer), told to the one access home.

``trellis.web.org.access.Viewer`` asks these sources when a right depends on them; nobody
else works out "is this my reviewer" for themselves.
"""

from __future__ import annotations

from collections.abc import Iterator

from trellis.access import Relation

# A cycle's reviewers and peers act while it runs; once it closes, only the organisation's
# own relations (manager, tech lead) remain.
ACTIVE_STATES = ("open", "calibration")


def reviewers(viewer_pk: int, people: dict[int, str], wanted: frozenset[Relation]) -> Iterator[tuple[str, Relation]]:
    from trellis.web.growth.models import Review

    rows = Review.objects.filter(reviewer_id=viewer_pk, participant__person_id__in=list(people),
                                 participant__cycle__state__in=ACTIVE_STATES).values_list(
        "participant__person_id", flat=True).distinct()
    for pk in rows:
        yield people[pk], Relation.REVIEWER


def nominated_peers(viewer_pk: int, people: dict[int, str],
                    wanted: frozenset[Relation]) -> Iterator[tuple[str, Relation]]:
    from trellis.web.growth.models import Nomination

    rows = Nomination.objects.filter(peer_id=viewer_pk, state="approved", participant__person_id__in=list(people),
                                     participant__cycle__state="open").values_list(
        "participant__person_id", flat=True).distinct()
    for pk in rows:
        yield people[pk], Relation.NOMINATED_PEER


def register() -> None:
    from trellis.web.org.access import add_relation_source

    add_relation_source([Relation.REVIEWER], reviewers)
    add_relation_source([Relation.NOMINATED_PEER], nominated_peers)
