"""The pictures' API; its patterns are included under /api/ by pitchlab/urls.py."""

from django.urls import path

from pitchlab.pictures import apis

api_patterns = [
    path("pitches/<int:pitch_id>/pictures/", apis.PictureListApi.as_view(), name="api-pictures"),
    path("pitches/<int:pitch_id>/pictures/<int:picture_id>/", apis.PictureDetailApi.as_view(), name="api-picture"),
    path(
        "pitches/<int:pitch_id>/pictures/<int:picture_id>/file/",
        apis.PictureFileApi.as_view(),
        name="api-picture-file",
    ),
]
