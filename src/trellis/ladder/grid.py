"""The two tracks side by side, peers aligned by grade: shared by the CLI and the web page."""

from __future__ import annotations

from dataclasses import dataclass

from trellis.ladder.model import Ladder, Level, Track


@dataclass(frozen=True)
class GradeRow:
    grade: int
    cells: list[list[Level]]  # one list per track, in the ladder's track order


def grade_rows(ladder: Ladder, highest_first: bool = True) -> tuple[list[Track], list[GradeRow]]:
    """One row per grade; each track's column holds its levels of that grade (usually one)."""
    tracks = list(ladder.tracks)
    rows = []
    for grade in sorted(ladder.grades(), reverse=highest_first):
        cells = [[lv for lv in ladder.track_levels(t.id) if lv.grade == grade] for t in tracks]
        rows.append(GradeRow(grade, cells))
    return tracks, rows
