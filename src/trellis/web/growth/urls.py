from django.urls import path

from trellis.web.growth import views

# Ids may hold slashes (HR/2024/001): the <path:> converter takes them whole, so the longer
# addresses come first and the person's own page last. In a cycle, the person's id ends the address.
urlpatterns = [
    path("evidence/import/", views.evidence_import, name="growth-evidence-import"),
    path("cycles/", views.cycles_page, name="growth-cycles"),
    path("notifications/", views.notifications_page, name="growth-notifications"),
    path("cycles/<int:cycle_id>/", views.cycle_page, name="growth-cycle"),
    path("cycles/<int:cycle_id>/calibration/", views.calibration_page, name="growth-calibration"),
    path("cycles/<int:cycle_id>/calibration/people/<path:external_id>/", views.calibration_person_page,
         name="growth-calibration-person"),
    path("cycles/<int:cycle_id>/people/<path:external_id>/", views.participant_page, name="growth-participant"),
    path("cycles/<int:cycle_id>/self/<path:external_id>/", views.self_evaluation_page, name="growth-self"),
    path("cycles/<int:cycle_id>/review/<str:role>/<path:external_id>/", views.review_page, name="growth-review"),
    path("cycles/<int:cycle_id>/feedback/<path:external_id>/", views.feedback_page, name="growth-feedback"),
    path("people/<path:external_id>/evidence/<int:evidence_id>/delete/", views.evidence_delete,
         name="growth-evidence-delete"),
    path("people/<path:external_id>/summary/", views.summary, name="growth-summary"),
    path("people/<path:external_id>/evidence/", views.evidence_page, name="growth-evidence"),
    path("people/<path:external_id>/", views.person_page, name="growth-person"),
]
