"""Evidence of growth, logged all year: its kinds, and the CSV file that brings many in at once.

The file is read all or nothing, like the organisation import: every problem is listed with
its line and column, and nothing is stored until the file is clean.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from trellis.growth.csvtable import read_table
from trellis.ladder.model import Ladder
from trellis.lib.problems import InputError, Problem

# (id, label): the id is what the CSV, the API and the database say; the label what pages show.
KINDS: tuple[tuple[str, str], ...] = (
    ("mentoring", "Mentoring"),
    ("code-review", "Code review given"),
    ("pairing", "Pairing"),
    ("design-document", "Design document or ADR"),
    ("incident", "Incident handled"),
    ("talk", "Talk or teaching"),
    ("customer-problem", "Customer problem solved"),
    ("prototype", "Prototype"),
    ("other", "Other"),
)
KIND_IDS: tuple[str, ...] = tuple(k for k, _ in KINDS)
KIND_LABELS: dict[str, str] = dict(KINDS)

COLUMNS: tuple[str, ...] = ("person_id", "kind", "date", "title", "link", "notes", "competencies", "signals")
REQUIRED: tuple[str, ...] = ("person_id", "kind", "date", "title")
LIST_SEPARATOR = ";"
LINK = re.compile(r"^https?://\S+$")
TITLE_MAX = 300
LINK_MAX = 1000


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    person_id: str
    kind: str
    date: date
    title: str
    link: str = ""
    notes: str = ""
    competencies: tuple[str, ...] = ()
    signals: tuple[str, ...] = ()


def check_item(item: EvidenceItem, ladder: Ladder, today: date) -> list[tuple[str, str]]:
    """What is wrong with one piece of evidence, as (field, message) pairs; the form and the file share it."""
    wrong: list[tuple[str, str]] = []
    if item.kind not in KIND_IDS:
        wrong.append(("kind", f"unknown kind '{item.kind}': use one of {', '.join(KIND_IDS)}"))
    if item.date > today:
        wrong.append(("date", f"{item.date.isoformat()} is after today ({today.isoformat()}): evidence records "
                              "what has happened"))
    if not item.title.strip():
        wrong.append(("title", "the title is missing: say in a few words what was done"))
    elif len(item.title) > TITLE_MAX:
        wrong.append(("title", f"the title is {len(item.title)} characters long; keep it to {TITLE_MAX}"))
    if item.link and (not LINK.match(item.link) or len(item.link) > LINK_MAX):
        wrong.append(("link", f"'{item.link}' is not a web address: write it as https://..."))
    known = {c.id for c in ladder.competencies}
    for comp in item.competencies:
        if comp not in known:
            wrong.append(("competencies", f"unknown competency '{comp}'; the ladder's competencies are "
                                          f"{', '.join(c.id for c in ladder.competencies)}"))
    signals = {s.id for s in ladder.signals}
    for signal in item.signals:
        if signal not in signals:
            wrong.append(("signals", f"unknown signal '{signal}'; the ladder's signals are "
                                     f"{', '.join(s.id for s in ladder.signals)}"))
    return wrong


def split_list(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()))


def read_evidence_csv(data: str | bytes, source: str, ladder: Ladder, people: Collection[str],
                      today: date) -> list[EvidenceItem]:
    """Every piece of evidence in the file; ``people`` are the ids it may name. All or nothing."""
    rows, problems = read_table(data, source, COLUMNS, REQUIRED, "one row per piece of evidence")
    items: list[EvidenceItem] = []
    for row in rows:
        cells = row.cells
        missing = [c for c in REQUIRED if not cells[c]]
        for column in missing:
            problems.append(Problem(source, row.line, f"the {column} is missing", column=column))
        if missing:
            continue
        ok = True
        if cells["person_id"] not in people:
            problems.append(Problem(source, row.line, f"unknown person '{cells['person_id']}': no one in the "
                                                      "organisation has this id", column="person_id"))
            ok = False
        try:
            day = date.fromisoformat(cells["date"])
        except ValueError:
            problems.append(Problem(source, row.line, f"'{cells['date']}' is not a date: write it as YYYY-MM-DD",
                                    column="date"))
            continue
        item = EvidenceItem(cells["person_id"], cells["kind"].lower(), day, cells["title"], cells["link"],
                            cells["notes"], split_list(cells["competencies"]), split_list(cells["signals"]))
        wrong = check_item(item, ladder, today)
        problems += [Problem(source, row.line, message, column=column) for column, message in wrong]
        if ok and not wrong:
            items.append(item)
    if problems:
        raise InputError(problems)
    if not items:
        raise InputError([Problem(source, None, "the file has a header but no evidence: add one row per piece "
                                                "of evidence")])
    return items
