from django.urls import path

from pitchlab.decks import progress_apis, slide_views, views

urlpatterns = [
    path("pitches/<int:pitch_id>/deck/", views.deck_view, name="deck"),
    path("pitches/<int:pitch_id>/deck/slides/", slide_views.deck_slides_fragment, name="deck-slides"),
    path("pitches/<int:pitch_id>/deck/layouts/<str:row>/", slide_views.slide_layouts, name="deck-slide-layouts"),
    path("pitches/<int:pitch_id>/exports/", views.exports_panel, name="exports-panel"),
    path("pitches/<int:pitch_id>/exports/new/", views.export_start, name="export-start"),
    path("exports/<int:export_id>/retry/", views.export_retry_view, name="export-retry"),
    path("exports/<int:export_id>/download/", views.export_download, name="export-download"),
    # The exports' progress streams sit under /api/ beside their polling twins (pitchlab/urls.py's api_patterns).
    path("api/exports/<int:export_id>/events/", progress_apis.ExportEventsApi.as_view(), name="api-export-events"),
    path(
        "api/pitches/<int:pitch_id>/exports/events/",
        progress_apis.PitchExportEventsApi.as_view(),
        name="api-exports-events",
    ),
]
