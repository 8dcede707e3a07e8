"""Import and export of the organisation on the web, for HR and admin.

An import is two steps: upload (the file is checked and the changes are previewed, nothing
is written) and confirm (the very same bytes are imported). The rules are those of the
command line: ``services.preview_import`` and ``services.apply_import``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trellis.lib.problems import InputError, Problem, gather
from trellis.org.csvio import (
    LevelRule,
    ReadOptions,
    decode,
    parse_date_format,
    parse_encoding,
    parse_mapping,
    parse_outside_managers,
    parse_where,
    read_level_map,
)
from trellis.org.pending import reverted_proposals
from trellis.org.plan import KIND_WORDS, ImportPlan, future_import_date, percent
from trellis.web.accounts.roles import is_hr_or_admin
from trellis.web.ladders.services import active_ladder
from trellis.web.org import pending, services
from trellis.web.org.queries import today

SESSION_KEY = "trellis_org_import"


@dataclass(frozen=True)
class ImportOptions:
    as_of: date
    reading: ReadOptions
    form: dict[str, str]  # the choices as typed, kept with a waiting upload to read it the same way again

    @property
    def mapping(self) -> dict[str, str | None] | None:
        return self.reading.mapping


def parse_options(as_of: str | None, mapping: str | None, *, where: str | None = None,
                  outside_managers: str | None = None, level_map: str | bytes | None = None,
                  level_map_name: str = "level map", encoding: str | None = None,
                  date_format: str | None = None) -> ImportOptions:
    """The choices typed into the form or sent to the API; every problem at once.

    ``where``: one filter per line (``Division=Engineering|Platform``); ``level_map``: the text of
    a level map file (``value,level``)."""
    problems: list[Problem] = []
    day = today()
    if as_of and as_of.strip():
        try:
            day = date.fromisoformat(as_of.strip())
        except ValueError:
            problems.append(Problem("as_of", None, f"'{as_of}' is not a date: write it as YYYY-MM-DD"))
        future = future_import_date(day, today(), "as_of")
        if future is not None:
            problems.append(future)
    rules: tuple[LevelRule, ...] = ()
    level_text = ""
    parsed = gather(problems, lambda: parse_mapping(mapping, "mapping"), None) if mapping and mapping.strip() else None
    no_filters: tuple[tuple[str, frozenset[str]], ...] = ()
    filters = gather(problems, lambda: parse_where([line for line in (where or "").splitlines() if line.strip()],
                                                   "where"), no_filters)
    outside = gather(problems, lambda: parse_outside_managers(outside_managers or None, "outside_managers"), "error")
    chosen_encoding = gather(problems, lambda: parse_encoding(encoding, "encoding"), None)
    chosen_date_format = gather(problems, lambda: parse_date_format(date_format, "date_format"), None)
    if level_map:
        try:
            level_text = decode(level_map, level_map_name)
            rules = read_level_map(level_text, level_map_name, active_ladder())
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    form = {"as_of": day.isoformat(), "mapping": (mapping or "").strip(), "where": (where or "").strip(),
            "outside_managers": outside, "level_map": level_text, "level_map_name": level_map_name,
            "encoding": chosen_encoding or "", "date_format": chosen_date_format or ""}
    return ImportOptions(day, ReadOptions(mapping=parsed, level_map=rules, where=filters, outside_managers=outside,
                                          encoding=chosen_encoding, date_format=chosen_date_format), form)


def form_options(form: dict[str, str]) -> ImportOptions:
    """The options of a waiting upload, read again from what was typed."""
    return parse_options(form.get("as_of"), form.get("mapping"), where=form.get("where"),
                         outside_managers=form.get("outside_managers"), level_map=form.get("level_map") or None,
                         encoding=form.get("encoding"), date_format=form.get("date_format"),
                         level_map_name=form.get("level_map_name") or "level map")


def too_large(request: HttpRequest, size: int | None = None, what: str = "file") -> Problem | None:
    """A problem when the upload is larger than an organisation file may be (``TRELLIS_MAX_UPLOAD_MB``):
    judged from the request's declared length before anything is read, and from the file's ``size``."""
    limit = float(settings.TRELLIS_MAX_UPLOAD_MB)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    # The form's other fields (a level map, the filters) fit in the slack.
    if size is None and length > limit * 1_000_000 + 100_000:
        size = length
    if size is None or size <= limit * 1_000_000:
        return None
    return Problem(what, None, f"the upload is {size / 1_000_000:,.3g} MB, more than the {limit:g} MB this server "
                               "accepts (TRELLIS_MAX_UPLOAD_MB): remove the columns you do not import, or import it "
                               "with the command line")


def preview_rows(plan: ImportPlan) -> list[tuple[str, int, str]]:
    """Per kind of change: the words for it, how many, and the first one as an example."""
    return [(KIND_WORDS.get(kind, kind), n, plan.first_of_kind[kind].describe()) for kind, n in plan.counts.items()]


def require_hr_or_admin(request: HttpRequest) -> None:
    if not is_hr_or_admin(request.user):
        raise PermissionDenied("only HR and admin may import or export the organisation")


def _problems_page(request: HttpRequest, problems: list[Problem], status: int = 400,
                   extra: dict[str, Any] | None = None) -> HttpResponse:
    context = {"problems": problems, "today": today(), **(extra or {})}
    return render(request, "org/import.html", context, status=status)


def _preview_page(request: HttpRequest, plan: ImportPlan, pending_import: dict[str, str],
                  status: int = 200, refused: InputError | None = None) -> HttpResponse:
    return render(request, "org/import.html", {
        "plan": plan, "rows": preview_rows(plan), "pending": pending_import, "today": today(),
        "mass_leave": services.mass_leave_refusal(plan, None, pending_import["source"]) is not None,
        "share_limit": percent(services.mass_leave_share()),
        "refused": refused, "conflicts": plan.conflicts, "reverted_proposals": reverted_proposals(plan.conflicts or []),
    }, status=status)



def _preview(data: bytes, source: str, options: ImportOptions) -> ImportPlan:
    """The plan to show: where the file differs from edits made in Trellis, the counts keep the
    edits and the plan lists the conflicts, so the confirm form asks which side wins."""
    try:
        return services.preview_import(data, source, as_of=options.as_of, options=options.reading)
    except services.ImportConflicts:
        return services.preview_import(data, source, as_of=options.as_of, options=options.reading,
                                       prefer=services.PREFER_TRELLIS)


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    require_hr_or_admin(request)
    if request.method == "GET":
        return render(request, "org/import.html", {"today": today()})
    oversize = too_large(request)
    if oversize is not None:
        return _problems_page(request, [oversize], status=413)
    upload = request.FILES.get("file")
    level_map = request.FILES.get("level_map")
    oversize = too_large(request, upload.size) if upload is not None else None
    if oversize is not None:
        return _problems_page(request, [oversize], status=413)
    problems: list[Problem] = []
    if upload is None:
        problems.append(Problem("file", None, "choose a CSV file to import"))
    try:
        options = parse_options(request.POST.get("as_of"), request.POST.get("mapping"),
                                where=request.POST.get("where"), outside_managers=request.POST.get("outside_managers"),
                                level_map=level_map.read() if level_map else None,
                                level_map_name=(level_map.name if level_map else None) or "level map",
                                encoding=request.POST.get("encoding"), date_format=request.POST.get("date_format"))
    except InputError as exc:
        problems.extend(exc.problems)
    if problems or upload is None:
        return _problems_page(request, problems, extra={"form": request.POST})
    data, source = upload.read(), upload.name or "upload.csv"
    try:
        plan = _preview(data, source, options)
    except InputError as exc:
        return _problems_page(request, exc.problems, extra={"form": request.POST, "source": source})
    token = pending.keep(request.user, data, source, options.form)
    pending_import = {"token": token, "source": source, "as_of": options.as_of.isoformat()}
    request.session[SESSION_KEY] = pending_import
    return _preview_page(request, plan, pending_import)


@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    require_hr_or_admin(request)
    token = request.POST.get("token", "")
    waiting = pending.fetch(request.user, token)
    if waiting is None:
        return _problems_page(request, [Problem("file", None, "this upload is no longer waiting to be imported: "
                                                              "choose the file again")])
    options = form_options(waiting.options)
    pending_import = {"token": token, "source": waiting.source, "as_of": options.as_of.isoformat()}
    prefer = request.POST.get("prefer") if request.POST.get("prefer") in (services.PREFER_FILE,
                                                                          services.PREFER_TRELLIS) else None
    try:
        plan = services.apply_import(bytes(waiting.data), waiting.source, as_of=options.as_of, options=options.reading,
                                     allow_mass_leave=request.POST.get("allow_mass_leave") == "on",
                                     user=request.user, prefer=prefer)
    except services.ImportConflicts as exc:
        shown = _preview(bytes(waiting.data), waiting.source, options)
        return _preview_page(request, shown, pending_import, status=409, refused=exc)
    except services.MassLeaveRefused as exc:
        return _preview_page(request, exc.plan, pending_import, status=409, refused=exc)
    except services.ImportRunning as exc:
        return _problems_page(request, exc.problems, status=409)
    except InputError as exc:
        return _problems_page(request, exc.problems)
    pending.drop(token)
    request.session.pop(SESSION_KEY, None)
    if plan.is_empty:
        messages.success(request, f"{waiting.source}: nothing to change, the organisation already "
                                  "matches the file.")
    else:
        counts = ", ".join(f"{n} {words}" for words, n, _ in preview_rows(plan))
        messages.success(request, f"Imported {waiting.source} as of {options.as_of.isoformat()}: {counts}.")
    return redirect("org-import")


def export_csv(request: HttpRequest) -> HttpResponse:
    require_hr_or_admin(request)
    return csv_download()


def csv_download() -> HttpResponse:
    """The organisation today as a CSV attachment; the caller has checked the user may export."""
    response = HttpResponse(services.export_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="organisation-{today().isoformat()}.csv"'
    return response
