from django.urls import path

from pitchlab.pitches import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("pitches/<int:pitch_id>/", views.pitch_detail, name="pitch-detail"),
    path("pitches/<int:pitch_id>/delete/", views.pitch_delete_confirm, name="pitch-delete"),
]
