from django.urls import path

from trellis.web.promotions import views

urlpatterns = [
    path("", views.list_page, name="promotions"),
    path("new/", views.new_page, name="promotions-new"),
    path("reports/", views.reports_page, name="promotions-reports"),
    path("my-group/", views.group_page, name="promotions-group"),
    path("planned/<path:external_id>/", views.planned, name="promotions-planned"),
    path("<int:proposal_id>/", views.detail_page, name="promotions-detail"),
    path("<int:proposal_id>/packet/", views.packet_page, name="promotions-packet"),
    path("<int:proposal_id>/consent/", views.consent, name="promotions-consent"),
    path("<int:proposal_id>/submit/", views.submit, name="promotions-submit"),
    path("<int:proposal_id>/comment/", views.comment, name="promotions-comment"),
    path("<int:proposal_id>/decide/", views.decide, name="promotions-decide"),
    path("<int:proposal_id>/withdraw/", views.withdraw, name="promotions-withdraw"),
]
