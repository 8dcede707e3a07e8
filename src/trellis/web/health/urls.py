from django.urls import path

from trellis.web.health import pickers, scenario_views, views

urlpatterns = [
    path("", views.dashboard, name="health"),
    path("timeline/", views.timeline, name="health-timeline"),
    path("findings/", views.own_findings, name="health-findings"),
    path("what-if/", views.what_if, name="health-what-if"),
    path("acknowledge/", views.acknowledge, name="health-acknowledge"),
    path("acknowledgements/<int:ack_id>/withdraw/", views.withdraw, name="health-withdraw"),
    path("what-if/options/", pickers.options, name="health-what-if-options"),
    path("scenarios/", scenario_views.scenario_list, name="health-scenarios"),
    path("scenarios/new/", scenario_views.scenario_new, name="health-scenario-new"),
    path("scenarios/compare/", scenario_views.scenario_compare, name="health-scenarios-compare"),
    path("scenarios/<int:number>/", scenario_views.scenario_page, name="health-scenario"),
    path("scenarios/<int:number>/edit/", scenario_views.scenario_edit, name="health-scenario-edit"),
    path("scenarios/<int:number>/delete/", scenario_views.scenario_delete, name="health-scenario-delete"),
]
