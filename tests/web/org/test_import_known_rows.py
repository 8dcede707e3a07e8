"""A re-import takes the rows unchanged since the last one as they were stored, and answers exactly as a
first reading of the file would: the same changes, the same history, the same problems."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.org.test_apply_import import ORG
from trellis.ladder.load import load_default, parse_ladder
from trellis.lib.problems import InputError
from trellis.org.csvio import ReadOptions, parse_mapping, parse_where
from trellis.org.edit import PersonEdit, TeamEdit
from trellis.org.generate import generate_org_csv
from trellis.web.ladders.services import store_version
from trellis.web.org import services
from trellis.web.org.access import Viewer
from trellis.web.org.models import HistoryEvent, ImportBatch, PendingValue, Person, Team

pytestmark = pytest.mark.django_db

FIRST = date(2025, 3, 1)
EDITED = date(2025, 4, 1)
AGAIN = date(2025, 9, 1)
# The next export: Eve changed her name, Femi moved to payments.
NEXT = (ORG.replace("e1,Eve,,", "e1,Eve Adams,,")
        .replace("e2,Femi,,senior-software-engineer,em1,,search,,",
                 "e2,Femi,,senior-software-engineer,em1,,payments,Money,"))


def outcome(run: Callable[[], Any]) -> Any:
    """What ``run`` returns (or the problems it raises), the history it writes, the organisation it
    leaves and the digests of the rows it stores for the next import; undone afterwards."""
    with transaction.atomic():
        batches = ImportBatch.objects.count()
        try:
            result: Any = run()
        except InputError as exc:
            result = [str(p) for p in exc.problems]
        history = list(HistoryEvent.objects.order_by("seq").values_list(
            "kind", "effective", "person_id_ext", "team_name", "old", "new", "note"))
        exported = services.export_csv()
        teams = sorted(Team.objects.values_list("name", "department"))
        # An import that changes nothing writes nothing, digests included: there is nothing to compare.
        digests = (sorted(Person.objects.filter(active=True).values_list("external_id", "import_digest"))
                   if ImportBatch.objects.count() > batches else None)
        transaction.set_rollback(True)
    return result, history, exported, teams, digests


def as_first_reading(run: Callable[[], Any]) -> tuple[Any, Any]:
    """``run``'s outcome with the stored rows taken, then with every stored digest forgotten."""
    taken = outcome(run)
    with transaction.atomic():
        Person.objects.update(import_digest="")
        read = outcome(run)
        transaction.set_rollback(True)
    return taken, read


def changes(plan: Any) -> list[dict[str, Any]]:
    return [asdict(c) for c in plan.changes]


def known_ids(as_of: date = AGAIN) -> set[str] | None:
    _, known = services._known_rows(as_of)
    return None if known is None else set(known.people.values())


def test_every_row_that_says_what_was_stored_is_remembered():
    services.apply_import(ORG, "org.csv", as_of=FIRST)
    assert known_ids() == {"cto", "em1", "tl1", "arc", "e1", "e2"}
    by_e_mail = ORG.replace(",em1,,payments,Money,,,", ",bjorn@example.org,,payments,Money,,,")
    services.apply_import(by_e_mail, "org.csv", as_of=AGAIN)  # changes nothing, but Eve's row is another
    assert known_ids() == {"cto", "em1", "tl1", "arc", "e2"}  # and names her manager by e-mail: never taken
    services.apply_import(by_e_mail.replace("e2,Femi,", "e2,Femi Ade,"), "org.csv", as_of=AGAIN)
    assert known_ids() == {"cto", "em1", "tl1", "arc", "e2"}  # Eve's manager is named by e-mail


def test_a_re_import_records_the_same_changes_as_a_first_reading():
    services.apply_import(ORG, "org.csv", as_of=FIRST)
    taken, read = as_first_reading(lambda: changes(services.apply_import(NEXT, "next.csv", as_of=AGAIN)))
    assert taken == read
    assert [c["kind"] for c in taken[0]] == ["name-changed", "team-changed"]
    services.apply_import(NEXT, "next.csv", as_of=AGAIN)
    assert known_ids() == {"cto", "em1", "tl1", "arc", "e1", "e2"}  # the changed rows are remembered as they are now


