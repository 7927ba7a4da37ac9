"""Pages and API of live demos. The API patterns are included under /api/ by pitchlab/urls.py."""

from django.urls import path

from pitchlab.demos import apis, progress_apis, public_apis, public_views, views

urlpatterns = [
    path("pitches/<int:pitch_id>/demo/", views.demo_page, name="demo-page"),
    path("d/<str:token>/", public_views.audience_page, name="audience-page"),
    path("d/<str:token>/predict/", public_apis.AudiencePredictApi.as_view(), name="audience-predict"),
    path(
        "d/<str:token>/examples/<int:example_id>/image/",
        public_apis.AudienceExampleImageApi.as_view(),
        name="audience-example-image",
    ),
]

api_patterns = [
    path("pitches/<int:pitch_id>/demo-models/", apis.DemoModelListCreateApi.as_view(), name="api-demo-models"),
    path("demo-models/<int:model_id>/", apis.DemoModelDetailApi.as_view(), name="api-demo-model"),
    path(
        "demo-models/<int:model_id>/events/", progress_apis.DemoModelEventsApi.as_view(), name="api-demo-model-events"
    ),
    path("demo-models/<int:model_id>/predict/", apis.DemoPredictApi.as_view(), name="api-demo-predict"),
    path("demo-models/<int:model_id>/explain/", apis.DemoExplainApi.as_view(), name="api-demo-explain"),
    path("demo-models/<int:model_id>/examples/", apis.DemoExampleListCreateApi.as_view(), name="api-demo-examples"),
    path(
        "demo-models/<int:model_id>/examples/<int:example_id>/",
        apis.DemoExampleDetailApi.as_view(),
        name="api-demo-example",
    ),
    path(
        "demo-models/<int:model_id>/examples/<int:example_id>/image/",
        apis.DemoExampleImageApi.as_view(),
        name="api-demo-example-image",
    ),
    path("demo-models/<int:model_id>/preflight/", apis.DemoPreflightApi.as_view(), name="api-demo-preflight"),
    path("demo-models/<int:model_id>/evaluate/", apis.DemoEvaluateApi.as_view(), name="api-demo-evaluate"),
    path(
        "demo-models/<int:model_id>/evaluation/events/",
        progress_apis.DemoEvaluationEventsApi.as_view(),
        name="api-demo-evaluation-events",
    ),
    path(
        "demo-models/<int:model_id>/evaluation/accept/",
        apis.DemoEvaluationAcceptApi.as_view(),
        name="api-demo-evaluation-accept",
    ),
    path(
        "demo-models/<int:model_id>/evaluation/discard/",
        apis.DemoEvaluationDiscardApi.as_view(),
        name="api-demo-evaluation-discard",
    ),
    path("demo-models/<int:model_id>/audience-link/", apis.AudienceLinkApi.as_view(), name="api-audience-link"),
    path(
        "demo-models/<int:model_id>/audience-link/qr.svg",
        apis.AudienceLinkQrApi.as_view(),
        name="api-audience-link-qr",
    ),
]
