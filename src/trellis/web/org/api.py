"""The organisation in the JSON API: people, teams, roles, history, import and export.

Same reads as the pages (``queries``), same rules as the command line (``services``), same
access: everyone signed in reads; HR and admin import and export; a preferred track is
``null`` unless the caller may see it.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from trellis.access import Right
from trellis.ladder.model import Ladder
from trellis.lib.problems import InputError, Problem
from trellis.org.edit import PersonEdit, TeamEdit
from trellis.org.model import PEOPLE_MANAGER, TECH_LEAD, Change
from trellis.org.plan import ImportPlan
from trellis.web.accounts.roles import is_hr_or_admin
from trellis.web.ladders.services import active_ladder
from trellis.web.org import queries, services
from trellis.web.org.access import Viewer
from trellis.web.org.models import DottedLine, Person, RoleAssignment, Team
from trellis.web.org.upload import csv_download, parse_options, too_large

router = Router(tags=["organisation"])
M = TypeVar("M", bound=Model)

MAX_LIMIT = 1000


class RoleOut(Schema):
    person_id: str
    person_name: str
    team: str
    role: str  # tech_lead or people_manager
    start: date | None
    end: date | None  # exclusive; null while held


class PersonOut(Schema):
    id: str
    name: str
    email: str
    level: str
    level_title: str
    track: str  # technical, management, other; "" when the active ladder does not know the level
    preferred_track: str | None  # null unless the caller is the person, a direct manager, HR or admin
    manager_id: str | None
    dotted_manager_ids: list[str]
    team: str | None
    active: bool
    reports_outside: bool  # the manager is outside the organisation (manager_id is then null)


class PersonList(Schema):
    count: int
    limit: int
    offset: int
    items: list[PersonOut]


class PersonDetail(PersonOut):
    roles: list[RoleOut]
    direct_report_ids: list[str]
    dotted_report_ids: list[str]


class MemberOut(Schema):
    id: str
    name: str
    level: str
    level_title: str
    track: str


class TeamOut(Schema):
    id: int
    name: str
    department: str
    people_managers: list[RoleOut]
    tech_leads: list[RoleOut]
    member_count: int


class TeamDetail(TeamOut):
    members: list[MemberOut]


class ChangeOut(Schema):
    kind: str
    effective: date
    person_id: str | None
    team: str | None
    old: str | None
    new: str | None
    source: str | None  # which import (file, who, when) or which edit (who, when, why)


class PersonPatch(Schema):
    """What to change; a field left out stays as it is. ``manager_id``/``team``: "" clears it."""

    reason: str
    as_of: date | None = None  # today (default) or a past day; never the future
    dry_run: bool = False
    level: str | None = None
    manager_id: str | None = None
    dotted_manager_ids: list[str] | None = None
    team: str | None = None
    add_roles: list[str] = []  # ROLE@TEAM
    remove_roles: list[str] = []
    preferred_track: str | None = None
    leave: bool = False
    rejoin: bool = False


class TeamPatch(Schema):
    reason: str
    as_of: date | None = None
    dry_run: bool = False
    name: str | None = None
    department: str | None = None  # "" clears it


class FindingOut(Schema):
    code: str
    severity: str
    team: str | None
    person: str | None
    message: str


class EditOut(Schema):
    applied: bool
    dry_run: bool
    edit_id: int | None
    changes: list[ChangeOut]
    pending: list[dict[str, str]]  # values that stay pending until an imported file agrees
    findings_appear: list[FindingOut]  # org-health findings the edit brings
    findings_go: list[FindingOut]  # and those it clears


class ProblemOut(Schema):
    source: str
    line: int | None
    column: str | None
    message: str
    severity: str


class ProblemsOut(Schema):
    detail: str
    problems: list[ProblemOut]


class ImportOut(Schema):
    dry_run: bool
    applied: bool
    counts: dict[str, int]
    first_of_kind: dict[str, str]
    leaving: int
    left_share: float
    summary: list[str]
    conflicts: list[dict[str, str]]  # with prefer: the conflicts and which side won


def _role(r: RoleAssignment) -> RoleOut:
    return RoleOut(person_id=r.person.external_id, person_name=r.person.name, team=r.team.name, role=r.role,
                   start=r.start, end=r.end)


def _person(p: Person, ladder: Ladder, visible: bool, dotted_managers: list[Person]) -> dict[str, object]:
    """``visible``: whether the caller may see the person's preferred track (``Viewer.permitted``)."""
    level = queries.level_info(ladder, p.level)
    return {
        "id": p.external_id, "name": p.name, "email": p.email, "level": p.level, "level_title": level.title,
        "track": level.kind, "preferred_track": p.preferred_track if visible else None,
        "manager_id": p.manager.external_id if p.manager else None,
        "dotted_manager_ids": sorted(m.external_id for m in dotted_managers),
        "team": p.team.name if p.team else None, "active": p.active, "reports_outside": p.reports_outside,
    }