def test_a_row_unchanged_in_the_file_but_edited_in_trellis_is_read_again(hannah):
    services.apply_import(ORG, "org.csv", as_of=FIRST)
    services.edit_person(PersonEdit("e1", level="senior-software-engineer"), viewer=Viewer.of(hannah), user=hannah,
                         reason="promoted in the spring round", as_of=EDITED)
    assert known_ids() == {"cto", "em1", "tl1", "arc", "e2"}
    with pytest.raises(services.ImportConflicts):
        services.apply_import(ORG, "org.csv", as_of=AGAIN)
    taken, read = as_first_reading(lambda: changes(services.apply_import(ORG, "org.csv", as_of=AGAIN,
                                                                         prefer="file")))
    assert taken == read
    assert [(c["kind"], c["person_id"], c["new"]) for c in taken[0]] == [
        ("level-changed", "e1", "software-engineer")]
    assert "reverts the edit by hannah" in taken[1][-1][-1]


def test_an_edit_a_later_import_confirmed_no_longer_keeps_the_row_from_being_taken(hannah):
    services.apply_import(ORG, "org.csv", as_of=FIRST)
    services.edit_person(PersonEdit("e1", level="senior-software-engineer"), viewer=Viewer.of(hannah), user=hannah,
                         reason="promoted in the spring round", as_of=EDITED)
    caught_up = ORG.replace("e1,Eve,,software-engineer,em1,,payments,Money,,,",
                            "e1,Eve,,senior-software-engineer,em1,,payments,Money,,,2025-04-01")
    services.apply_import(caught_up, "org.csv", as_of=AGAIN)
    assert PendingValue.objects.get(subject="e1").state == PendingValue.CONFIRMED
    assert known_ids(date(2025, 10, 1)) == {"cto", "em1", "tl1", "arc", "e1", "e2"}


def test_an_edit_kept_pending_keeps_the_row_from_being_taken(hannah):
    services.apply_import(ORG, "org.csv", as_of=FIRST)
    services.edit_person(PersonEdit("e1", level="senior-software-engineer"), viewer=Viewer.of(hannah), user=hannah,
                         reason="promoted in the spring round", as_of=EDITED)
    services.apply_import(NEXT, "next.csv", as_of=AGAIN, prefer="trellis")
    assert "e1" not in (known_ids(date(2025, 10, 1)) or set())
    taken, read = as_first_reading(lambda: changes(services.apply_import(ORG, "org.csv", as_of=date(2025, 10, 1),
                                                                         prefer="file")))
    assert taken == read


def test_a_team_changed_in_trellis_has_every_row_read_again(hannah):
    services.apply_import(ORG, "org.csv", as_of=FIRST)
    services.edit_team(TeamEdit("search", name="discovery"), viewer=Viewer.of(hannah), user=hannah,
                       reason="renamed", as_of=EDITED)
    assert known_ids() is None
    taken, read = as_first_reading(lambda: changes(services.apply_import(ORG, "org.csv", as_of=AGAIN,
                                                                         prefer="file")))
    assert taken == read


def test_a_new_ladder_has_every_row_read_again():
    by_title = ORG.replace("tl1,Chloé Diaz,,lead-engineer,", "tl1,Chloé Diaz,,Lead Engineer,")
    services.apply_import(by_title, "org.csv", as_of=FIRST)
    assert Person.objects.get(external_id="tl1").level == "lead-engineer"
    default = load_default()
    store_version(parse_ladder(default.text.replace("title: Lead Engineer", "title: Team Lead"), "renamed.yaml"))
    with pytest.raises(InputError) as refused:
        services.apply_import(by_title, "org.csv", as_of=AGAIN)
    assert "unknown level 'Lead Engineer'" in str(refused.value)


def test_other_read_options_have_every_row_read_again():
    services.apply_import(ORG, "org.csv", as_of=FIRST)
    options = ReadOptions(where=parse_where(["team=payments"]), outside_managers="top")
    taken, read = as_first_reading(lambda: changes(services.apply_import(
        ORG, "org.csv", as_of=AGAIN, options=options, allow_mass_leave=True)))
    assert taken == read
    assert sorted(c["person_id"] for c in taken[0] if c["kind"] == "left") == ["arc", "cto", "e2"]


