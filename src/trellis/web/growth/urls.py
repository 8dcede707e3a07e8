from django.urls import path

from trellis.web.growth import views

urlpatterns = [
    path("people/<str:external_id>/", views.person_page, name="growth-person"),
    path("people/<str:external_id>/summary/", views.summary, name="growth-summary"),
    path("people/<str:external_id>/evidence/", views.evidence_page, name="growth-evidence"),
    path("people/<str:external_id>/evidence/<int:evidence_id>/delete/", views.evidence_delete,
         name="growth-evidence-delete"),
    path("evidence/import/", views.evidence_import, name="growth-evidence-import"),
]