def _member(p: Person, ladder: Ladder) -> MemberOut:
    level = queries.level_info(ladder, p.level)
    return MemberOut(id=p.external_id, name=p.name, level=p.level, level_title=level.title, track=level.kind)


def _problems(detail: str, problems: list[Problem]) -> ProblemsOut:
    return ProblemsOut(detail=detail, problems=[
        ProblemOut(source=p.source, line=p.line, column=p.column, message=p.message, severity=p.severity)
        for p in problems])


def _changes(changes: list[Change]) -> list[ChangeOut]:
    return [ChangeOut(kind=c.kind, effective=c.effective, person_id=c.person_id, team=c.team, old=c.old, new=c.new,
                      source=c.source) for c in changes]


def _where(found: QuerySet[M], **lookups: str | None) -> QuerySet[M]:
    """``found`` narrowed by the filters the caller gave (those not None)."""
    given = {k: v for k, v in lookups.items() if v is not None}
    return found.filter(**given) if given else found


def _require_hr_or_admin(request: HttpRequest) -> None:
    if not is_hr_or_admin(request.user):
        raise HttpError(403, "Only HR and admin may import or export the organisation.")


@router.get("/people", response=PersonList, summary="People, filtered and paged")
def people(request: HttpRequest, q: str = "", team: str | None = None, level: str | None = None,
           manager_id: str | None = None, status: Literal["active", "left", "all"] = "active", limit: int = 100,
           offset: int = 0) -> dict[str, object]:
    """``q`` matches part of a name, or an id or email exactly; ``status``: active (default), left or all."""
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    found = _where(queries.search_people(q), team__name=team, level=level, manager__external_id=manager_id)
    if status != "all":
        found = found.filter(active=status == "active")
    page = list(found.select_related("manager", "team").prefetch_related(
        Prefetch("dotted_lines", queryset=DottedLine.objects.select_related("manager")))[offset:offset + limit])
    ladder = active_ladder()
    visible = Viewer.of(request.user).permitted(Right.SEE_PREFERRED_TRACK, [p.external_id for p in page])
    return {"count": found.count(), "limit": limit, "offset": offset,
            "items": [_person(p, ladder, p.external_id in visible, [d.manager for d in p.dotted_lines.all()])
                      for p in page]}


@router.get("/people/{path:external_id}/history", response=list[ChangeOut], summary="What changed for one person")
def person_history(request: HttpRequest, external_id: str) -> list[ChangeOut]:
    view = queries.person_view(external_id, active_ladder(), Viewer.of(request.user))
    # The view's history already leaves out what this viewer may not see; it is newest first.
    return _changes([entry.change for entry in reversed(view.history)])


@router.get("/people/{path:external_id}", response=PersonDetail, summary="One person with roles and reports")
def person(request: HttpRequest, external_id: str) -> dict[str, object]:
    """``roles`` lists every role the person ever held, with start and end (null while held)."""
    ladder, viewer = active_ladder(), Viewer.of(request.user)
    view = queries.person_view(external_id, ladder, viewer, history=False)
    roles = list(RoleAssignment.objects.filter(person=view.person).select_related("person", "team")
                 .order_by("team__name", "role", "start"))
    return {**_person(view.person, ladder, view.shows_preferred_track, view.dotted_managers),
            "roles": [_role(r) for r in roles],
            "direct_report_ids": [p.external_id for p in view.direct_reports],
            "dotted_report_ids": [p.external_id for p in view.dotted_reports]}


def _team(team: Team, roles: list[RoleAssignment], member_count: int) -> dict[str, object]:
    return {"id": team.pk, "name": team.name, "department": team.department, "member_count": member_count,
            "people_managers": [_role(r) for r in roles if r.role == PEOPLE_MANAGER],
            "tech_leads": [_role(r) for r in roles if r.role == TECH_LEAD]}


@router.get("/teams", response=list[TeamOut], summary="Teams with their pairs")
def teams(request: HttpRequest, q: str = "") -> list[dict[str, object]]:
    found = queries.teams_with_pairs(q, role_order=("start", "person__name"), role_team=True)
    return [_team(t, t.current_roles, t.member_count) for t in found]


