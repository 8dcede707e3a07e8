"""The organisation in and out of the database: load snapshots, preview and apply imports, export.

Pages, the API and the command line all come through here. The rules live in the pure
core (``trellis.org``); this module only loads and stores, with a handful of queries
whatever the size of the organisation, and applies an import in one transaction.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from itertools import compress, filterfalse, repeat
from operator import attrgetter, is_, not_
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Field, Max, Model, Q, QuerySet

from trellis.access import Right
from trellis.lib import clock
from trellis.lib.collation import name_sort_key
from trellis.lib.gcpause import gc_paused
from trellis.lib.problems import InputError, Problem
from trellis.org.csvio import KnownRows, ReadOptions, read_org_csv, write_org_csv
from trellis.org.edit import EditPlan, Pending, PersonEdit, TeamEdit, plan_person_edit, plan_team_edit, team_subject
from trellis.org.history import HeldRole, baseline_entries, person_at_start, rewind, started_later, team_at_start
from trellis.org.model import Change, OrgSnapshot, RoleSpan
from trellis.org.model import Person as PersonData
from trellis.org.model import Team as TeamData
from trellis.org.pending import (
    Conflict,
    PendingEdit,
    keep_trellis,
    reconcile,
    renames_to_revert,
    revert_renames,
    reverted_proposals,
)
from trellis.org.plan import ImportPlan, future_import_date, percent, plan_import
from trellis.web.ladders.services import active_ladder
from trellis.web.org import version
from trellis.web.org.access import Viewer
from trellis.web.org.models import (
    DottedLine,
    HistoryEvent,
    ImportBatch,
    OrgEdit,
    PendingValue,
    Person,
    RoleAssignment,
    RunningImport,
    Team,
)

BATCH = 2000
log = logging.getLogger(__name__)


class MassLeaveRefused(InputError):
    """The import would mark more of the organisation as left than the policy allows."""

    def __init__(self, plan: ImportPlan, share: float, source: str):
        self.plan = plan
        self.what = (f"would mark {plan.leaving} of {plan.headcount} people ({plan.left_share:.0%}) as left, "
                     f"more than the policy allows ({percent(share)})")
        message = (f"this import {self.what}: if the file is complete and they really left, confirm with "
                   "--allow-mass-leave; if the file was cut short, export it again")
        super().__init__([Problem(source, None, message)])


class ImportRunning(InputError):
    """Another import is being written: this one is refused rather than queued behind it."""

    def __init__(self, running: RunningImport, source: str):
        when = running.started_at.astimezone(clock.zone()).strftime("%Y-%m-%d %H:%M %Z")
        by = f" by {running.started_by}" if running.started_by else ""
        super().__init__([Problem(source, None, f"an import is running since {when} ({running.source}{by}): "
                                                "nothing was imported; try again when it has finished")])


# A marker older than this was left by an import that died (a killed process): it is ignored.
RUNNING_IMPORT_STALE = timedelta(hours=6)


def running_import() -> RunningImport | None:
    """The import being written (or judged, once written) now, if any; one query, only reading. A
    marker older than ``RUNNING_IMPORT_STALE`` was left by an import that died: it is not running."""
    running = RunningImport.objects.first()
    return running if running is not None and _still_running(running) else None


def _still_running(running: RunningImport) -> bool:
    return running.started_at >= clock.now() - RUNNING_IMPORT_STALE


def refuse_if_an_import_runs(source: str) -> None:
    """Raise ``ImportRunning`` when another import is being written. Only reads: reading never
    waits on SQLite's write lock, which a running import holds, so the refusal is immediate (a
    write here, even of nothing, would wait for the running import to finish). A marker left by
    an import that died is removed."""
    running = RunningImport.objects.first()
    if running is None:
        return
    if _still_running(running):
        raise ImportRunning(running, source)
    RunningImport.objects.filter(pk=running.pk).delete()


@contextmanager
def _the_only_import(source: str, user: Any) -> Iterator[int]:
    """Hold the running-import marker while the import writes; refuse at once when another holds it.
    Two imports claiming at the same moment are told apart by the marker's unique key."""
    refuse_if_an_import_runs(source)
    try:
        with transaction.atomic():
            marker = RunningImport.objects.create(
                started_at=clock.now(), source=source[:500],
                started_by=getattr(user, "username", "") if getattr(user, "is_authenticated", False) else "")
    except IntegrityError:
        running = RunningImport.objects.first()
        if running is None:
            raise
        raise ImportRunning(running, source) from None
    try:
        yield marker.pk
    finally:
        RunningImport.objects.filter(pk=marker.pk).delete()


def mass_leave_share(share: float | None = None) -> float:
    """How much of the organisation an import may mark as left unconfirmed: ``share`` when the
    caller gives one (a command-line option), the deployment's policy otherwise."""
    return float(settings.TRELLIS_MASS_LEAVE_SHARE) if share is None else share


def mass_leave_refusal(plan: ImportPlan, share: float | None, source: str) -> MassLeaveRefused | None:
    """Why applying ``plan`` without ``allow_mass_leave`` would be refused, or None when it would not.

    ``share`` None means the deployment's policy (``mass_leave_share``)."""
    limit = mass_leave_share(share)
    return MassLeaveRefused(plan, limit, source) if plan.left_share > limit else None


class ImportConflicts(InputError):
    """The file holds other values than edits made inside Trellis that it has not confirmed yet."""

    def __init__(self, conflicts: list[Conflict], source: str):
        self.conflicts = conflicts
        problems = [Problem(source, None, c.describe(), column=c.pending.value.field) for c in conflicts]
        problems += self.advice(source)
        problems.append(Problem(source, None, f"{len(conflicts)} value{'s' if len(conflicts) != 1 else ''} edited "
                                              "in Trellis differ in the file: import with --prefer-file to apply the "
                                              "file (the edits are reverted) or --prefer-trellis to keep the edits "
                                              "(they stay pending) and apply everything else"))
        super().__init__(problems)

    def advice(self, source: str) -> list[Problem]:
        return []

    @staticmethod
    def of(conflicts: list[Conflict], source: str) -> ImportConflicts:
        """The conflict to raise: the specific one when the file would revert an applied proposal."""
        if any(c.reverts_proposal for c in conflicts):
            return RevertsAppliedProposal(conflicts, source)
        return ImportConflicts(conflicts, source)


class RevertsAppliedProposal(ImportConflicts):
    """The file would undo what an approved promotion or track change applied: an HR system that has
    not caught up with the decision, most often. Undoing a decision is normally a new proposal."""

    @property
    def proposals(self) -> list[str]:
        """Each proposal the file would revert, in words: "proposal 12, approved by hannah, applied on 2026-03-01"."""
        return [words for _, words in reverted_proposals(self.conflicts)]

    def advice(self, source: str) -> list[Problem]:
        which = "; ".join(self.proposals)
        return [Problem(source, None, f"the file would revert {which}: if the HR system has not caught up with the "
                                      "decision yet, keep Trellis's values (--prefer-trellis); take the file "
                                      "(--prefer-file) only if the decision really is undone (a change is normally "
                                      "undone by a new proposal)")]


PREFER_FILE, PREFER_TRELLIS = "file", "trellis"


@dataclass
class _State:
    """The current organisation plus the database keys needed to write changes to it."""

    snapshot: OrgSnapshot
    person_pk: dict[str, int] = field(default_factory=dict)
    team_pk: dict[str, int] = field(default_factory=dict)
    open_role_pk: dict[tuple[str, str, str], int] = field(default_factory=dict)


TEAM_FIELDS = ["id", "name", "department", "since"]
# In the latest batch's summary: the day the digests of rows stored since it (by an import that
# changed nothing) were checked against, when later than the batch's own.
DIGESTS_AS_OF = "digests_as_of"


def _load_state(as_of: date, stored: _Stored | None = None, only: list[str] | None = None) -> _State:
    """Four queries, whatever the size: people, teams, dotted lines, role assignments.

    ``only``: these people alone (by id, from what is ``stored``), with every team: what a re-import
    compares when the file's other rows are as stored (``KnownRows``)."""
    with gc_paused():
        return _read_state(as_of, stored, only)


