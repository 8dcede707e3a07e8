"""``trellis promotions``: propose promotions and track changes, confirm, submit, decide, apply.

The command line runs with the database itself, so it acts as the operator (every right),
except where a person must act: ``propose --by PERSON`` proposes as that person, under the
same rule as the web (the person, a manager who works with them, or their tech lead), and
``consent ID`` records the person's own confirmation for the Peter-Principle guard.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from trellis.cli.common import fail, out, require_tables, tables_exist
from trellis.cli.org import parse_day
from trellis.lib.problems import InputError, Problem

app = typer.Typer(help="Promotions and track changes: proposals, the Peter-Principle guard, decisions.",
                  no_args_is_help=True)

PROPOSAL_TABLE = "promotions_proposal"


class Format(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", help="table or json.")]
IdArgument = Annotated[int, typer.Argument(help="The proposal's id (printed by propose, shown by list).")]


@contextmanager
def _refusals(source: str) -> Iterator[None]:
    """Refusals and bad input become a clear error with exit code 1."""
    from django.core.exceptions import PermissionDenied

    from trellis.web.promotions.services import NotFound

    try:
        yield
    except InputError as exc:
        fail(exc.problems)
    except PermissionDenied as exc:
        fail([Problem(source, None, str(exc))])
    except NotFound as exc:
        fail([Problem(source, None, f"{exc}: 'trellis promotions list' shows them")])


def _database() -> None:
    require_tables(PROPOSAL_TABLE, "promotions", exists=tables_exist)


def _operator() -> Any:
    from trellis.web.org.access import Viewer

    return Viewer.operator()


def _person_viewer(external_id: str, option: str) -> Any:
    from trellis.web.org.access import Viewer
    from trellis.web.org.models import Person

    row = Person.objects.filter(external_id=external_id).values_list("pk", "external_id").first()
    if row is None:
        fail([Problem(option, None, f"unknown person '{external_id}': no one has that id")])
    return Viewer.acting_as(*row)


def _emit(fmt: Format, data: Any, table: Callable[[], None]) -> None:
    if fmt == Format.json:
        out.print(json.dumps(data, indent=2, ensure_ascii=False), markup=False, highlight=False)
    else:
        table()


@app.command()
def propose(
    person: Annotated[str, typer.Argument(help="The person's id.")],
    level: Annotated[str, typer.Argument(help="The target level's id: the next level on the person's track, "
                                              "or a level on the other track.")],
    by: Annotated[str, typer.Option("--by", help="Who proposes: the person, their manager or their tech lead.")],
    rationale: Annotated[str, typer.Option("--rationale", help="Why.")],
    effective: Annotated[str | None, typer.Option("--effective", help="When it would take effect, YYYY-MM-DD.")]
    = None,
    handover: Annotated[list[str] | None, typer.Option(
        "--handover", help="ROLE@TEAM=PERSON: PERSON takes the role with this move; repeat for more.")] = None,
    evidence: Annotated[list[int] | None, typer.Option(
        "--evidence", help="An entry of the person's evidence log, by id ('trellis promotions evidence' lists "
                           "them); repeat for more.")] = None,
    evidence_text: Annotated[list[str] | None, typer.Option(
        "--evidence-text", help="A line of evidence in your own words; repeat for more.")] = None,
    reviewer: Annotated[list[str] | None, typer.Option("--reviewer", help="A reviewer's id; repeat for more.")]
    = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Make a draft proposal; prints its id."""
    from trellis.promotions.rules import parse_handover

    day = parse_day(effective, "--effective")
    _database()
    from trellis.web.promotions import services

    with _refusals("propose"):
        handovers = [parse_handover(h) for h in handover or []]
        proposal = services.propose(person, level, viewer=_person_viewer(by, "--by"), rationale=rationale,
                                    effective=day, handovers=handovers, evidence=evidence_text or [],
                                    evidence_ids=evidence or [],
                                    reviewers=reviewer or [])
    _emit(fmt, {"id": proposal.pk, "state": proposal.state, "guarded": proposal.guarded},
          lambda: out.print(str(proposal.pk), markup=False))