@router.get("/teams/{path:key}/history", response=list[ChangeOut], summary="What changed for one team")
def team_history(request: HttpRequest, key: str) -> list[ChangeOut]:
    changes = services.history_for_team(queries.find_team(key).name)
    return _changes([c for c in changes if c.kind != "preferred-track-changed"])


@router.get("/teams/{path:key}", response=TeamDetail, summary="One team (by name or number) with its pair and members")
def team(request: HttpRequest, key: str) -> dict[str, object]:
    ladder = active_ladder()
    view = queries.team_view(key, ladder, history=False)
    for r in view.managers + view.tech_leads:
        r.team = view.team  # already known: no query per role
    return {**_team(view.team, view.managers + view.tech_leads, len(view.members)),
            "members": [_member(p, ladder) for p in view.members]}


@router.get("/roles", response=list[RoleOut], summary="Role assignments, held now or all")
def roles(request: HttpRequest, team: str | None = None, person_id: str | None = None, role: str | None = None,
          current: bool = True) -> list[RoleOut]:
    found = RoleAssignment.objects.select_related("person", "team").order_by("team__name", "role", "start")
    if current:
        found = found.filter(queries.held_on(queries.today()), person__active=True)
    return [_role(r) for r in _where(found, team__name=team, person__external_id=person_id, role=role)]


@router.post("/import", response={200: ImportOut, 400: ProblemsOut, 403: ProblemsOut, 409: ProblemsOut,
                                   413: ProblemsOut},
             summary="Import an organisation CSV (HR and admin); dry_run previews without writing")
def import_csv(request: HttpRequest, file: UploadedFile = File(...), dry_run: bool = Form(True),
               as_of: str | None = Form(None), mapping: str | None = Form(None),
               allow_mass_leave: bool = Form(False), level_map: UploadedFile | None = File(None),
               where: str | None = Form(None), outside_managers: str | None = Form(None),
               encoding: str | None = Form(None), date_format: str | None = Form(None),
               prefer: Literal["file", "trellis"] | None = Form(None)) -> tuple[int, ImportOut | ProblemsOut]:
    """The file's problems come back as a list, each with its line, column and what to do (status 400).

    ``dry_run`` defaults to true: send ``dry_run=false`` to write. An import that would mark more
    of the organisation as left than the policy's share (``TRELLIS_MASS_LEAVE_SHARE``, 10% unless
    set) answers 409 unless ``allow_mass_leave=true``. For an HR system's export: ``level_map`` (a
    CSV file ``value,level``), ``where`` (filters ``COLUMN=VALUE|VALUE``, one per line) and
    ``outside_managers`` (``error`` or ``top``), ``encoding`` (when not UTF-8, e.g. ``cp1252``) and
    ``date_format`` (when not YYYY-MM-DD, e.g. ``%d/%m/%Y``), as in docs/org-csv.md. A file larger than
    ``TRELLIS_MAX_UPLOAD_MB`` answers 413, and an import while another runs 409. A file that
    differs from edits made in Trellis and not yet confirmed answers 409 with one problem per
    conflict (``conflicts`` too), unless ``prefer`` is ``file`` (the file wins; the edits are
    reverted) or ``trellis`` (the edits win and stay pending). Where the file would revert what an
    approved proposal applied, ``detail`` names the proposal ("proposal 12, approved by hannah,
    applied on 2026-03-01"), and so does the conflict's problem.
    """
    _require_hr_or_admin(request)
    oversize = too_large(request, file.size)
    if oversize is not None:
        return 413, _problems("The file is too large: nothing was imported.", [oversize])
    source = file.name or "upload.csv"
    try:
        options = parse_options(as_of, mapping, where=where, outside_managers=outside_managers,
                                level_map=level_map.read() if level_map else None,
                                level_map_name=(level_map.name if level_map else None) or "level_map",
                                encoding=encoding, date_format=date_format)
        data = file.read()
        if dry_run:
            plan = services.preview_import(data, source, as_of=options.as_of, options=options.reading,
                                           prefer=prefer)
        else:
            plan = services.apply_import(data, source, as_of=options.as_of, options=options.reading,
                                         allow_mass_leave=allow_mass_leave, user=request.user, prefer=prefer)
    except services.RevertsAppliedProposal as exc:
        return 409, _problems(f"The file would revert {'; '.join(exc.proposals)}: nothing was imported. Send "
                              "prefer=trellis to keep the decision (the HR system has not caught up) or prefer=file "
                              "to take the file.", exc.problems)
    except services.ImportConflicts as exc:
        # One problem per conflicting value (its column the field), then what to do.
        return 409, _problems("The file differs from edits made in Trellis: nothing was imported. Send "
                              "prefer=file or prefer=trellis.", exc.problems)
    except services.MassLeaveRefused as exc:
        return 409, _problems("Too many people would be marked as left: nothing was imported.", exc.problems)
    except services.ImportRunning as exc:
        return 409, _problems("Another import is running: nothing was imported.", exc.problems)
    except InputError as exc:
        return 400, _problems("The file has problems: nothing was imported.", exc.problems)
    return 200, _import_out(plan, dry_run)