def _read_state(as_of: date, stored: _Stored | None = None, only: list[str] | None = None) -> _State:
    subset = None
    if only is not None:
        assert stored is not None
        subset = ("id", [stored.person_pk[pid] for pid in only])
    team_rows = _select(Team, TEAM_FIELDS) if stored is None else stored.teams
    team_name = {pk: name for pk, name, _, _ in team_rows}
    teams = {name: TeamData(name, department or None, since) for _, name, department, since in team_rows}
    person_rows = _select(Person, ["id", "external_id", "name", "email", "level", "preferred_track", "manager",
                                   "team", "active", "level_since", "reports_outside"], as_written=["level_since"],
                          where=subset)
    pks, pids, names, emails, levels, tracks, manager_pks, team_pks, actives, sinces, outsides = (
        zip(*person_rows, strict=True) if person_rows else ((),) * 11)
    ext = dict(zip(pks, pids, strict=True)) if stored is None else stored.external
    dotted: dict[int, list[str]] = {}
    for person_id, manager_id in _select(DottedLine, ["person", "manager"], where=subset and ("person", subset[1])):
        dotted.setdefault(person_id, []).append(ext[manager_id])
    lines = {pk: tuple(sorted(managers)) for pk, managers in dotted.items()}
    # Column by column, each person built by ``map`` (positional, as the reader builds them): at 100,000
    # people a loop's own steps cost more than building the people.
    people = dict(zip(pids, map(PersonData, pids, names, levels, emails, tracks, map(ext.get, manager_pks),
                                map(lines.get, pks, repeat(())), map(team_name.get, team_pks), actives,
                                map(_days(sinces).__getitem__, sinces), outsides), strict=True))
    roles: list[RoleSpan] = []
    open_role_pk: dict[tuple[str, str, str], int] = {}
    role_rows = _select(RoleAssignment, ["id", "person", "team", "role", "start", "end"], as_written=["start", "end"],
                        where=subset and ("person", subset[1]))
    day = _days(value for row in role_rows for value in row[4:]).__getitem__
    for pk, person_pk, team_pk, role, start, end in role_rows:
        span = RoleSpan(ext[person_pk], team_name[team_pk], role, day(start), day(end))
        roles.append(span)
        if end is None:
            open_role_pk[(span.person_id, span.team, role)] = pk
    roles.sort(key=lambda s: (s.person_id, s.team, s.role, s.start or date.min))
    return _State(
        snapshot=OrgSnapshot(as_of=as_of, people=people, teams=teams, roles=roles),
        # The map of what is stored is handed over, not copied: it is read for this import alone.
        person_pk={pid: pk for pk, pid in ext.items()} if stored is None else stored.person_pk,
        team_pk={name: pk for pk, name in team_name.items()},
        open_role_pk=open_role_pk,
    )


def _changes(rows: Iterable[tuple[Any, ...]]) -> list[Change]:
    return [Change(kind, effective, person_id=pid or None, team=team or None, old=old, new=new, old_since=old_since)
            for kind, effective, pid, team, old, new, old_since in rows]


_EVENT_FIELDS = ("kind", "effective", "person_id_ext", "team_name", "old", "new", "old_since")


class BeforeTheRecords(InputError):
    """A date before the first import: there is no data about the organisation then."""

    def __init__(self, day: date, begins: date, source: str = "as_of"):
        self.day, self.begins = day, begins
        super().__init__([Problem(source, None, f"there is no data before {begins.isoformat()}, when the records "
                                                f"begin (the first import): {day.isoformat()} is before it")])


def records_begin() -> date | None:
    """The date of the first import: the organisation is known from then on, or None before any."""
    first = ImportBatch.objects.order_by("as_of", "id").values_list("as_of", flat=True).first()
    return first


def check_recorded(as_of: date | None, source: str = "as_of") -> None:
    """Raise ``BeforeTheRecords`` when ``as_of`` is before the first import."""
    begins = records_begin() if as_of is not None else None
    if as_of is not None and begins is not None and as_of < begins:
        raise BeforeTheRecords(as_of, begins, source)


def load_snapshot(as_of: date | None = None) -> OrgSnapshot:
    """The organisation now, or as it was on ``as_of`` (later history undone).

    Raises ``BeforeTheRecords`` for a date before the first import: nothing is known then,
    and an empty or a rewound organisation would only look like an answer."""
    today = clock.today()
    if as_of is not None and as_of < today:
        check_recorded(as_of)
    if as_of is None or as_of >= today:
        return _load_state(as_of or today).snapshot
    current = _load_state(today).snapshot
    return rewind(current, history_after(as_of), as_of)


def history_after(day: date) -> list[Change]:
    """Every change effective after ``day``, oldest first: what ``rewind`` undoes to go back to ``day``."""
    events = HistoryEvent.objects.filter(effective__gt=day).order_by("effective", "seq", "id")
    return _changes(events.values_list(*_EVENT_FIELDS))


def _one_writer_at_a_time() -> None:
    """Two imports or edits planned from the same state would each write their own changes on top of
    the other's. SQLite already refuses the second writer; PostgreSQL needs a lock, taken
    here until the transaction ends (readers are never blocked by it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(ImportBatch._meta.db_table)} "
                           "IN SHARE ROW EXCLUSIVE MODE")


def _check_date(as_of: date, source: str) -> None:
    """Imports must come in date order: the history is undone newest first to see the past,
    so a change dated before one already recorded would be undone in the wrong order.
    And none is dated after today (the callers say so first, naming their own option); the
    command line and the web share one clock, so neither one's default is ever refused."""
    future = future_import_date(as_of, clock.today(), source)
    if future is not None:
        raise InputError([future])
    latest = ImportBatch.objects.aggregate(latest=Max("as_of"))["latest"]
    if latest is not None and as_of < latest:
        raise InputError([Problem(source, None, f"an import dated {as_of.isoformat()} cannot follow the one "
                                                f"dated {latest.isoformat()}: date it {latest.isoformat()} or later "
                                                "(--as-of), with 'since' for changes that happened earlier")])


class _LastChanges(dict[str, date]):
    """Each person's last recorded change (``_last_changed``), read the first time a plan asks: of
    ``people`` alone when only they are planned (a re-import's rows read), of everyone otherwise."""

    loaded = False

    def __init__(self, people: list[str] | None = None):
        super().__init__()
        # Asked by name, a few thousand at most; more cost less read all at once.
        self.people = people if people is None or len(people) <= 5000 else None

    def _load(self) -> None:
        if not self.loaded:
            self.loaded = True
            for (subject, _), day in _last_changed(self.people).items():
                self[subject] = max(dict.get(self, subject, day), day)

    def get(self, key: str, default: Any = None) -> Any:
        self._load()
        return super().get(key, default)


def _recorded(people: list[str] | None = None) -> dict[str, Any]:
    """What the plan needs to know of the history: where it begins, each person's last change
    (of ``people`` alone when only they are planned), and whether this is the first import (a baseline)."""
    begins = records_begin()
    return {"records_begin": begins, "last_change": _LastChanges(people), "baseline": begins is None}


def _team_names() -> set[str]:
    """The teams that exist: a role in a file may name one of them even if nobody in the file works in it."""
    return {name for name, in _select(Team, ["name"])}


def _pending_edits(subject: str | None = None) -> list[PendingEdit]:
    rows = PendingValue.objects.filter(state=PendingValue.PENDING).select_related("edit", "edit__created_by")
    if subject is not None:
        rows = rows.filter(subject=subject)
    return [PendingEdit(Pending(v.subject, v.field, v.value), v.edit_id, _who(v.edit.created_by), v.edit.created_at,
                        v.edit.reason, v.edit.origin, v.edit.as_of) for v in rows.order_by("id")]


def _who(user: Any) -> str:
    return user.get_username() if user is not None else "the command line"


@dataclass
class _Resolved:
    incoming: OrgSnapshot
    confirmed: list[PendingEdit]
    conflicts: list[Conflict]
    renames: list[tuple[str, str]]  # team renames the file reverts: (name in Trellis, name in the file)