@app.command()
def evidence(
    person: Annotated[str, typer.Argument(help="The person's id.")],
    by: Annotated[str, typer.Option("--by", help="Who will propose: only entries they may see are listed.")],
    fmt: FormatOption = Format.table,
) -> None:
    """The entries of a person's evidence log that --by may attach to a proposal (propose --evidence ID)."""
    _database()
    from trellis.web.promotions import queries
    from trellis.web.promotions.services import frozen_evidence

    entries = [frozen_evidence(e) for e in queries.evidence_to_pick(_person_viewer(by, "--by"), person)]

    def table() -> None:
        if not entries:
            out.print(f"No entries of {person}'s evidence log that {by} may see.", markup=False)
            return
        shown = Table("id", "date", "kind", "title", "link")
        for e in entries:
            shown.add_row(str(e["id"]), e["date"], e["kind_label"], e["title"], e["link"] or "")
        out.print(shown)

    _emit(fmt, entries, table)


@app.command()
def consent(proposal_id: IdArgument, fmt: FormatOption = Format.table) -> None:
    """Record that the person themself confirmed they want this move (the Peter-Principle guard)."""
    _database()
    from trellis.web.promotions import services

    with _refusals(f"proposal {proposal_id}"):
        subject = services.get(proposal_id, _operator()).person
        proposal = services.consent(proposal_id, viewer=_person_viewer(subject.external_id, "consent"))
    _done(fmt, proposal, f"{subject.name} confirmed wanting the move in proposal {proposal.pk}.")


def _done(fmt: Format, proposal: Any, line: str) -> None:
    _emit(fmt, {"id": proposal.pk, "state": proposal.state,
                "applied_on": proposal.applied_on.isoformat() if proposal.applied_on else None},
          lambda: out.print(line, markup=False))


@app.command()
def submit(proposal_id: IdArgument, fmt: FormatOption = Format.table) -> None:
    """Submit a draft to the committee. Refused (exit code 1) while the guard holds it."""
    _database()
    from trellis.web.promotions import services

    with _refusals(f"proposal {proposal_id}"):
        proposal = services.submit(proposal_id, viewer=_operator())
    _done(fmt, proposal, f"Proposal {proposal.pk} submitted.")


class Decision(StrEnum):
    approve = "approve"
    decline = "decline"


