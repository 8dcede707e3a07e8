"""Planning an import: each change with its effective date, people who left, counts for a preview."""

from __future__ import annotations

from datetime import date

from trellis.ladder.load import load_default
from trellis.org.csvio import read_org_csv
from trellis.org.model import Change, OrgSnapshot
from trellis.org.plan import plan_import

LADDER = load_default().ladder
D1 = date(2025, 3, 1)
D2 = date(2025, 9, 1)
HEADER = "id,name,level,manager_id,dotted_manager_ids,team,department,roles,since\n"
BEFORE = HEADER + (
    "cto,Ada,cto,,,,,,\n"
    "em,Ben,engineering-manager,cto,,pay,Money,people_manager,\n"
    "tl,Cleo,senior-software-engineer,em,,pay,Money,tech_lead,2022-01-01\n"
    "e1,Dev,software-engineer,em,,pay,Money,,\n"
    "e2,Eli,software-engineer,em,tl,pay,Money,,\n"
)


def read(text: str, as_of: date) -> OrgSnapshot:
    return read_org_csv(text, "org.csv", LADDER, as_of=as_of)


def imported(text: str = BEFORE) -> OrgSnapshot:
    return plan_import(OrgSnapshot(as_of=D1), read(text, D1), as_of=D1, ladder=LADDER).result


def test_a_first_import_has_everyone_join_and_every_role_start():
    plan = plan_import(OrgSnapshot(as_of=D1), read(BEFORE, D1), as_of=D1, ladder=LADDER)
    assert plan.counts == {"team-created": 1, "joined": 5, "role-gained": 2}
    gained = [c for c in plan.changes if c.kind == "role-gained"]
    assert gained == [Change("role-gained", D1, person_id="em", team="pay", new="people_manager@pay"),
                      Change("role-gained", date(2022, 1, 1), person_id="tl", team="pay", new="tech_lead@pay")]
    assert plan.leaving == 0 and plan.left_share == 0.0


def test_the_same_file_again_is_no_change_at_all():
    plan = plan_import(imported(), read(BEFORE, D2), as_of=D2, ladder=LADDER)
    assert plan.is_empty and plan.counts == {}
    assert plan.summary_lines() == ["No changes: the organisation already matches the file."]


def test_a_promotion_takes_effect_on_its_since_date():
    after = BEFORE.replace("tl,Cleo,senior-software-engineer,em,,pay,Money,tech_lead,2022-01-01",
                           "tl,Cleo,lead-engineer,em,,pay,Money,tech_lead,2025-08-15")
    plan = plan_import(imported(), read(after, D2), as_of=D2, ladder=LADDER)
    assert plan.changes == [Change("level-changed", date(2025, 8, 15), person_id="tl", team="pay",
                                   old="senior-software-engineer", new="lead-engineer", old_since=date(2022, 1, 1))]
    assert plan.result.people["tl"].level_since == date(2025, 8, 15)


def test_a_move_to_management_is_a_track_change_too():
    after = BEFORE.replace("e1,Dev,software-engineer,em", "e1,Dev,engineering-manager,em")
    plan = plan_import(imported(), read(after, D2), as_of=D2, ladder=LADDER)
    assert [(c.kind, c.old, c.new, c.effective) for c in plan.changes] == [
        ("level-changed", "software-engineer", "engineering-manager", D2),
        ("track-changed", "technical", "management", D2)]


def test_a_new_team_manager_and_dotted_line_are_recorded_as_of_the_import():
    after = BEFORE.replace("e2,Eli,software-engineer,em,tl,pay,Money", "e2,Eli,software-engineer,cto,em;tl,maps,Geo")
    plan = plan_import(imported(), read(after, D2), as_of=D2, ladder=LADDER)
    assert [(c.kind, c.old, c.new) for c in plan.changes] == [
        ("team-created", None, "Geo"), ("team-changed", "pay", "maps"), ("manager-changed", "em", "cto"),
        ("dotted-changed", "tl", "em;tl")]
    assert all(c.effective == D2 for c in plan.changes)


def test_a_role_handed_over_ends_one_span_and_starts_another():
    after = (BEFORE.replace("pay,Money,tech_lead,2022-01-01", "pay,Money,,2022-01-01")
             .replace("e1,Dev,software-engineer,em,,pay,Money,,", "e1,Dev,software-engineer,em,,pay,Money,tech_lead,"))
    before = imported()
    plan = plan_import(before, read(after, D2), as_of=D2, ladder=LADDER)
    assert [(c.kind, c.person_id, c.old or c.new) for c in plan.changes] == [
        ("role-lost", "tl", "tech_lead@pay"), ("role-gained", "e1", "tech_lead@pay")]
    spans = [(r.person_id, r.start, r.end) for r in plan.result.roles if r.role == "tech_lead"]
    assert spans == [("e1", D2, None), ("tl", date(2022, 1, 1), D2)]
    assert [r.person_id for r in plan.result.team_roles("pay", "tech_lead")] == ["e1"]


def test_people_missing_from_the_file_are_marked_left_never_dropped():
    after = "".join(line for line in BEFORE.splitlines(keepends=True) if not line.startswith("tl,"))
    after = after.replace("e2,Eli,software-engineer,em,tl,", "e2,Eli,software-engineer,em,,")
    plan = plan_import(imported(), read(after, D2), as_of=D2, ladder=LADDER)
    assert plan.counts == {"left": 1, "role-lost": 1, "dotted-changed": 1}
    assert plan.first_of_kind["left"] == Change("left", D2, person_id="tl", team="pay", old="Cleo")
    assert plan.leaving == 1 and plan.left_share == 1 / 5
    assert plan.result.people["tl"].active is False
    assert "tl" not in plan.result.active_people and plan.result.team_roles("pay", "tech_lead") == []


def test_someone_back_after_leaving_is_active_again():
    without = "".join(line for line in BEFORE.splitlines(keepends=True) if not line.startswith("e1,"))
    gone = plan_import(imported(), read(without, D2), as_of=D2, ladder=LADDER).result
    plan = plan_import(gone, read(BEFORE, date(2025, 10, 1)), as_of=date(2025, 10, 1), ladder=LADDER)
    assert plan.counts == {"rejoined": 1}
    assert plan.result.people["e1"].active


def test_a_team_given_a_new_department_is_recorded():
    plan = plan_import(imported(), read(BEFORE.replace("Money", "Finance"), D2), as_of=D2, ladder=LADDER)
    assert plan.changes == [Change("department-changed", D2, team="pay", old="Money", new="Finance")]
    assert plan.result.teams["pay"].department == "Finance"


def test_the_summary_counts_each_kind_and_shows_the_first():
    after = BEFORE.replace("e1,Dev,software-engineer", "e1,Dev,senior-software-engineer").replace(
        "e2,Eli,software-engineer", "e2,Eli,senior-software-engineer")
    lines = plan_import(imported(), read(after, D2), as_of=D2, ladder=LADDER).summary_lines()
    assert lines == ["2 level changed (first: level-changed e1: software-engineer -> senior-software-engineer "
                     "(from 2025-09-01))"]