def _resolve(incoming: OrgSnapshot, current: OrgSnapshot, source: str, prefer: str | None) -> _Resolved:
    """Compare the file with the pending edits: refuse on a conflict unless ``prefer`` says which side wins."""
    confirmed, conflicts = reconcile(_pending_edits(), incoming, incoming.columns)
    if conflicts and prefer is None:
        raise ImportConflicts.of(conflicts, source)
    if conflicts and prefer == PREFER_TRELLIS:
        return _Resolved(keep_trellis(incoming, current, conflicts), confirmed, conflicts, [])
    return _Resolved(incoming, confirmed, conflicts, renames_to_revert(conflicts))


def _plan(state: _State, resolved: _Resolved, as_of: date, ladder: Any, recorded: dict[str, Any],
          untouched: int = 0) -> ImportPlan:
    current = state.snapshot
    if resolved.renames:
        current = revert_renames(current, resolved.renames)
    plan = plan_import(current, resolved.incoming, as_of=as_of, ladder=ladder, untouched=untouched, **recorded)
    if resolved.renames:
        plan.changes[:0] = [Change("team-renamed", as_of, team=old, old=new, new=old) for new, old in resolved.renames]
    return plan


@dataclass
class _Stored:
    """Every person as stored, from one light query: what a re-import needs beside the file to take
    the rows that did not change as they are (``_known_rows``)."""

    person_pk: dict[str, int]
    external: dict[int, str]  # key -> person id
    active: list[str]
    teams: list[tuple[Any, ...]]  # every team's ``TEAM_FIELDS``
    pids: Sequence[str]  # everyone, in the order of ``digests``
    digests: Sequence[str]  # the digest of each one's row stored by an earlier import ("": none)

    @cached_property
    def _digest_of(self) -> dict[str, str]:
        return dict(zip(self.pids, self.digests, strict=True))

    def digests_of(self, pids: Iterable[str]) -> dict[str, str]:
        """Person -> the digest of their row stored by an earlier import, for these people who have one, as read
        with the rest (an import that stores digests alone meanwhile changes no stamp)."""
        everyone = self._digest_of
        return {pid: digest for pid in pids if (digest := everyone.get(pid))}


class _Lazily(Mapping[str, Any]):
    """A map made the first time it is asked for (``make``): one that a reading may never ask for."""

    def __init__(self, make: Callable[[], Mapping[str, Any]]) -> None:
        self.make = make
        self._found: Mapping[str, Any] | None = None

    @property
    def found(self) -> Mapping[str, Any]:
        if self._found is None:
            self._found = self.make()
        return self._found

    def __getitem__(self, pid: str) -> Any:
        return self.found[pid]

    def __iter__(self) -> Iterator[str]:
        return iter(self.found)

    def __len__(self) -> int:
        return len(self.found)


def _stored_values(field: str) -> _Lazily:
    """Person -> one of their values as stored (``field``), read the first time it is asked for: only a file
    that names a manager by e-mail or by name asks (``KnownRows.e_mail_of`` and ``name_of``)."""
    return _Lazily(lambda: {pid: value for pid, value in _select(Person, ["external_id", field]) if value})


class _KnownPeople(KnownRows):
    """``KnownRows`` from the stored people's columns (``_known_columns``): each question the checks ask of
    them is a map over the columns (or the managers above the rows read), not a map per person."""

    def __init__(self, columns: tuple[Sequence[Any], ...], stored: _Stored, team_name: dict[int, str],
                 **known: Any) -> None:
        _, pids, _, self.actives, manager_pks, team_pks = columns
        self.pids, self.manager_pks, self.team_pks = pids, manager_pks, team_pks
        self.stored, self.team_name = stored, team_name
        # Made of the columns, not of ``self``: a cycle would keep the columns until the collector's next pass.
        external = stored.external
        super().__init__(team_of=_Lazily(lambda: dict(zip(pids, map(team_name.get, team_pks), strict=True))),
                         manager_of=_Lazily(lambda: dict(zip(pids, map(external.get, manager_pks), strict=True))),
                         **known)

    def managers(self) -> set[str]:
        """The solid managers of the people active (a taken row is an active person's)."""
        keys = set(compress(self.manager_pks, self.actives))
        return {self.stored.external[key] for key in keys if key}

    def reports_of(self, managers: Collection[str]) -> Iterable[str]:
        person_pk = self.stored.person_pk
        keys = {person_pk[pid] for pid in managers if pid in person_pk}
        return compress(self.pids, map(keys.__contains__, self.manager_pks))

    def members(self, teams: Collection[str]) -> Iterable[tuple[str, str]]:
        keys = {pk for pk, name in self.team_name.items() if name in teams}
        picked = list(map(keys.__contains__, self.team_pks))
        return zip(compress(self.pids, picked), map(self.team_name.__getitem__, compress(self.team_pks, picked)),
                   strict=True)


@dataclass
class _Read:
    """A file read for an import, and what it was read beside."""

    incoming: OrgSnapshot
    stamp: tuple[Any, ...]  # what a plan depends on, before anything was read (``_stamp``)
    stored: _Stored | None  # the people as stored, when an import has stored digests of their rows
    known: KnownRows | None  # the rows that could be taken as stored; ``known.taken``: those taken
    digests: dict[str, str]  # person -> the digest of their row in this file, for rows that may be stored

    @property
    def partial(self) -> bool:
        """Only the rows read are in ``incoming``: every other person is as stored."""
        return self.known is not None and bool(self.known.taken)


def _read_import(data: str | bytes, source: str, ladder: Any, *, as_of: date, mapping: dict[str, str | None] | None,
                 progress: Callable[[int], None] | None, options: ReadOptions | None) -> _Read:
    """Read the file, taking each row unchanged since an earlier import as it was (``KnownRows``). The
    stamp (``_stamp``) is read first: anything written while the state is read changes it."""
    stamp = _stamp()
    stored, known = _known_rows(as_of)
    digests: dict[str, str] = {}
    teams = {name for _, name, _, _ in stored.teams} if stored is not None else _team_names()
    incoming = read_org_csv(data, source, ladder, as_of=as_of, mapping=mapping, progress=progress,
                            known_teams=teams, options=options, known=known, digests=digests)
    return _Read(incoming, stamp, stored, known, digests)


def _known_rows(as_of: date) -> tuple[_Stored | None, KnownRows | None]:
    """The people as stored and the rows that can be taken as they were; nothing before any import.

    A person's stored row is taken only when nothing changed them inside Trellis since the last
    import (an edit, an applied promotion, a value still pending), and only for an import dated
    on or after it (a ``since`` checked against an earlier date is not checked against this one).
    A team changed inside Trellis (renamed, moved) may be named by any row: every row is read.
    A query for the people (their columns, ``_known_columns``), one for their dotted lines, one for the teams."""
    latest = ImportBatch.objects.order_by("-id").values_list("as_of", "last_edit", "summary").first()
    if latest is None:
        return None, None
    checked = max(latest[0].isoformat(), (latest[2] or {}).get(DIGESTS_AS_OF, ""))
    with gc_paused():
        # Column by column, each map built by ``zip`` and ``map``: a loop's own steps would cost more.
        columns = _known_columns()
        pks, pids, digests, actives, _, _ = columns
        external = dict(zip(pks, pids, strict=True))
        stored = _Stored(person_pk=dict(zip(pids, pks, strict=True)), external=external,
                         active=list(compress(pids, actives)), teams=_select(Team, TEAM_FIELDS), pids=pids,
                         digests=digests)
        if not any(digests) or as_of.isoformat() < checked:
            return stored, None
        changed = set(OrgEdit.objects.filter(id__gt=latest[1] or 0).values_list("subject", flat=True))
        changed.update(PendingValue.objects.filter(state=PendingValue.PENDING).values_list("subject", flat=True))
        if any(subject.startswith("team:") for subject in changed):
            return stored, None
        teams = {pk: (name, department or None) for pk, name, department, _ in stored.teams}
        team_name = {pk: name for pk, (name, _) in teams.items()}
        dotted: dict[str, list[str]] = {}
        for person_pk, manager_pk in _select(DottedLine, ["person", "manager"]):
            dotted.setdefault(external[person_pk], []).append(external[manager_pk])
        # The people's digests -> the people, but for those changed inside Trellis since.
        people = dict(zip(compress(digests, actives), compress(pids, actives), strict=True))
        people.pop("", None)
        for pid, digest in (stored.digests_of(changed).items() if changed else ()):
            if people.get(digest) == pid:
                del people[digest]
        known = _KnownPeople(
            columns, stored, team_name,
            people=people,
            dotted_of={pid: tuple(managers) for pid, managers in dotted.items()},
            e_mail_of=_stored_values("email"),
            name_of=_stored_values("name"),
            departments=dict(teams.values()))
    return stored, known


