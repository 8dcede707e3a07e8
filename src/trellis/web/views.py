from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from trellis.web import attention
from trellis.web.ladders import services
from trellis.web.org.access import Viewer
from trellis.web.org.models import Person, Team


def home(request: HttpRequest) -> HttpResponse:
    """Numbers first (what needs the viewer's attention), then where to go."""
    ladder = services.active_ladder()
    user_id = request.user.pk if request.user.is_authenticated else None
    me = Person.objects.filter(user_id=user_id, active=True).first() if user_id is not None else None
    return render(request, "trellis/home.html", {
        "ladder": ladder, "me": me,
        "attention": attention.for_viewer(request.user, me, privileged=Viewer.of(request.user).privileged),
        "people": Person.objects.filter(active=True).count(), "teams": Team.objects.count(),
    })
