from django.urls import path

from trellis.web.org import chart_views, upload, views

urlpatterns = [
    path("chart/", chart_views.chart_page, name="org-chart"),
    path("chart/list/", views.list_page, name="org-chart-list"),
    path("chart/boxes/<path:external_id>/", chart_views.chart_boxes, name="org-chart-boxes"),
    path("chart/path/<path:external_id>/", chart_views.chart_path, name="org-chart-path"),
    path("chart/find/", chart_views.chart_find, name="org-chart-find"),
    path("chart/findings/", chart_views.chart_findings, name="org-chart-findings"),
    path("chart/<path:external_id>/children/", views.chart_children, name="org-chart-children"),
    path("teams/", views.teams_page, name="org-teams"),
    path("teams/<path:key>/", views.team_page, name="org-team"),
    path("people/", views.people_page, name="org-people"),
    path("people/export.csv", views.people_export, name="org-people-export"),
    path("import/", upload.import_page, name="org-import"),
    path("import/confirm/", upload.import_confirm, name="org-import-confirm"),
    path("export.csv", upload.export_csv, name="org-export"),
    path("suggest/", views.suggest, name="org-suggest"),
    path("people/<path:external_id>/", views.person_page, name="org-person"),
]