# As SQLite gives ``+active`` (1 or 0) in one text: the flags ``compress`` takes.
_FLAGS = bytes.maketrans(b"01", b"\x00\x01")


def _known_columns() -> tuple[Sequence[Any], ...]:
    """Every person's key, id, row digest, whether active (1 or 0), and their manager's and team's keys (0 or
    None: none), column by column, for ``_known_rows``. On SQLite each column comes as one text, split again: a
    value made by ``str.split`` costs a fraction of one the database driver makes in a tuple per row. The
    driver's rows are read instead when a value holds the text's separator (an id with a line break in it)."""
    fields = ["id", "external_id", "import_digest", "active", "manager", "team"]
    if connection.vendor == "sqlite":
        key, pid, digest, active, manager, team = (_column(Person, name) for name in fields)
        sql = (f"SELECT count(*), group_concat({key}), group_concat({pid}, char(10)), group_concat({digest}), "
               f"group_concat(+{active}, ''), group_concat(coalesce({manager}, 0)), group_concat(coalesce({team}, 0)) "
               f"FROM {connection.ops.quote_name(Person._meta.db_table)}")
        with connection.cursor() as cursor:
            cursor.execute(sql)
            count, keys, pids, digests, actives, managers, teams = cursor.fetchone()
        if not count:
            return ((),) * 6
        ids, digest_list = pids.split("\n"), digests.split(",")
        if len(ids) == len(digest_list) == len(actives) == count:
            return (list(map(int, keys.split(","))), ids, digest_list, actives.encode("ascii").translate(_FLAGS),
                    list(map(int, managers.split(","))), list(map(int, teams.split(","))))
    rows = _select(Person, fields, as_written=["active"])
    return tuple(zip(*rows, strict=True)) if rows else ((),) * 6


def _digests_to_store(read: _Read, after: OrgSnapshot) -> dict[str, str]:
    """Person -> their row's digest, for the rows whose person is stored exactly as the row gave them
    (not a value kept from Trellis, nor a level's start the history dated otherwise)."""
    given, people, digests = read.incoming.people, after.people, read.digests
    # Usually the very person the row gave: told apart by maps, and only the others compared.
    same = list(map(is_, map(people.get, digests), map(given.__getitem__, digests)))
    kept = dict(zip(compress(digests, same), compress(digests.values(), same), strict=True))
    kept.update((pid, digests[pid]) for pid in compress(digests, map(not_, same)) if people.get(pid) == given[pid])
    return kept


def preview_import(data: str | bytes, source: str, *, as_of: date,
                   mapping: dict[str, str | None] | None = None,
                   progress: Callable[[int], None] | None = None, options: ReadOptions | None = None,
                   prefer: str | None = None) -> ImportPlan:
    """What importing the file would change; writes nothing. ``options``: how to read an HR export.
    Raises ``ImportConflicts`` when the file contradicts pending edits and ``prefer`` (``file`` or
    ``trellis``) does not say who wins."""
    ladder = active_ladder()
    read = _read_import(data, source, ladder, as_of=as_of, mapping=mapping, progress=progress, options=options)
    return _planned(read, source, as_of, ladder, prefer).plan


@dataclass
class _Planned:
    """An import planned from the organisation as it stood when ``stamp`` was read."""

    stamp: tuple[Any, ...]
    state: _State
    recorded: dict[str, Any]
    resolved: _Resolved
    plan: ImportPlan
    read: _Read


def _stamp() -> tuple[Any, ...]:
    """What a plan depends on, in two small queries: the organisation's version (the newest history
    event, person, role, team and import, so the latest import's date too) and the pending edits."""
    pending = PendingValue.objects.filter(state=PendingValue.PENDING).aggregate(last=Max("id"), count=Count("id"))
    return (*version.version(), pending["last"], pending["count"])


def _planned(read: _Read, source: str, as_of: date, ladder: Any, prefer: str | None) -> _Planned:
    """Plan the import of the file ``read`` from the organisation as it stands. Only reads: on SQLite,
    reading never waits for a writer, nor makes one wait. The stamp was read first (``_read_import``),
    so that anything written while the state is read shows as a change when the stamp is read again."""
    _check_date(as_of, source)
    untouched = 0
    if read.partial:
        # Only the rows read are compared, and written: everyone else is as stored (``KnownRows``), apart
        # from those the file no longer lists.
        assert read.stored is not None and read.known is not None
        incoming, taken = read.incoming.people, read.known.taken
        person_pk = read.stored.person_pk
        only = [pid for pid in incoming if pid in person_pk]
        only.extend(filterfalse(taken.__contains__, filterfalse(incoming.__contains__, read.stored.active)))
        state = _load_state(as_of, read.stored, only)
        recorded = _recorded(list(incoming))
        untouched = len(taken)
    else:
        state = _load_state(as_of)
        recorded = _recorded()
    resolved = _resolve(read.incoming, state.snapshot, source, prefer)
    plan = _plan(state, resolved, as_of, ladder, recorded, untouched)
    plan.conflicts = resolved.conflicts
    return _Planned(read.stamp, state, recorded, resolved, plan, read)


def apply_import(data: str | bytes, source: str, *, as_of: date, mapping: dict[str, str | None] | None = None,
                 allow_mass_leave: bool = False, mass_leave_share: float | None = None,
                 user: Any = None, progress: Callable[[int], None] | None = None,
                 options: ReadOptions | None = None, prefer: str | None = None,
                 baseline_history: bool = False, judge_health: bool = True) -> ImportPlan:
    """Import the file as the whole organisation, all or nothing, recording every change.

    The first import is a baseline (``plan_import``): what it finds started before the records
    began. ``baseline_history`` False leaves out its one history row per person, team and role
    (the batch alone says when the records begin), saving a third of the import's time; the
    benchmark prints the first import both ways.

    Once written, the organisation's health today is judged once and kept for every page to read
    (``judge_health`` False leaves that to the first page that asks: the import benchmark times
    the import alone). The file is read and the import planned before SQLite's write lock is
    taken, so that sign-ins and edits wait only while the rows are written.

    Raises ``InputError`` for a bad file, ``MassLeaveRefused`` when too many people would be
    marked left without ``allow_mass_leave`` (more than ``mass_leave_share``, by default the
    deployment's policy), and ``ImportConflicts`` when the file contradicts edits made in
    Trellis that no file has confirmed yet, unless ``prefer`` is ``file`` (the file wins and the
    edits are reverted) or ``trellis`` (the edits win and stay pending).
    """
    # No cyclic garbage is made while an organisation is read, compared and written, and the
    # collector would walk every person object many times over (``gc_paused``).
    with gc_paused():
        return _apply_import(data, source, as_of=as_of, mapping=mapping, allow_mass_leave=allow_mass_leave,
                             mass_leave_share=mass_leave_share, user=user, progress=progress, options=options,
                             prefer=prefer, baseline_history=baseline_history, judge_health=judge_health)


def _apply_import(data: str | bytes, source: str, *, as_of: date, mapping: dict[str, str | None] | None,
                  allow_mass_leave: bool, mass_leave_share: float | None, user: Any,
                  progress: Callable[[int], None] | None, options: ReadOptions | None, prefer: str | None,
                  baseline_history: bool, judge_health: bool) -> ImportPlan:
    refuse_if_an_import_runs(source)  # before reading a file that could not be written anyway
    ladder = active_ladder()
    read = _read_import(data, source, ladder, as_of=as_of, mapping=mapping, progress=progress, options=options)
    with _the_only_import(source, user) as marker:
        # Planned before the write lock is taken: at 100,000 people reading and comparing take
        # seconds, and on SQLite every sign-in (a write) would wait for them.
        planned = _planned(read, source, as_of, ladder, prefer)
        _refuse_mass_leave(planned.plan, allow_mass_leave, mass_leave_share, source)
        with transaction.atomic():
            _one_writer_at_a_time()
            if _stamp() != planned.stamp:
                # Written to since it was planned (an edit, say, or another ladder made active): read and
                # planned again, holding the lock (the rows taken as they were stored were taken from the
                # organisation as it was).
                ladder = active_ladder()
                read = _read_import(data, source, ladder, as_of=as_of, mapping=mapping, progress=progress,
                                    options=options)
                planned = _planned(read, source, as_of, ladder, prefer)
                _refuse_mass_leave(planned.plan, allow_mass_leave, mass_leave_share, source)
            _write_import(planned, source, as_of=as_of, user=user, prefer=prefer, baseline_history=baseline_history)
            if judge_health:
                # Still marked as running, now as written, in the commit that writes the rows: until the report
                # is kept, pages show the latest one kept, and none sees the new organisation still marked unwritten.
                RunningImport.objects.filter(pk=marker).update(written=True)
        version.changed()  # every cache of the organisation in this process; the rows were written with plain SQL
        if judge_health:
            _keep_health_report()
    return planned.plan.written()


