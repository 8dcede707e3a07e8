"""The promotion reports for HR and admin, read from the organisation's history, its snapshots at
the start of each year, the proposals, and the groups people chose to record."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied

from trellis.access import Right
from trellis.lib import clock
from trellis.promotions import reports
from trellis.promotions.rules import PROMOTION
from trellis.web.ladders.services import active_ladder
from trellis.web.org import services as org_services
from trellis.web.org.access import Viewer
from trellis.web.org.models import HistoryEvent, Person
from trellis.web.promotions.models import GroupRecord, Proposal

YEARS = 3


@dataclass(frozen=True)
class PromotionReport:
    years: list[int]
    rates: list[reports.RateRow]
    time_in_level: list[reports.TimeRow]
    track_moves: list[reports.TrackMoveRow]
    guard: reports.GuardSummary
    groups: list[reports.GroupReport]
    min_group: int = reports.MIN_GROUP


def require(viewer: Viewer) -> None:
    if not viewer.holds(Right.SEE_PROMOTION_REPORTS):
        raise PermissionDenied("only HR and admin see the promotion reports")


def promotion_report(viewer: Viewer, years: int = YEARS) -> PromotionReport:
    """The last ``years`` calendar years, this one included."""
    require(viewer)
    ladder = active_ladder()
    today = clock.today()
    span = list(range(today.year - years + 1, today.year + 1))
    start = date(span[0], 1, 1)
    events = list(HistoryEvent.objects.filter(effective__gte=start, kind__in=["level-changed", "track-changed"])
                  .values_list("kind", "effective", "person_id_ext", "old", "new"))
    moves = [reports.Move(pid, old, new, day, kind) for k, day, pid, old, new in events
             if k == "level-changed" and old and new
             and (kind := reports.classify_level_change(ladder, old, new)) is not None]
    populations: dict[int, dict[str, str]] = {}  # year -> person -> level, when the year began
    for year in span:
        snapshot = org_services.load_snapshot(date(year, 1, 1))
        populations[year] = {pid: p.level for pid, p in snapshot.active_people.items()}
    headcounts = {year: dict(Counter(levels.values())) for year, levels in populations.items()}
    groups = dict(GroupRecord.objects.values_list("person__external_id", "group"))
    promoted = {year: {m.person_id for m in moves if m.kind == PROMOTION and m.effective.year == year}
                for year in span}
    return PromotionReport(
        years=span,
        rates=reports.promotion_rates(moves, headcounts, ladder, PROMOTION),
        time_in_level=reports.time_in_level(Person.objects.filter(active=True).values_list("level", "level_since"),
                                            today, ladder),
        track_moves=reports.track_moves((day, old, new) for k, day, _, old, new in events
                                        if k == "track-changed" and old and new),
        guard=reports.guard_summary((guarded, consented is not None, state) for guarded, consented, state
                                    in Proposal.objects.values_list("guarded", "consented_at", "state")),
        groups=[reports.group_rates(year, populations[year], promoted[year], groups) for year in span],
    )

