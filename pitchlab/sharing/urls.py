"""Pages and API of share links. The API patterns are included under /api/ by pitchlab/urls.py."""

from django.urls import path

from pitchlab.sharing import apis, public_views, views

urlpatterns = [
    path("pitches/<int:pitch_id>/share/", views.share_page, name="share-page"),
    path(
        "pitches/<int:pitch_id>/share/<int:link_id>/revoke/",
        views.share_link_revoke_view,
        name="share-link-revoke",
    ),
    path("pitches/<int:pitch_id>/share/<int:link_id>/pdf/", views.share_link_pdf_view, name="share-link-pdf"),
    path(
        "pitches/<int:pitch_id>/share/<int:link_id>/reexport/",
        views.share_link_reexport_view,
        name="share-link-reexport",
    ),
    path(
        "pitches/<int:pitch_id>/share/<int:link_id>/delete/",
        views.share_link_delete_view,
        name="share-link-delete",
    ),
    path("s/<str:token>/", public_views.share_deck, name="share-deck"),
    path("s/<str:token>/pdf/", public_views.share_pdf_view, name="share-pdf"),
    path("s/<str:token>/beacon/", public_views.share_beacon, name="share-beacon"),
    path("s/<str:token>/pictures/<int:picture_id>/", public_views.share_picture, name="share-picture"),
    path(
        "s/<str:token>/examples/<int:example_id>/image/",
        public_views.share_example_image,
        name="share-example-image",
    ),
]

api_patterns = [
    path("pitches/<int:pitch_id>/share-links/", apis.ShareLinkListCreateApi.as_view(), name="api-share-links"),
    path("pitches/<int:pitch_id>/share-links/exports/", apis.ShareExportListApi.as_view(), name="api-share-exports"),
    path("share-links/<int:link_id>/", apis.ShareLinkDetailApi.as_view(), name="api-share-link"),
    path(
        "share-links/<int:link_id>/analytics/",
        apis.ShareLinkAnalyticsApi.as_view(),
        name="api-share-link-analytics",
    ),
]