def _keep_health_report() -> None:
    """Judge the organisation as written, once, for every page to read (``keep_report``), once the
    change is committed: inside a caller's transaction (proposals applied on their date, a submitted
    self-evaluation), when that transaction commits, so that judging never holds the write lock. The
    change is committed either way: nothing that goes wrong in judging makes it fail (the first page
    to ask judges it then)."""
    # A test's own transaction (which Django's test case marks, as it does for ``durable``) is not a
    # caller's: there, as in production, the change is as good as committed.
    if any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
        transaction.on_commit(_judge_and_keep)
    else:
        _judge_and_keep()


def _judge_and_keep() -> None:
    from trellis.web.health.services import keep_report

    try:
        keep_report()
    except Exception:  # the change is committed; a report not kept is judged by the first page that asks
        log.exception("judging the organisation after a change failed: pages will judge it themselves")


def _refuse_mass_leave(plan: ImportPlan, allow_mass_leave: bool, share: float | None, source: str) -> None:
    refusal = mass_leave_refusal(plan, share, source)
    if refusal is not None and not allow_mass_leave:
        raise refusal


def _write_import(planned: _Planned, source: str, *, as_of: date, user: Any, prefer: str | None,
                  baseline_history: bool) -> None:
    """Write a planned import, in the transaction that holds the write lock."""
    state, recorded, resolved, plan = planned.state, planned.recorded, planned.resolved, planned.plan
    # The first import into an empty organisation records no row per person, team and role: its
    # batch marks where the records begin, and the histories work its entries out when read
    # (``history_for_person``). Into an organisation with people or history already (built by
    # hand, or edited before any import), its changes are recorded as any import's are.
    rowless = (recorded["baseline"] and not baseline_history and not state.snapshot.people
               and not HistoryEvent.objects.exists())
    reverted = resolved.conflicts if prefer == PREFER_FILE else []
    if plan.is_empty and not resolved.confirmed and not reverted:
        # Idempotent: the same file again records nothing, not even a batch. Only the digests of rows read
        # in full (the first import after a new ladder, say) are kept, for the next import to take those
        # rows, with the day they were checked against (``_known_rows``).
        latest = ImportBatch.objects.order_by("-id").first()
        if _store_digests(planned, _digests_to_store(planned.read, plan.result)) and latest is not None and (
                as_of.isoformat() > max(latest.as_of.isoformat(), latest.summary.get(DIGESTS_AS_OF, ""))):
            latest.summary[DIGESTS_AS_OF] = as_of.isoformat()
            latest.save(update_fields=["summary"])
        return
    batch = ImportBatch.objects.create(
        created_by=user if getattr(user, "is_authenticated", False) else None,
        source=source[:500], as_of=as_of,
        summary={"counts": plan.counts, "leaving": plan.leaving, "baseline": recorded["baseline"],
                 # False: the first import's entries are worked out when a history is read
                 "baseline_history": not rowless,
                 "reverted": [c.to_dict() for c in reverted],
                 "kept": [c.to_dict() for c in resolved.conflicts if prefer == PREFER_TRELLIS]},
        last_edit=OrgEdit.objects.aggregate(last=Max("id"))["last"])
    if resolved.renames:
        _rename_teams(state, resolved.renames)
    digests = _digests_to_store(planned.read, plan.result)
    # The people there before whose digests change get them with their other changes (``_write``), as do new people.
    _write(state, plan.result, digests, _digest_changes(planned, digests))
    notes = {c.subject: f"reverts {c.pending.source_words()}" if c.reverts_proposal else
             f"reverts the edit by {c.pending.by} on {clock.day_of(c.pending.at).isoformat()} ({c.pending.reason})"
             for c in reverted}
    if not rowless:
        _record(plan.changes, batch=batch, notes=notes)
    _settle(resolved.confirmed, PendingValue.CONFIRMED, batch)
    _settle(reverted and [c.pending for c in reverted], PendingValue.REVERTED, batch)


def _digest_changes(planned: _Planned, digests: dict[str, str]) -> dict[int, str]:
    """The people there before the import whose stored digest changes (by key) -> the new one: the digest of
    each row read that says exactly what its person now is (``digests``: see ``_digests_to_store``), and
    none for the people whose rows no longer do."""
    read, person_pk = planned.read, planned.state.person_pk
    unsettled = read.known.unsettled if read.known is not None else set()
    before = (read.stored.digests_of(set(digests).union(read.incoming.people, unsettled)) if read.stored is not None
              else {})
    changes = {person_pk[pid]: digest for pid, digest in digests.items()
               if pid in person_pk and before.get(pid) != digest}
    # Looked for among the people read (few on a re-import), not among everyone stored.
    if before:
        changes.update((person_pk[pid], "") for pid in itertools.chain(read.incoming.people, unsettled)
                       if pid in before and pid not in digests)
    return changes


def _store_digests(planned: _Planned, digests: dict[str, str]) -> bool:
    """Store the digests of an import that changes nothing else (``_digest_changes``); whether any changed."""
    changes = _digest_changes(planned, digests)
    _update(Person, ["import_digest"], [(digest, pk) for pk, digest in changes.items()])
    return bool(changes)


def _settle(pending: list[PendingEdit] | list[Any], state: str, batch: ImportBatch | None) -> None:
    for p in pending:
        PendingValue.objects.filter(edit_id=p.edit_id, subject=p.value.subject, field=p.value.field,
                                    state=PendingValue.PENDING).update(state=state, resolved_by=batch)


def _rename_teams(state: _State, renames: list[tuple[str, str]]) -> None:
    """Rename teams in place (their roles and members follow by key), and in the loaded state."""
    for old, new in renames:
        Team.objects.filter(name=old).update(name=new)
        state.team_pk[new] = state.team_pk.pop(old)
    state.snapshot = revert_renames(state.snapshot, renames)
    state.open_role_pk = {(pid, dict(renames).get(team, team), role): pk
                          for (pid, team, role), pk in state.open_role_pk.items()}


# -- edits inside Trellis ------------------------------------------------------------------------


@dataclass
class EditOutcome:
    """What an edit changed (or, on a dry run, would change) and what it does to org health."""

    plan: EditPlan
    applied: bool
    health: Any = None  # trellis.health.whatif.WhatIfResult: findings that appear and disappear
    edit_id: int | None = None


def _last_changed(subjects: list[str] | None = None) -> dict[tuple[str, str], date]:
    """(subject, kind) -> the latest effective date recorded: one query. ``subjects``: people's ids
    and ``team:NAME``s (an edit's); None: every person (an import's floor for dating a change)."""
    found: dict[tuple[str, str], date] = {}
    if subjects is None:
        rows = HistoryEvent.objects.exclude(person_id_ext="")
    else:
        people = [s for s in subjects if not s.startswith("team:")]
        teams = [s.removeprefix("team:") for s in subjects if s.startswith("team:")]
        rows = HistoryEvent.objects.filter(Q(person_id_ext__in=people) | (Q(team_name__in=teams)
                                                                          & Q(person_id_ext="")))
    for pid, team, kind, effective in rows.values_list("person_id_ext", "team_name", "kind").annotate(
            last=Max("effective")).values_list("person_id_ext", "team_name", "kind", "last"):
        key = (pid or team_subject(team), kind)
        found[key] = max(found.get(key, effective), effective)
    return found


