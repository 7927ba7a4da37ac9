from django.urls import path

from pitchlab.pitches import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("pitches/<int:pitch_id>/", views.pitch_detail, name="pitch-detail"),
    path("pitches/<int:pitch_id>/delete/", views.pitch_delete_confirm, name="pitch-delete"),
    path("pitches/<int:pitch_id>/duplicate/", views.pitch_duplicate_view, name="pitch-duplicate"),
    path("pitches/<int:pitch_id>/export/", views.pitch_export, name="pitch-export"),
    path("pitches/import/", views.pitch_import_upload, name="pitch-import"),
    path("pitches/from-template/<slug:key>/", views.pitch_from_template, name="pitch-from-template"),
]