def _import_out(plan: ImportPlan, dry_run: bool) -> ImportOut:
    return ImportOut(dry_run=dry_run, applied=not dry_run and not plan.is_empty, counts=plan.counts,
                     first_of_kind={k: c.describe() for k, c in plan.first_of_kind.items()},
                     leaving=plan.leaving, left_share=plan.left_share, summary=plan.summary_lines(),
                     conflicts=[c.to_dict() for c in plan.conflicts])


@router.get("/export.csv", response={200: str, 403: ProblemsOut},
            summary="The organisation as CSV in the import format (HR and admin)")
def export_csv(request: HttpRequest) -> HttpResponse:
    _require_hr_or_admin(request)
    return csv_download()


def _roles(values: list[str], field: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        role, mark, team = value.partition("@")
        if not mark:
            raise InputError([Problem("request", None, f"'{value}' is not ROLE@TEAM", column=field)])
        pairs.append((role.strip().lower(), team.strip()))
    return tuple(pairs)


def _edit_out(request: HttpRequest, outcome: services.EditOutcome, dry_run: bool) -> EditOut:
    from trellis.web.health.visibility import Visibility

    visibility = Visibility(request.user)
    health = outcome.health

    def shown(findings: list[object]) -> list[FindingOut]:
        return [FindingOut(code=f.code, severity=f.severity, team=f.team, person=f.person, message=f.message)
                for f in visibility.findings(findings)]  # type: ignore[arg-type]

    return EditOut(applied=outcome.applied, dry_run=dry_run, edit_id=outcome.edit_id,
                   changes=_changes(outcome.plan.changes),
                   pending=[{"subject": p.subject, "field": p.field, "value": p.value} for p in outcome.plan.pending],
                   findings_appear=shown(health.appeared) if health else [],
                   findings_go=shown(health.disappeared) if health else [])


@router.patch("/people/{path:external_id}", response={200: EditOut, 400: ProblemsOut, 403: ProblemsOut},
              summary="Change one person (HR and admin; a person their own preferred track)")
def patch_person(request: HttpRequest, external_id: str, body: PersonPatch) -> tuple[int, EditOut | ProblemsOut]:
    """Checked by the import's rules, all or nothing; every bad field is listed (400). ``dry_run``
    shows the changes and the org-health findings they would bring or clear, writing nothing."""
    try:
        edit = PersonEdit(external_id, level=body.level, manager_id=body.manager_id,
                          dotted_manager_ids=None if body.dotted_manager_ids is None
                          else tuple(body.dotted_manager_ids), team=body.team,
                          add_roles=_roles(body.add_roles, "add_roles"),
                          remove_roles=_roles(body.remove_roles, "remove_roles"),
                          preferred_track=body.preferred_track, leave=body.leave, rejoin=body.rejoin)
        outcome = services.edit_person(edit, viewer=Viewer.of(request.user), user=request.user, reason=body.reason,
                                       as_of=body.as_of, dry_run=body.dry_run)
    except PermissionDenied as exc:
        return 403, _problems("You may not make this change: nothing was changed.",
                              [Problem("request", None, str(exc))])
    except InputError as exc:
        return 400, _problems("The change has problems: nothing was changed.", exc.problems)
    return 200, _edit_out(request, outcome, body.dry_run)


@router.patch("/teams/{path:key}", response={200: EditOut, 400: ProblemsOut, 403: ProblemsOut},
              summary="Rename a team or change its department (HR and admin)")
def patch_team(request: HttpRequest, key: str, body: TeamPatch) -> tuple[int, EditOut | ProblemsOut]:
    team_name = queries.find_team(key).name
    try:
        outcome = services.edit_team(TeamEdit(team_name, name=body.name, department=body.department),
                                     viewer=Viewer.of(request.user), user=request.user, reason=body.reason,
                                     as_of=body.as_of, dry_run=body.dry_run)
    except PermissionDenied as exc:
        return 403, _problems("You may not make this change: nothing was changed.",
                              [Problem("request", None, str(exc))])
    except InputError as exc:
        return 400, _problems("The change has problems: nothing was changed.", exc.problems)
    return 200, _edit_out(request, outcome, body.dry_run)