@pytest.mark.parametrize("text", [
    ORG.replace("cto,Ada Ørsted,ada@example.org,cto,,", "cto,Ada Ørsted,ada@example.org,cto,e1,"),  # a cycle
    "\n".join(line for line in ORG.split("\n") if not line.startswith("em1,")),  # a manager gone
    NEXT.replace("e2,Femi,,senior-software-engineer,em1,,payments,Money,", "e2,Femi,,senior-software-engineer,em1,,"
                 "payments,Platform,"),  # a team in two departments
    ORG + "e1,Eve,,software-engineer,em1,,payments,Money,,,\n",  # a row twice
    ORG.replace("e2,Femi,,", "e2,Femi,ada@example.org,").replace(
        "e1,Eve,,software-engineer,em1,", "e1,Eve,,software-engineer,ada@example.org,"),  # an e-mail two share
    ORG.replace("e1,Eve,,software-engineer,", "e1,Eve,,Wizard,"),  # an unknown level
])
def test_a_bad_file_has_the_same_problems_on_a_re_import_as_on_a_first_reading(text):
    services.apply_import(ORG, "org.csv", as_of=FIRST)
    taken, read = as_first_reading(lambda: services.apply_import(text, "bad.csv", as_of=AGAIN))
    assert taken == read
    assert isinstance(taken[0], list) and taken[0]


def test_an_import_dated_before_the_last_one_checks_every_row_against_its_own_date():
    late = ORG.replace("e1,Eve,,software-engineer,em1,,payments,Money,,,", "e1,Eve,,software-engineer,em1,,payments,"
                       "Money,,,2025-08-01")
    services.apply_import(late, "org.csv", as_of=AGAIN)
    taken, read = as_first_reading(lambda: services.apply_import(late, "org.csv", as_of=FIRST))
    assert taken == read
    assert "since 2025-08-01 is after 2025-03-01" in taken[0][0]


# -- any change to any file ---------------------------------------------------------------------

BASE = generate_org_csv(40, seed=3)
BASE_HEADER, *BASE_ROWS = BASE.splitlines()
COLUMNS = BASE_HEADER.split(",")
LEVELS = [level.id for level in load_default().ladder.levels]
SINCES = ["", "2019-01-01", AGAIN.isoformat(), "2025-06-30"]


def _mutate(rows: list[list[str]], op: tuple[Any, ...]) -> list[str] | None:
    """Apply one change to the rows (cells by column); returns a raw line to insert, if any."""
    kind, i, j, pick = op
    n = len(rows)
    if not n:
        return None
    row, other = rows[i % n], rows[j % n]
    at = COLUMNS.index
    if kind == "name":
        row[at("name")] += " Jr"
    elif kind == "level":
        row[at("level")], row[at("since")] = LEVELS[pick % len(LEVELS)], SINCES[pick % len(SINCES)]
    elif kind == "team":
        row[at("team")] = other[at("team")] if pick % 3 else "Newcomers"
    elif kind == "department":  # the whole team's, or one row's
        team, department = row[at("team")], ["", "Commerce", "Platform"][pick % 3]
        for r in rows if pick % 2 else [row]:
            if r[at("team")] == team and team:
                r[at("department")] = department
    elif kind == "manager":
        row[at("manager_id")] = [other[at("id")], other[at("email")], "", other[at("name")].upper()][pick % 4]
    elif kind == "dotted":
        row[at("dotted_manager_ids")] = other[at("id")] if pick % 2 else ""
    elif kind == "roles":
        row[at("roles")] = ["", "tech_lead", "people_manager", f"tech_lead@{other[at('team')]}"][pick % 4]
    elif kind == "leave":
        rows.remove(row)
    elif kind == "join":
        rows.append([*row])
        rows[-1][at("id")], rows[-1][at("email")] = f"N{i}", f"n{i}@example.org"
    elif kind == "twice":
        rows.append([*row])
    elif kind == "move":
        rows.insert(j % n, rows.pop(i % n))
    elif kind == "quoted":  # the same values, written otherwise
        return ",".join(f'"{cell}"' for cell in rows.pop(i % n))
    elif kind == "blank":
        return ""
    return None


OPS = st.tuples(st.sampled_from(["name", "level", "team", "department", "manager", "dotted", "roles", "leave",
                                 "join", "twice", "move", "quoted", "blank"]),
                st.integers(0, 60), st.integers(0, 60), st.integers(0, 11))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(OPS, max_size=6), top=st.booleans(), edited=st.integers(-1, 39))
