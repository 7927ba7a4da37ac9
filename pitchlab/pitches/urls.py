from django.urls import path

from pitchlab.pitches import archive_views, member_views, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("pitches/<int:pitch_id>/", views.pitch_detail, name="pitch-detail"),
    path("pitches/<int:pitch_id>/team/", member_views.team_page, name="pitch-team"),
    path("invitations/<str:token>/", member_views.invitation_page, name="invitation"),
    path("pitches/<int:pitch_id>/delete/", views.pitch_delete_confirm, name="pitch-delete"),
    path("pitches/<int:pitch_id>/duplicate/", views.pitch_duplicate_view, name="pitch-duplicate"),
    path("pitches/<int:pitch_id>/export/", views.pitch_export, name="pitch-export"),
    path("pitches/<int:pitch_id>/archive/", archive_views.pitch_archive_download, name="pitch-archive"),
    path("pitches/import/", views.pitch_import_upload, name="pitch-import"),
    path("pitches/from-template/<slug:key>/", views.pitch_from_template, name="pitch-from-template"),
]
