from django.urls import path

from trellis.web.org import upload, views

urlpatterns = [
    path("chart/", views.chart_page, name="org-chart"),
    path("chart/<path:external_id>/children/", views.chart_children, name="org-chart-children"),
    path("teams/", views.teams_page, name="org-teams"),
    path("teams/<path:key>/", views.team_page, name="org-team"),
    path("people/", views.people_page, name="org-people"),
    path("import/", upload.import_page, name="org-import"),
    path("import/confirm/", upload.import_confirm, name="org-import-confirm"),
    path("export.csv", upload.export_csv, name="org-export"),
    path("suggest/", views.suggest, name="org-suggest"),
    path("people/<path:external_id>/", views.person_page, name="org-person"),
]