@app.command()
def decide(
    proposal_id: IdArgument,
    decision: Annotated[Decision, typer.Argument(help="approve or decline.")],
    reason: Annotated[str, typer.Option("--reason", help="Why: recorded with the decision.")],
    effective: Annotated[str | None, typer.Option("--effective", help="When an approval takes effect, YYYY-MM-DD "
                                                                      "(default: the date proposed).")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Record the committee's decision. An approval already due changes the organisation at once."""
    day = parse_day(effective, "--effective")
    _database()
    from trellis.web.promotions import services

    with _refusals(f"proposal {proposal_id}"):
        proposal = services.decide(proposal_id, decision == Decision.approve, viewer=_operator(), reason=reason,
                                   effective=day)
    when = ""
    if proposal.applied_on is not None:
        when = f"; applied to the organisation from {proposal.applied_on.isoformat()}"
    elif proposal.effective is not None and decision == Decision.approve:
        when = f"; takes effect on {proposal.effective.isoformat()}"
    _done(fmt, proposal, f"Proposal {proposal.pk} {proposal.state}{when}.")


@app.command()
def withdraw(
    proposal_id: IdArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why (optional).")] = "",
    fmt: FormatOption = Format.table,
) -> None:
    """Withdraw an open proposal."""
    _database()
    from trellis.web.promotions import services

    with _refusals(f"proposal {proposal_id}"):
        proposal = services.withdraw(proposal_id, viewer=_operator(), reason=reason)
    _done(fmt, proposal, f"Proposal {proposal.pk} withdrawn.")


@app.command()
def show(proposal_id: IdArgument, fmt: FormatOption = Format.table) -> None:
    """One proposal: the move, the guard, the handovers, the impact on org health, the steps so far."""
    _database()
    from trellis.web.promotions import queries, services

    viewer = _operator()
    with _refusals(f"proposal {proposal_id}"):
        data = queries.detail(services.get(proposal_id, viewer), viewer)
    _emit(fmt, data, lambda: _show_table(data))


def _show_table(data: dict[str, Any]) -> None:
    def line(text: str) -> None:
        out.print(text, markup=False)

    line(f"Proposal {data['id']}: {data['person']['name']} ({data['person']['id']}), {data['from_title']} → "
         f"{data['target_title']} ({data['kind']})")
    line(f"State: {data['state']}" + (f"; effective {data['effective']}" if data["effective"] else "")
         + (f"; applied {data['applied_on']}" if data["applied_on"] else ""))
    guard = data["guard"]
    if guard["holds"]:
        line("Held by the Peter-Principle guard: the person has not confirmed wanting to manage.")
    elif guard["needed"]:
        line(f"The person confirmed wanting this move ({guard['consented_at']}).")
    if guard["alternative"] and guard["needed"]:
        line(f"Alternative: {guard['alternative']}.")
    if data["two_jobs"]:
        line(f"Two jobs: {data['two_jobs']}")
    for h in data["handovers"]:
        line(f"Handover: {h['person']} takes {h['role']} of {h['team']}")
    line(f"Rationale: {data['rationale']}")
    for entry in data["evidence_entries"]:
        line(f"Evidence {entry['id']}: {entry['date']} {entry['kind_label']}: {entry['title']}"
             + (f" <{entry['link']}>" if entry["link"] else "")
             + (" (removed from the log since it was submitted)" if entry["removed"] else ""))
    for e in data["evidence"]:
        line(f"Evidence: {e}")
    impact = data.get("impact")
    if impact:
        for key, word in (("appeared", "Would appear"), ("disappeared", "Would disappear")):
            for f in impact[key]:
                line(f"{word}: [{f['code']}] {f['message']}")
        if not impact["appeared"] and not impact["disappeared"]:
            line("Org health: no finding would appear or disappear.")
    table = Table("step", "state", "at", "by", "reason", title="History")
    for s in data["steps"]:
        table.add_row(s["action"], s["state"], s["at"][:19], s["by"], s["reason"])
    out.print(table)


@app.command("list")
def list_(
    state: Annotated[str | None, typer.Option("--state", help="Only proposals in this state: draft, submitted, "
                                                              "in-review, approved, declined, withdrawn.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Proposals, newest first."""
    from trellis.promotions.rules import State

    if state is not None and state not in {s.value for s in State}:
        fail([Problem("--state", None, f"unknown state '{state}': use one of {', '.join(s.value for s in State)}")])
    _database()
    from trellis.web.ladders.services import active_ladder
    from trellis.web.promotions import queries

    ladder = active_ladder()
    rows = [queries.summary(p, ladder) for p in queries.listing(_operator(), state)]

    def table() -> None:
        t = Table("id", "person", "move", "kind", "state", "guard", "effective")
        for r in rows:
            guard = ("" if not r["guarded"] else "confirmed" if r["consented"] else "held")
            t.add_row(str(r["id"]), f"{r['person']['name']} ({r['person']['id']})",
                      f"{r['from_title']} → {r['target_title']}", r["kind"], r["state"], guard, r["effective"] or "")
        out.print(t)

    _emit(fmt, rows, table)


@app.command("apply-due")
def apply_due(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Apply what is due by this date, YYYY-MM-DD "
                                                              "(default: today; never after today).")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Apply approved proposals whose effective date has come. Safe to run again: each applies once."""
    day = parse_day(as_of, "--as-of")
    _database()
    from trellis.web.promotions import services

    with _refusals("apply-due"):
        applied = services.apply_due(day)
    rows = [{"id": p.pk, "person": p.person.external_id, "target_level": p.target_level,
             "effective": p.effective.isoformat() if p.effective else None} for p in applied]

    def table() -> None:
        for r in rows:
            out.print(f"Applied proposal {r['id']}: {r['person']} is {r['target_level']} from {r['effective']}.",
                      markup=False)
        out.print(f"{len(rows)} proposal{'s' if len(rows) != 1 else ''} applied.", markup=False)

    _emit(fmt, rows, table)
