from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trellis.ladder.grid import grade_rows
from trellis.ladder.load import load_default
from trellis.web.accounts.roles import is_admin
from trellis.web.ladders import services
from trellis.web.ladders.models import LadderVersion
from trellis.web.org.models import Person


def ladder_page(request: HttpRequest) -> HttpResponse:
    version: LadderVersion | None
    number = request.GET.get("version")
    if number:
        if not number.isdigit():
            raise Http404("no such ladder version")
        version = LadderVersion.objects.filter(number=int(number)).first()
        if version is None:
            raise Http404("no such ladder version")
        ladder = services.ladder_of(version)
    else:
        version = services.active_version()
        ladder = services.ladder_of(version) if version else load_default().ladder
    tracks, rows = grade_rows(ladder)
    step_names = {s.id: s.name for s in ladder.scale}
    matrices = []
    for track in tracks:
        levels = ladder.track_levels(track.id)
        matrix = [
            (comp, [(level.expectations[comp.id], step_names[level.expectations[comp.id].step],
                     ladder.step_rank[level.expectations[comp.id].step],
                     comp.id in level.must_have, level.weights.get(comp.id)) for level in levels])
            for comp in ladder.competencies
        ]
        matrices.append((track, levels, matrix))
    return render(request, "ladders/ladder.html", {
        "ladder": ladder, "version": version, "tracks": tracks, "rows": rows,
        "matrices": matrices, "scale": ladder.scale,
        "archetypes": {a.id: a for a in ladder.archetypes},
        "competency_names": {c.id: c.name for c in ladder.competencies},
        "archetype_names": {a.id: a.name for a in ladder.archetypes},
        "holders": people_per_level(),
    })


def people_per_level() -> dict[str, int]:
    """How many people (who have not left) hold each level, by level id."""
    return dict(Person.objects.filter(active=True).values_list("level").annotate(n=Count("id")).order_by())


def versions_page(request: HttpRequest) -> HttpResponse:
    versions = LadderVersion.objects.select_related("loaded_by").all()
    return render(request, "ladders/versions.html", {"versions": versions})


@require_POST
def activate(request: HttpRequest, number: int) -> HttpResponse:
    if not is_admin(request.user):
        raise PermissionDenied("only an admin may change the active ladder")
    if not LadderVersion.objects.filter(number=number).exists():
        raise Http404("no such ladder version")
    services.activate_version(number)
    messages.success(request, f"Ladder version {number} is now active.")
    return redirect("ladder-versions")