def test_any_re_import_answers_exactly_as_a_first_reading(hannah, ops, top, edited):
    """Whatever a file changes (or breaks), taking the unchanged rows as stored changes nothing in
    what the import answers, records, leaves and remembers."""
    options = ReadOptions(outside_managers="top") if top else None
    rows = [line.split(",") for line in BASE_ROWS]
    lines: list[str] = []
    for op in ops:
        line = _mutate(rows, op)
        if line is not None:
            lines.append(line)
    text = "\n".join([BASE_HEADER, *(",".join(r) for r in rows), *lines]) + "\n"
    with transaction.atomic():
        services.apply_import(BASE, "org.csv", as_of=FIRST, options=options)
        if edited >= 0:  # changed inside Trellis since: that row is read, never taken
            cells = BASE_ROWS[edited].split(",")
            level = "senior-software-engineer" if cells[COLUMNS.index("level")] != "senior-software-engineer" else (
                "software-engineer")
            services.edit_person(PersonEdit(cells[0], level=level), viewer=Viewer.of(hannah), user=hannah,
                                 reason="corrected", as_of=EDITED)
        taken, read = as_first_reading(lambda: changes(services.apply_import(
            text, "next.csv", as_of=AGAIN, options=options, allow_mass_leave=True, prefer="file")))
        transaction.set_rollback(True)
    assert taken == read


def test_an_import_that_changes_nothing_still_keeps_the_digests_of_the_rows_it_read_in_full():
    services.apply_import(ORG, "org.csv", as_of=FIRST)
    Person.objects.update(import_digest="")  # as after a new ladder: every row is read in full once
    batches = ImportBatch.objects.count()
    services.apply_import(ORG, "org.csv", as_of=AGAIN)
    assert ImportBatch.objects.count() == batches  # nothing changed: nothing recorded
    assert known_ids() == {"cto", "em1", "tl1", "arc", "e1", "e2"}
    # The rows were checked against that day: an import dated before it reads every row against its own.
    assert known_ids(date(2025, 5, 1)) is None
    assert known_ids(date(2025, 10, 1)) == {"cto", "em1", "tl1", "arc", "e1", "e2"}


def test_a_name_mapped_from_two_columns_in_the_other_order_is_read_again():
    text = "Employee,Given,Family,level,manager_id\ncto,Ada,Lovelace,cto,\ne1,Grace,Hopper,software-engineer,cto\n"
    services.apply_import(text, "hr.csv", as_of=FIRST,
                          options=ReadOptions(mapping=parse_mapping("Employee=id,Given=name,Family=name")))
    swapped = ReadOptions(mapping=parse_mapping("Employee=id,Family=name,Given=name"))
    taken, read = as_first_reading(lambda: changes(services.apply_import(text, "hr.csv", as_of=AGAIN,
                                                                         options=swapped)))
    assert taken == read
    assert [c["new"] for c in taken[0] if c["kind"] == "name-changed"] == ["Lovelace Ada", "Hopper Grace"]


def test_rows_separated_otherwise_than_their_header_are_never_taken():
    services.apply_import(ORG, "org.csv", as_of=FIRST)
    header, rows = ORG.split("\n", 1)
    taken, read = as_first_reading(lambda: services.apply_import(header.replace(",", ";") + "\n" + rows,
                                                                 "semicolons.csv", as_of=AGAIN))
    assert taken == read
    assert isinstance(taken[0], list) and taken[0]  # every row has one field where the header has eleven


def test_a_last_line_only_the_end_of_the_file_closes_is_never_taken():
    last = 'e9,Nora,,software-engineer,em1,,payments,Money,,,"2024-01-01'  # the quote is never closed
    services.apply_import(ORG + last, "org.csv", as_of=FIRST)
    assert Person.objects.get(external_id="e9").level_since == date(2024, 1, 1)
    # The same line with rows after it: the quote now runs on into them.
    taken, read = as_first_reading(lambda: services.apply_import(ORG.replace("e1,Eve,", last + "\ne1,Eve,"),
                                                                 "org.csv", as_of=AGAIN))
    assert taken == read


def test_a_re_import_reports_its_progress_as_a_first_reading_does():
    # Nearly every row is taken, in runs of a block's lines at once: progress still comes at every
    # few thousand rows, on the multiples, and once at the end.
    text = generate_org_csv(12_345, seed=3)
    services.apply_import(text, "org.csv", as_of=AGAIN)
    lines = text.splitlines(keepends=True)
    person, name, rest = lines[7_000].split(",", 2)
    lines[7_000] = ",".join([person, f"{name} Jr", rest])
    seen: list[int] = []
    plan = services.apply_import("".join(lines), "org.csv", as_of=date(2025, 10, 1), progress=seen.append)
    assert plan.counts == {"name-changed": 1} and plan.untouched == 12_344  # every other row taken
    assert seen == [5000, 10000, 12345]


