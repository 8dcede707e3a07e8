"""Findings about the organisation as a whole: the bench, the architecture line, parity of the tracks."""

from __future__ import annotations

from tests.health.builders import LADDER, healthy
from trellis.health.engine import evaluate
from trellis.health.policy import Policy
from trellis.ladder.model import Ladder, Level, PayBand


def ladder_with(levels: list[Level]) -> Ladder:
    # Built in code, not from a file: a ladder file with such a gap would not load at all.
    return Ladder.model_validate({**LADDER.model_dump(), "levels": [lv.model_dump() for lv in levels]})


def findings(builder, code, policy=None, ladder=LADDER):  # type: ignore[no-untyped-def]
    return [f for f in evaluate(builder.build(), ladder, policy).findings if f.code == code]


def test_a_technical_leadership_level_with_no_one_below_it_has_a_thin_bench():
    b = healthy().change("arthur", level="lead-engineer")  # no software architect left under Paula
    [finding] = findings(b, "thin-bench")
    assert (finding.level, finding.severity, finding.team, finding.person) == \
        ("principal-architect", "warning", None, None)
    assert "Principal Architect (1 person today) has 0 candidates one level below (Software Architect)" \
        in finding.message


def test_an_empty_level_with_no_one_below_it_is_only_information():
    b = healthy().change("arthur", level="lead-engineer").change("paula", level="lead-engineer")
    # No one is a Principal Architect or a Software Architect: the empty level is information, while
    # the Director of Architecture, whom someone holds, has no one to follow her: a warning.
    assert [(f.level, f.severity) for f in findings(b, "thin-bench")] == [
        ("director-of-architecture", "warning"), ("principal-architect", "info")]


def test_the_bench_minimum_comes_from_the_policy():
    found = findings(healthy(), "thin-bench", Policy(thin_bench_min=2))
    assert [(f.level, f.severity) for f in found] == [
        ("cto", "info"), ("director-of-architecture", "info"), ("principal-architect", "info")]


def test_levels_below_the_tech_lead_level_have_no_bench():
    b = healthy()
    for pid in ("pay2", "pay4", "search2", "search4"):
        b.change(pid, level="senior-software-engineer")
    assert [f.level for f in findings(b, "thin-bench")] == []


def test_directors_of_engineering_without_a_director_of_architecture_break_the_architecture_line():
    b = healthy().change("diana", level="principal-architect")
    [finding] = findings(b, "architecture-line")
    assert finding.person is None
    assert "2 people-management leaders at director grade or above (Dora Dunn (dora), Victor Vale (victor))" \
        in finding.message


def test_a_director_of_architecture_without_management_peers_breaks_the_line():
    b = healthy().change("diana", manager_id="dora")  # now her peers are the engineering managers
    [finding] = findings(b, "architecture-line")
    assert finding.person == "diana"
    assert "none of the other reports of Dora Dunn (dora) is a people-management leader" in finding.message


def test_the_architecture_line_can_be_switched_off():
    b = healthy().change("diana", level="principal-architect")
    assert findings(b, "architecture-line", Policy(architecture_line=False)) == []


def test_an_organisation_with_no_management_leaders_needs_no_architecture_line():
    b = healthy().change("diana", level="principal-architect").change("dora", level="senior-engineering-manager")
    b.change("victor", level="senior-engineering-manager")
    assert findings(b, "architecture-line") == []


def test_a_grade_with_management_but_no_technical_level_breaks_parity():
    promoted = ladder_with([lv.model_copy(update={"grade": 5}) if lv.id == "senior-engineering-manager" else lv
                            for lv in LADDER.levels if lv.id != "principal-architect"])
    b = healthy().change("paula", level="software-architect")
    [finding] = findings(b, "track-parity", ladder=promoted)
    assert finding.level == "senior-engineering-manager"
    assert "Grade 5 has management levels (Senior Engineering Manager) but no technical level" in finding.message


def test_a_lower_pay_band_for_the_technical_peer_breaks_parity():
    def paid(level_id: str, low: int, high: int):  # type: ignore[no-untyped-def]
        level = LADDER.levels_by_id[level_id]
        return level.model_copy(update={"pay": PayBand(min=low, max=high, currency="EUR")})

    banded = {"lead-engineer": paid("lead-engineer", 80, 100),
              "engineering-manager": paid("engineering-manager", 90, 110),
              "software-architect": paid("software-architect", 100, 130),
              "senior-engineering-manager": paid("senior-engineering-manager", 100, 130)}
    ladder = ladder_with([banded.get(lv.id, lv) for lv in LADDER.levels])
    [finding] = findings(healthy(), "track-parity", ladder=ladder)
    assert finding.level == "lead-engineer"
    assert "Lead Engineer is paid 80–100 but its management peer Engineering Manager 90–110" in finding.message
