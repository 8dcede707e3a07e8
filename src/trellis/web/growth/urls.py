from django.urls import path

from trellis.web.growth import views

# Ids may hold slashes (HR/2024/001): the <path:> converter takes them whole, so the longer
# addresses come first and the person's own page last.
urlpatterns = [
    path("evidence/import/", views.evidence_import, name="growth-evidence-import"),
    path("people/<path:external_id>/evidence/<int:evidence_id>/delete/", views.evidence_delete,
         name="growth-evidence-delete"),
    path("people/<path:external_id>/summary/", views.summary, name="growth-summary"),
    path("people/<path:external_id>/evidence/", views.evidence_page, name="growth-evidence"),
    path("people/<path:external_id>/", views.person_page, name="growth-person"),
]
