from django.urls import path

from trellis.web.growth import views

urlpatterns = [
    path("people/<str:external_id>/", views.person_page, name="growth-person"),
    path("people/<str:external_id>/summary/", views.summary, name="growth-summary"),
    path("people/<str:external_id>/evidence/", views.evidence_page, name="growth-evidence"),
    path("people/<str:external_id>/evidence/<int:evidence_id>/delete/", views.evidence_delete,
         name="growth-evidence-delete"),
    path("evidence/import/", views.evidence_import, name="growth-evidence-import"),
    path("cycles/", views.cycles_page, name="growth-cycles"),
    path("cycles/<int:cycle_id>/", views.cycle_page, name="growth-cycle"),
    path("cycles/<int:cycle_id>/people/<str:external_id>/", views.participant_page, name="growth-participant"),
    path("cycles/<int:cycle_id>/people/<str:external_id>/self/", views.self_evaluation_page, name="growth-self"),
    path("cycles/<int:cycle_id>/people/<str:external_id>/review/<str:role>/", views.review_page,
         name="growth-review"),
    path("cycles/<int:cycle_id>/people/<str:external_id>/feedback/", views.feedback_page, name="growth-feedback"),
]
