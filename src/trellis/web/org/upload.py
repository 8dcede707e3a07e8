"""Import and export of the organisation on the web, for HR and admin.

An import is two steps: upload (the file is checked and the changes are previewed, nothing
is written) and confirm (the very same bytes are imported). The rules are those of the
command line: ``services.preview_import`` and ``services.apply_import``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trellis.lib.problems import InputError, Problem
from trellis.org.csvio import parse_mapping
from trellis.org.plan import KIND_WORDS, ImportPlan, future_import_date, percent
from trellis.web.accounts.roles import is_hr_or_admin
from trellis.web.org import pending, services
from trellis.web.org.queries import today

SESSION_KEY = "trellis_org_import"


@dataclass(frozen=True)
class ImportOptions:
    as_of: date
    mapping: dict[str, str | None] | None
    mapping_text: str


def parse_options(as_of: str | None, mapping: str | None) -> ImportOptions:
    """The date and column mapping typed into the form or sent to the API; every problem at once."""
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
    parsed = None
    if mapping and mapping.strip():
        try:
            parsed = parse_mapping(mapping, "mapping")
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return ImportOptions(day, parsed, (mapping or "").strip())


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
        "refused": refused,
    }, status=status)


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    require_hr_or_admin(request)
    if request.method == "GET":
        return render(request, "org/import.html", {"today": today()})
    upload = request.FILES.get("file")
    problems: list[Problem] = []
    if upload is None:
        problems.append(Problem("file", None, "choose a CSV file to import"))
    try:
        options = parse_options(request.POST.get("as_of"), request.POST.get("mapping"))
    except InputError as exc:
        problems.extend(exc.problems)
    if problems or upload is None:
        return _problems_page(request, problems, extra={"form": request.POST})
    data, source = upload.read(), upload.name or "upload.csv"
    try:
        plan = services.preview_import(data, source, as_of=options.as_of, mapping=options.mapping)
    except InputError as exc:
        return _problems_page(request, exc.problems, extra={"form": request.POST, "source": source})
    token = pending.keep(data)
    pending_import = {"token": token, "source": source, "as_of": options.as_of.isoformat(),
                      "mapping": options.mapping_text}
    request.session[SESSION_KEY] = pending_import
    return _preview_page(request, plan, pending_import)


@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    require_hr_or_admin(request)
    pending_import = request.session.get(SESSION_KEY)
    token = request.POST.get("token", "")
    data = pending.fetch(token) if pending_import and pending_import.get("token") == token else None
    if pending_import is None or data is None:
        return _problems_page(request, [Problem("file", None, "this upload is no longer waiting to be imported: "
                                                              "choose the file again")])
    options = parse_options(pending_import["as_of"], pending_import["mapping"])
    try:
        plan = services.apply_import(data, pending_import["source"], as_of=options.as_of, mapping=options.mapping,
                                     allow_mass_leave=request.POST.get("allow_mass_leave") == "on",
                                     user=request.user)
    except services.MassLeaveRefused as exc:
        return _preview_page(request, exc.plan, pending_import, status=409, refused=exc)
    except InputError as exc:
        return _problems_page(request, exc.problems)
    pending.drop(token)
    del request.session[SESSION_KEY]
    if plan.is_empty:
        messages.success(request, f"{pending_import['source']}: nothing to change, the organisation already "
                                  "matches the file.")
    else:
        counts = ", ".join(f"{n} {words}" for words, n, _ in preview_rows(plan))
        messages.success(request, f"Imported {pending_import['source']} as of {options.as_of.isoformat()}: {counts}.")
    return redirect("org-import")


def export_csv(request: HttpRequest) -> HttpResponse:
    require_hr_or_admin(request)
    return csv_download()


def csv_download() -> HttpResponse:
    """The organisation today as a CSV attachment; the caller has checked the user may export."""
    response = HttpResponse(services.export_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="organisation-{today().isoformat()}.csv"'
    return response
