"""What the what-if panel's pickers offer as a person types: people, managers, teams, levels, roles.

Each option carries the ``word`` to write in a change: a person by name when the name means no
one else, else by id (``OrgNames.word``, the same names the changes are read with), a team by
name, a level by id, a role by id. The page's script (``static/trellis/whatif.js``) turns the
choices into a line of the one-line syntax.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse

from trellis.org.model import ROLES
from trellis.org.names import ROLE_WORDS, fold, quote_word
from trellis.web.health import services
from trellis.web.ladders.services import active_ladder
from trellis.web.org import queries
from trellis.web.org.models import Team

LIMIT = 8
FIELDS = ("person", "manager", "team", "level", "role")
PICKERS = [  # the change builder's pickers: field, label, placeholder, whether to list the options on focus
    ("person", "Person", "name, e-mail or id", False),
    ("level", "Level", "title or id", True),
    ("role", "Role", "tech lead or people manager", True),
    ("team", "Team", "team name", False),
    ("manager", "New manager", "name, e-mail, id or none", False),
]


def options(request: HttpRequest) -> JsonResponse:
    """``?field=person|manager|team|level|role&q=TEXT``: at most eight options, best first."""
    field, q = request.GET.get("field", ""), request.GET.get("q", "").strip()
    if field not in FIELDS:
        return JsonResponse({"detail": f"field must be one of {', '.join(FIELDS)}"}, status=400)
    found: list[dict[str, Any]]
    if field in ("person", "manager"):
        found = _people(q)
        if field == "manager" and (not q or "none".startswith(q.lower()) or "no manager".startswith(q.lower())):
            found = [{"word": "none", "label": "No manager", "detail": "the person reports to no one"}, *found]
    elif field == "team":
        found = [{"word": quote_word(t.name), "label": t.name, "detail": t.department}
                 for t in Team.objects.filter(name__icontains=q).order_by("name")[:LIMIT]]
    elif field == "level":
        ladder = active_ladder()
        found = [{"word": lv.id, "label": lv.title, "detail": f"{ladder.track(lv.track).name}, {lv.id}"}
                 for lv in ladder.levels if not q or fold(q) in fold(lv.title) or fold(q) in lv.id]
    else:
        found = [{"word": role, "label": ROLE_WORDS[role].capitalize(), "detail": role} for role in ROLES
                 if not q or fold(q) in ROLE_WORDS[role] or fold(q) in role]
    return JsonResponse({"field": field, "q": q, "options": found[:LIMIT + (field == "manager")]})


def _people(q: str) -> list[dict[str, Any]]:
    if not q:
        return []
    people = queries.find_people(q, limit=LIMIT)
    names = services.simulation().names
    return [{"word": names.word(p.external_id), "label": p.name,
             "detail": " · ".join(filter(None, (p.external_id, p.team.name if p.team else "", p.email)))}
            for p in people]
