from django.urls import path

from trellis.web.health import views

urlpatterns = [
    path("", views.dashboard, name="health"),
    path("timeline/", views.timeline, name="health-timeline"),
    path("findings/", views.own_findings, name="health-findings"),
    path("what-if/", views.what_if, name="health-what-if"),
    path("acknowledge/", views.acknowledge, name="health-acknowledge"),
    path("acknowledgements/<int:ack_id>/withdraw/", views.withdraw, name="health-withdraw"),
]