def edit_person(edit: PersonEdit, *, viewer: Viewer, reason: str, as_of: date | None = None,
                dry_run: bool = False, user: Any = None, origin: str = "", health: bool = True) -> EditOutcome:
    """Change one person, checked by the import's rules, all or nothing, recorded with its source.

    Only HR and admin edit, except a person's own preferred track (``trellis.access``); anyone
    else gets ``PermissionDenied``. Raises ``InputError`` naming each bad field. ``as_of``:
    today or a past day (a correction), never the future. With ``dry_run`` nothing is written.
    """
    right = Right.EDIT_PREFERRED_TRACK if edit.only_preferred_track else Right.EDIT_PERSON
    viewer.require(right, edit.person_id)
    return _edit(lambda state, day, last: plan_person_edit(
        state.snapshot, edit, ladder=active_ladder(), as_of=day, today=clock.today(), last_changed=last),
        [edit.person_id], reason=reason, as_of=as_of, dry_run=dry_run, user=user, origin=origin, health=health)


def edit_team(edit: TeamEdit, *, viewer: Viewer, reason: str, as_of: date | None = None, dry_run: bool = False,
              user: Any = None, health: bool = True) -> EditOutcome:
    """Rename a team or change its department (HR and admin), like ``edit_person``."""
    if not viewer.privileged:
        raise PermissionDenied("only HR and admin may change a team")
    return _edit(lambda state, day, last: plan_team_edit(state.snapshot, edit, as_of=day, today=clock.today(),
                                                          last_changed=last),
                 [team_subject(edit.team)], reason=reason, as_of=as_of, dry_run=dry_run, user=user, origin="",
                 health=health)


def _edit(make: Callable[[_State, date, dict[tuple[str, str], date]], EditPlan], subjects: list[str], *,
          reason: str, as_of: date | None, dry_run: bool, user: Any, origin: str, health: bool) -> EditOutcome:
    day = as_of or clock.today()
    if not reason.strip():
        raise InputError([Problem("edit", None, "say why (the reason is kept in the history)", column="reason")])
    check_recorded(day)  # an edit corrects the records; before they begin there is nothing to correct

    def planned() -> tuple[tuple[Any, ...], _State, EditOutcome]:
        stamp = _stamp()  # first, as for an import (``_planned``)
        state = _load_state(clock.today())
        plan = make(state, day, _last_changed(subjects))
        outcome = EditOutcome(plan=plan, applied=False)
        if health and not plan.is_empty:
            outcome.health = _health_effect(state.snapshot, plan.result)
        return stamp, state, outcome

    # Planned and judged before the write lock is taken, as an import is.
    stamp, state, outcome = planned()
    if dry_run or outcome.plan.is_empty:
        return outcome
    with transaction.atomic():
        _one_writer_at_a_time()
        if _stamp() != stamp:
            _, state, outcome = planned()  # written to meanwhile: planned again, holding the lock
            if outcome.plan.is_empty:
                return outcome
        plan = outcome.plan
        record = OrgEdit.objects.create(
            created_by=user if getattr(user, "is_authenticated", False) else None, reason=reason.strip(),
            as_of=day, subject=subjects[0], origin=origin[:200], summary=plan.summary_lines())
        renames = [(c.old, c.new) for c in plan.changes if c.kind == "team-renamed" and c.old and c.new]
        if renames:
            _rename_teams(state, renames)
        with gc_paused():
            _write(state, plan.result)
        _record(plan.changes, edit=record)
        # A later edit of the same field replaces an earlier one that no file has confirmed yet.
        for p in plan.pending:
            PendingValue.objects.filter(subject=p.subject, field=p.field, state=PendingValue.PENDING).update(
                state=PendingValue.SUPERSEDED)
        PendingValue.objects.bulk_create([PendingValue(edit=record, subject=p.subject, field=p.field, value=p.value)
                                          for p in plan.pending])
        outcome.applied, outcome.edit_id = True, record.pk
    version.changed()  # every cache of the organisation in this process; the rows were written with plain SQL
    _keep_health_report()
    return outcome


def _health_effect(before: OrgSnapshot, after: OrgSnapshot) -> Any:
    """Findings that would appear and disappear, from the health engine (the what-if comparison)."""
    from trellis.health.engine import evaluate
    from trellis.health.whatif import compare
    from trellis.web.health.services import policy_in_force

    ladder = active_ladder()
    policy = policy_in_force(ladder).policy
    return compare(evaluate(before, ladder, policy), evaluate(after, ladder, policy))


def pending_for(subject: str) -> dict[str, PendingEdit]:
    """The pending values of one person (or ``team:NAME``), by field."""
    return {p.value.field: p for p in _pending_edits(subject)}


def _chunks(items: list[Any], size: int = BATCH) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


# Rows are written with plain parameterised executemany: at 100,000 people the ORM's
# bulk_create spends ten times longer building model instances and SQL than the database
# spends storing them. The statements are ordinary SQL that SQLite and PostgreSQL both run.
def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    return connection.ops.quote_name(field.column)


def _select(model: type[Model], fields: list[str], as_written: Iterable[str] = (),
            where: tuple[str, list[int]] | None = None) -> list[tuple[Any, ...]]:
    """Every row of ``model``, the values of ``fields``: plain SQL, as for writing (the ORM's per-row
    work took longer than reading the 100,000 rows; the database driver gives dates and booleans).

    ``as_written``: fields SQLite gives as it holds them: a date as ISO text (for ``_days``), where its
    driver would parse every value and the same few thousand dates recur; a boolean as 0 or 1, where
    its driver would call a converter for every value. ``where``: only the
    rows whose field (a key) is one of these keys, in a query per ``BATCH`` keys."""
    qn = connection.ops.quote_name
    raw = set(as_written) if connection.vendor == "sqlite" else set()
    # A unary plus leaves a value as it is, without the column's declared type: nothing is converted.
    columns = ", ".join(f"+{_column(model, f)}" if f in raw else _column(model, f) for f in fields)
    sql = f"SELECT {columns} FROM {qn(model._meta.db_table)}"
    with connection.cursor() as cursor:
        if where is None:
            cursor.execute(sql)
            return cursor.fetchall()
        found: list[tuple[Any, ...]] = []
        for chunk in _chunks(where[1]):
            cursor.execute(f"{sql} WHERE {_column(model, where[0])} IN ({', '.join(['%s'] * len(chunk))})", chunk)
            found.extend(cursor.fetchall())
        return found


def _days(values: Iterable[Any]) -> dict[Any, date | None]:
    """Each distinct date as ``_select`` gives it (a date, ISO text or None) -> the date, parsed once."""
    return {value: date.fromisoformat(value) if isinstance(value, str) else value for value in set(values)}