def test_a_last_line_without_its_line_ending_is_still_taken_as_stored():
    services.apply_import(ORG, "org.csv", as_of=FIRST)
    plan = services.apply_import(ORG.rstrip("\n"), "org.csv", as_of=AGAIN)
    assert plan.is_empty and plan.untouched == len(ORG.strip().splitlines()) - 1
    assert known_ids() == {"cto", "em1", "tl1", "arc", "e1", "e2"}  # no digest forgotten


def test_the_stored_people_read_column_by_column_are_the_rows_as_stored():
    services.apply_import(ORG, "org.csv", as_of=FIRST)
    Person.objects.filter(external_id="e2").update(active=False)
    rows = sorted(Person.objects.values_list("id", "external_id", "import_digest", "active", "manager", "team"))
    expected = [(pk, pid, digest, int(active), manager or 0, team or 0)
                for pk, pid, digest, active, manager, team in rows]

    def read() -> list[tuple[Any, ...]]:
        columns = services._known_columns()
        return sorted((pk, pid, digest, int(active), manager or 0, team or 0)
                      for pk, pid, digest, active, manager, team in zip(*columns, strict=True))

    assert read() == expected
    # An id with the separator of the text a column comes in: read row by row, the same.
    Person.objects.filter(external_id="e1").update(external_id="e\n1")
    assert read() == [(pk, "e\n1" if pid == "e1" else pid, *rest) for pk, pid, *rest in expected]


def test_the_questions_a_re_import_asks_of_the_people_stored_are_answered_as_stored():
    services.apply_import(BASE, "org.csv", as_of=FIRST)
    Person.objects.filter(external_id__in=["E000003", "E000011"]).update(active=False)
    stored = {pid: (manager, team, active) for pid, manager, team, active in Person.objects.values_list(
        "external_id", "manager__external_id", "team__name", "active")}
    _, known = services._known_rows(AGAIN)
    assert known is not None
    assert known.managers() == {manager for manager, _, active in stored.values() if manager and active}
    assert len(known.managers()) > 3
    some = sorted(known.managers())[:3]
    assert sorted(known.reports_of(some)) == sorted(pid for pid, (manager, _, _) in stored.items() if manager in some)
    teams = sorted({team for _, team, _ in stored.values() if team})[:2]
    assert sorted(known.members(teams)) == sorted((pid, team) for pid, (_, team, _) in stored.items() if team in teams)
    assert dict(known.manager_of) == {pid: manager for pid, (manager, _, _) in stored.items()}
    assert dict(known.team_of) == {pid: team for pid, (_, team, _) in stored.items()}


def test_the_digests_stored_are_looked_up_as_they_were_read_with_the_rest():
    services.apply_import(BASE, "org.csv", as_of=FIRST)
    Person.objects.filter(external_id="E000005").update(import_digest="")
    truth = dict(Person.objects.exclude(import_digest="").values_list("external_id", "import_digest"))
    stored, _ = services._known_rows(AGAIN)
    assert stored is not None
    # Written meanwhile (by an import that stores digests alone, say): what was read with the rest is kept.
    Person.objects.update(import_digest="0" * 32)
    assert stored.digests_of(["E000002", "E000005", "nobody"]) == {"E000002": truth["E000002"]}
    assert stored.digests_of([*truth, "E000005", "nobody"]) == truth and len(truth) == 39


def test_a_re_import_leaves_no_garbage_for_the_collector():
    """What a re-import reads of the people stored is freed as soon as it is done with: a cycle would keep it
    (at 100,000 people, lists of 100,000) until the collector's next pass, and make that pass long."""
    services.apply_import(BASE, "org.csv", as_of=FIRST)
    text = BASE.replace(BASE_ROWS[4], BASE_ROWS[4].replace(",", " Jr,", 2).replace(" Jr,", ",", 1))
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        plan = services.apply_import(text, "next.csv", as_of=AGAIN)
        assert plan.untouched == len(BASE_ROWS) - 1
        gc.collect()
        ours = [o for o in gc.garbage if type(o).__module__.startswith("trellis")
                or (isinstance(o, list | dict) and len(o) >= len(BASE_ROWS))]
        assert not ours
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_a_file_given_as_bytes_has_its_unchanged_rows_taken_whatever_its_line_endings(ending):
    services.apply_import(ORG.replace("\n", ending).encode("utf-8"), "org.csv", as_of=FIRST)
    plan = services.apply_import(NEXT.replace("\n", ending).encode("utf-8-sig"), "org.csv", as_of=AGAIN)
    assert [c.kind for c in plan.changes] == ["name-changed", "team-changed"]
    assert plan.untouched == len(ORG.strip().splitlines()) - 1 - 2  # all but the header and the two rows changed
