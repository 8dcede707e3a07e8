from django.urls import path

from trellis.web.org import views

urlpatterns = [
    path("chart/", views.chart_page, name="org-chart"),
    path("chart/<str:external_id>/children/", views.chart_children, name="org-chart-children"),
    path("teams/", views.teams_page, name="org-teams"),
    path("teams/<path:key>/", views.team_page, name="org-team"),
    path("people/", views.people_page, name="org-people"),
    path("suggest/", views.suggest, name="org-suggest"),
    path("people/<str:external_id>/", views.person_page, name="org-person"),
]