def _insert(model: type[Model], fields: list[str], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(_column(model, f) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Over the network every statement is a round trip (and a statement of many rows
            # costs PostgreSQL as much in planning): COPY streams the rows, ten times faster.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        with _indexes_built_after(cursor, model, len(rows)):
            for chunk in _chunks(rows, 5000):
                cursor.executemany(sql, chunk)


# Rows enough for building a table's indexes once, after its rows, to beat keeping them up to date row by row.
INDEX_AFTER_ROWS = 10_000
INDEX_CACHE_KIB = 64 * 1024  # SQLite's page cache while the rows go in and the indexes are built


@contextmanager
def _indexes_built_after(cursor: Any, model: type[Model], count: int) -> Iterator[None]:
    """Many rows into an empty SQLite table (a first import): its indexes are dropped and built
    again once the rows are in, in the same transaction. Keeping an index up to date row by row
    writes its pages in random order, and the people's indexes (the directory's order with its
    long sort keys) outgrow the page cache: built in one sorted pass they cost a third as much.
    The indexes come back exactly as they were, from their own definitions."""
    if count < INDEX_AFTER_ROWS or connection.vendor != "sqlite":
        yield
        return
    table = model._meta.db_table
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {connection.ops.quote_name(table)})")
    if cursor.fetchone()[0]:
        yield
        return
    # Only indexes written out in the schema: those behind UNIQUE constraints have no definition
    # of their own (and the import relies on them while it writes).
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                   [table])
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    # Building them sorts every key: in memory rather than through the database file, for the time it takes.
    cursor.execute("PRAGMA cache_size")
    cache_size = int(cursor.fetchone()[0])
    cursor.execute(f"PRAGMA cache_size = {-INDEX_CACHE_KIB}")
    try:
        yield
        for _, definition in indexes:
            cursor.execute(definition)
    finally:
        cursor.execute(f"PRAGMA cache_size = {cache_size}")


def _update(model: type[Model], fields: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Each row is the new values of ``fields`` followed by the primary key."""
    if not rows:
        return
    qn = connection.ops.quote_name
    assignments = ", ".join(f"{_column(model, f)} = %s" for f in fields)
    sql = f"UPDATE {qn(model._meta.db_table)} SET {assignments} WHERE {qn(model._meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, 5000):
            cursor.executemany(sql, chunk)


def _dates() -> Callable[[date | None], Any]:
    """How the database takes a date (an ISO string for SQLite), asked of the connection once and
    written once per distinct date: asking for every value was a sixth of a first import's time."""
    adapt = connection.ops.adapt_datefield_value
    written: dict[date | None, Any] = {}

    def day(value: date | None) -> Any:
        found = written.get(value, written)
        if found is written:
            found = written[value] = adapt(value)
        return found

    return day


PERSON_FIELDS = ["name", "sort_key", "email", "level", "preferred_track", "team", "active", "level_since",
                 "reports_outside"]
PERSON_ROW = ["id", "external_id", "manager", *PERSON_FIELDS, "import_digest"]  # a row of ``_person_rows``
_PERSON_VALUES = attrgetter("id", "manager_id", "name", "email", "level", "preferred_track", "team", "active",
                            "level_since", "reports_outside")


def _person_rows(people: list[PersonData], person_pk: dict[str, int], team_pk: dict[str, int],
                 digests: dict[str, str]) -> list[tuple[Any, ...]]:
    """Each person's row as ``_write`` stores it: the key, the id and the manager's key, ``PERSON_FIELDS``,
    then the digest of their row (``digests``; empty when it has none).

    Each value is looked up in a map made once (a name's sort key, a date as the database takes it): a call
    per value was most of the time a first import spent in Python writing."""
    pk, team = person_pk, team_pk
    day = _dates()
    days = {value: day(value) for value in {p.level_since for p in people}}
    keys = {name: name_sort_key(name) for name in {p.name for p in people}}
    flag = _flags()
    digest = digests.get
    return [(pk[i], i, pk[m] if m is not None else None, name, keys[name], email, level, track,
             team[t] if t is not None else None, flag[active], days[since], flag[outside], digest(i, ""))
            for i, m, name, email, level, track, t, active, since, outside in map(_PERSON_VALUES, people)]


def _flags() -> dict[bool, Any]:
    """How the database takes a boolean: SQLite's driver binds 1 and 0 at once, where it looks up how to
    adapt each True and False (a tenth of the time it spent on each person's row); PostgreSQL types them."""
    return {True: 1, False: 0} if connection.vendor == "sqlite" else {True: True, False: False}


def _write(state: _State, after: OrgSnapshot, digests: dict[str, str] | None = None,
           digest_changes: dict[int, str] | None = None) -> None:
    """Store ``after`` as the current organisation, writing only what differs from ``state``; new people
    with the digests of their rows (``digests``), people there before with their new digests (by key,
    ``digest_changes``)."""
    before = state.snapshot
    team_pk, person_pk = state.team_pk, state.person_pk
    _day = _dates()
    new_teams = [t for name, t in after.teams.items() if name not in team_pk]
    # New teams, like new people, go in with keys of our own: nothing to read back.
    team_pk.update(zip((t.name for t in new_teams), _new_keys(Team, len(new_teams)), strict=True))
    _insert(Team, ["id", "name", "department", "since"],
            [(team_pk[t.name], t.name, t.department or "", _day(t.since)) for t in new_teams])
    _update(Team, ["department"], [(t.department or "", team_pk[name]) for name, t in after.teams.items()
                                   if name in before.teams and t.department != before.teams[name].department])

    # New people go in with keys of our own, in the file's order, in one pass: each row is written
    # once with its solid line, a manager's key being known before the manager's row is (the
    # reporting lines are checked when the transaction commits), and the keys keep the file's order.
    new_ids = [pid for pid in after.people if pid not in person_pk]
    person_pk.update(zip(new_ids, _new_keys(Person, len(new_ids)), strict=True))
    _insert(Person, PERSON_ROW, _person_rows([after.people[pid] for pid in new_ids], person_pk, team_pk, digests or {}))
    changed = [p for pid, p in after.people.items() if pid in before.people and p is not before.people[pid]
               and p != before.people[pid]]
    _update_people(_person_rows(changed, person_pk, team_pk, {}),
                   _person_rows([before.people[p.id] for p in changed], person_pk, team_pk, {}),
                   dict(digest_changes or {}))

    redrawn = [pid for pid, p in after.people.items() if p is not before.people.get(pid)
               and p.dotted_manager_ids != (before.people[pid].dotted_manager_ids if pid in before.people else ())]
    stale = [person_pk[pid] for pid in redrawn if pid in before.people]
    for chunk in _chunks(stale, 500):
        DottedLine.objects.filter(person_id__in=chunk).delete()
    _insert(DottedLine, ["person", "manager"], [(person_pk[pid], person_pk[m]) for pid in redrawn
                                                for m in after.people[pid].dotted_manager_ids])

    open_now = {(s.person_id, s.team, s.role) for s in after.roles if s.end is None}
    ended = [pk for key, pk in state.open_role_pk.items() if key not in open_now]
    for chunk in _chunks(ended, 500):
        RoleAssignment.objects.filter(pk__in=chunk).update(end=after.as_of)
    _insert(RoleAssignment, ["person", "team", "role", "start"], [
        (person_pk[s.person_id], team_pk[s.team], s.role, _day(s.start))
        for s in after.roles if s.end is None and (s.person_id, s.team, s.role) not in state.open_role_pk])


def _update_people(rows: list[tuple[Any, ...]], before: list[tuple[Any, ...]], digests: dict[int, str]) -> None:
    """Write the people's ``rows`` (``_person_rows``, their digests left out) over what they were (``before``),
    and their new digests (by key; the rest of ``digests`` alone). Each statement sets only the columns
    that changed, grouped by which: setting a column rewrites every index on it, and a re-import mostly
    changes a name or a level, which are in two indexes and none."""
    changing = range(2, len(PERSON_ROW) - 1)  # the manager and ``PERSON_FIELDS``: not the key, id or digest
    groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    for row, old in zip(rows, before, strict=True):
        pk = row[0]
        differ = [i for i in changing if row[i] != old[i]]
        names = [PERSON_ROW[i] for i in differ]
        values = [row[i] for i in differ]
        if pk in digests:
            names.append("import_digest")
            values.append(digests.pop(pk))
        if names:
            groups.setdefault(tuple(names), []).append((*values, pk))
    for columns, written in groups.items():
        _update(Person, list(columns), written)
    _update(Person, ["import_digest"], [(digest, pk) for pk, digest in digests.items()])


def _new_keys(model: type[Model], count: int) -> list[int]:
    """``count`` unused primary keys for ``model``, increasing. PostgreSQL hands them out from the
    table's sequence (safe beside any other writer); SQLite's writer holds the only write lock, so
    the keys after the largest are free (and SQLite moves its own counter past them)."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, model._meta.pk.column, count])
            return sorted(row[0] for row in cursor.fetchall())
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(model._meta.pk.column)}) "
                       f"FROM {connection.ops.quote_name(table)}")
        last = cursor.fetchone()[0] or 0
    return list(range(last + 1, last + 1 + count))


def _record(changes: list[Change], *, batch: ImportBatch | None = None, edit: OrgEdit | None = None,
            notes: dict[str, str] | None = None) -> None:
    """Append the changes to the history with their source: an import's batch or an edit."""
    notes = notes or {}
    _day = _dates()
    last = HistoryEvent.objects.aggregate(last=Max("seq"))["last"] or 0
    _insert(HistoryEvent, ["kind", "effective", "person_id_ext", "team_name", "old", "new", "old_since", "batch",
                           "edit", "note", "seq"],
            [(c.kind, _day(c.effective), c.person_id or "", c.team or "", c.old, c.new, _day(c.old_since),
              batch.pk if batch else None, edit.pk if edit else None,
              notes.get(c.person_id or "", notes.get(f"team:{c.team}", "")) if notes else "", last + i)
             for i, c in enumerate(changes, start=1)])


def export_csv(as_of: date | None = None, *, include_preferred_track: bool = True) -> str:
    """The organisation (now, or on ``as_of``) in the import format: sorted by id, deterministic."""
    return write_org_csv(load_snapshot(as_of), include_preferred_track=include_preferred_track)


_SOURCE_FIELDS = ("batch__source", "batch__created_by__username", "batch__created_at", "edit__created_by__username",
                  "edit__created_at", "edit__reason", "edit__origin", "note")


def _import_source(file: str, by: str | None, at: Any) -> str:
    return f"import of {file} by {by or 'the command line'} on {clock.day_of(at).isoformat()}"


def _with_sources(events: Any) -> list[Change]:
    """History events with where each came from, in words: one query (the sources are joined)."""
    found = []
    for row in events.values_list(*_EVENT_FIELDS, *_SOURCE_FIELDS):
        kind, effective, pid, team, old, new, old_since = row[:7]
        file, file_by, file_at, edit_by, edit_at, reason, origin, note = row[7:]
        if file_at is not None:
            source = _import_source(file, file_by, file_at)
        elif edit_at is not None:
            via = f" ({origin})" if origin else ""
            source = f"edit by {edit_by or 'the command line'} on {clock.day_of(edit_at).isoformat()}{via}: {reason}"
        else:
            source = None
        if note and source:
            source += f"; {note}"
        found.append(Change(kind, effective, person_id=pid or None, team=team or None, old=old, new=new,
                            old_since=old_since, source=source))
    return found


@dataclass(frozen=True)
class _Baseline:
    """The first import, when it recorded no change of its own: the day the records begin and its source."""

    begins: date
    source: str


def _baseline() -> _Baseline | None:
    """One query: the first import, if it left its entries to be worked out (``trellis.org.history``)."""
    row = ImportBatch.objects.order_by("as_of", "id").values_list(
        "as_of", "summary", "source", "created_by__username", "created_at").first()
    if row is None or not isinstance(row[1], dict) or row[1].get("baseline_history", True):
        return None
    begins, _, file, by, at = row
    return _Baseline(begins, _import_source(file, by, at))


def _held_roles(**where: Any) -> list[HeldRole]:
    return [HeldRole(pid, team, role, start) for pid, team, role, start in RoleAssignment.objects.filter(
        **where).values_list("person__external_id", "team__name", "role", "start")]


def history_for_person(external_id: str) -> list[Change]:
    """Everything recorded about one person, oldest first, each change with its source.

    The first import's entries about them (they were there, the roles they held) are worked out
    when it recorded none: one more query to know, two more for the entries."""
    # The teams' renames come along, to know a team's name when the records began.
    rows = _with_sources(HistoryEvent.objects.filter(Q(person_id_ext=external_id) | Q(kind="team-renamed"))
                         .order_by("effective", "seq", "id"))
    events = [e for e in rows if e.person_id == external_id]
    if any(e.kind == "joined" for e in events):
        return events  # they joined after the records began: the history says it all
    base = _baseline()
    if base is None:
        return events
    person = Person.objects.filter(external_id=external_id).values_list("name", "team__name").first()
    if person is None:
        return events
    start = person_at_start(external_id, person[0], person[1], rows)
    if start is None:
        return events
    renames = [e for e in rows if e.kind == "team-renamed"]
    roles = [(held, team_at_start(held.team, renames)) for held in _held_roles(person__external_id=external_id)
             if not started_later(held, events)]
    return baseline_entries(base.begins, base.source, members=[(external_id, *start)], roles=roles) + events


def _renames() -> list[Change]:
    """Every team rename, oldest first."""
    return [change for _, change in _renames_in_order()]


_ORDER = ("effective", "seq", "id")  # the history's order


def _renames_in_order() -> list[tuple[tuple[Any, ...], Change]]:
    """Every team rename, oldest first, each with its place in the history's order (``_ORDER``)."""
    return _in_order(HistoryEvent.objects.filter(kind="team-renamed"))


def _in_order(events: QuerySet[HistoryEvent]) -> list[tuple[tuple[Any, ...], Change]]:
    rows = list(events.order_by(*_ORDER).values_list(*_ORDER, *_EVENT_FIELDS))
    return list(zip([row[:3] for row in rows], _changes(row[3:] for row in rows), strict=True))


def team_names_over_time(name: str, renames: list[Change] | None = None) -> set[str]:
    """Every name the team has had (renames recorded in the history), its current one included."""
    names = {name}
    pairs = [(e.old, e.new) for e in (_renames() if renames is None else renames)]
    grew = True
    while grew:
        grew = False
        for old, new in pairs:
            for a, b in ((old, new), (new, old)):
                if a in names and b and b not in names:
                    names.add(b)
                    grew = True
    return names


def history_for_team(name: str) -> list[Change]:
    """Everything recorded about one team under any of its names: its own changes, its roles, and
    people moving in or out; each change with its source.

    The first import's entries about it (it was there, with its people and roles) are worked out
    when it recorded none: one more query to know, four more for the entries."""
    renames_in_order = _renames_in_order()
    renames = [change for _, change in renames_in_order]
    events = _with_sources(_team_events(sorted(team_names_over_time(name, renames))))
    if any(e.kind == "team-created" for e in events):
        return events  # created after the records began
    base = _baseline()
    if base is None:
        return events
    team = Team.objects.filter(name=name).values_list("department", flat=True).first()
    if team is None:
        return events
    then = team_at_start(name, renames)
    departments = [e for e in events if e.kind == "department-changed" and e.person_id is None]
    department = departments[0].old if departments else (team or None)
    # Who was in it: those in it now and those who moved out since, each as they were then.
    moved_out = {e.person_id for e in events if e.kind == "team-changed" and e.person_id}
    # Each term answered by an index: the team's id (not its name, which would read every person
    # to join their team), and the people's ids.
    candidates = list(Person.objects.filter(Q(team__in=Team.objects.filter(name=name).values("id"))
                                            | Q(external_id__in=sorted(moved_out)))
                      .order_by("id").values_list("external_id", "name", "team__name"))
    # The candidates' own events, by the index of people's ids, with the renames read above, in the
    # history's order: asked together in one query, the renames made the database read every event.
    own_events = _in_order(HistoryEvent.objects.filter(
        person_id_ext__in=[c[0] for c in candidates], kind__in=("joined", "name-changed", "team-changed")))
    later = list(enumerate(change for _, change in sorted(own_events + renames_in_order, key=lambda kc: kc[0])))
    own: dict[str, list[tuple[int, Change]]] = {}
    for i, e in later:
        if e.person_id:
            own.setdefault(e.person_id, []).append((i, e))
    shared = [(i, e) for i, e in later if e.kind == "team-renamed"]
    members: list[tuple[str, str, str | None]] = []
    for pid, person_name, current in candidates:
        start = person_at_start(pid, person_name, current, [e for _, e in sorted(own.get(pid, []) + shared)])
        if start is not None and start[1] == then:
            members.append((pid, *start))
    roles = [(held, then) for held in _held_roles(team__name=name) if not started_later(held, events)]
    return baseline_entries(base.begins, base.source, team=(then, department), members=members,
                            roles=roles) + events


def team_events(name: str) -> QuerySet[HistoryEvent]:
    """The events of ``history_for_team``, oldest first, under every name the team has had."""
    return _team_events(sorted(team_names_over_time(name)))


def _team_events(names: list[str]) -> QuerySet[HistoryEvent]:
    # Three terms, each answered by its own index (HistoryEvent's indexes): the team's own events,
    # and moves out of it and into it. Written as one flat OR, the database combines the three
    # lookups instead of reading every event.
    moved_out, moved_in = Q(kind="team-changed", old__in=names), Q(kind="team-changed", new__in=names)
    return HistoryEvent.objects.filter(Q(team_name__in=names) | moved_out | moved_in).order_by("effective", "seq", "id")
