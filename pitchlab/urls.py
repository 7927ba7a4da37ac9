from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from pitchlab.accounts import apis as account_apis
from pitchlab.core.jsi18n import javascript_catalog
from pitchlab.core.views import healthz
from pitchlab.decks import apis as deck_apis
from pitchlab.demos.urls import api_patterns as demo_api_patterns
from pitchlab.pictures.urls import api_patterns as picture_api_patterns
from pitchlab.pitches import archive_views, canvas_apis, member_apis
from pitchlab.pitches.apis import PitchDetailApi, PitchListCreateApi
from pitchlab.rehearsals.urls import api_patterns as rehearsal_api_patterns
from pitchlab.sharing.urls import api_patterns as sharing_api_patterns

api_patterns = [
    path("pitches/", PitchListCreateApi.as_view(), name="api-pitches"),
    path("pitches/<int:pitch_id>/", PitchDetailApi.as_view(), name="api-pitch"),
    path("pitches/import/", canvas_apis.PitchImportApi.as_view(), name="api-pitch-import"),
    path("pitches/<int:pitch_id>/export/", canvas_apis.PitchExportApi.as_view(), name="api-pitch-export"),
    path("pitches/<int:pitch_id>/archive/", archive_views.PitchArchiveApi.as_view(), name="api-pitch-archive"),
    path("pitches/<int:pitch_id>/duplicate/", canvas_apis.PitchDuplicateApi.as_view(), name="api-pitch-duplicate"),
    path("templates/", canvas_apis.TemplateListApi.as_view(), name="api-templates"),
    path("tokens/", account_apis.TokenListApi.as_view(), name="api-tokens"),
    path("tokens/<int:token_id>/", account_apis.TokenDetailApi.as_view(), name="api-token"),
    path("tokens/<int:token_id>/rotate/", account_apis.TokenRotateApi.as_view(), name="api-token-rotate"),
    path("templates/<slug:key>/use/", canvas_apis.TemplateUseApi.as_view(), name="api-template-use"),
    path("pitches/<int:pitch_id>/members/", member_apis.MemberListApi.as_view(), name="api-members"),
    path("pitches/<int:pitch_id>/members/<int:member_id>/", member_apis.MemberDetailApi.as_view(), name="api-member"),
    path("pitches/<int:pitch_id>/invitations/", member_apis.InvitationListApi.as_view(), name="api-invitations"),
    path(
        "pitches/<int:pitch_id>/invitations/<int:invitation_id>/",
        member_apis.InvitationDetailApi.as_view(),
        name="api-invitation",
    ),
    path(
        "pitches/<int:pitch_id>/invitations/<int:invitation_id>/resend/",
        member_apis.InvitationResendApi.as_view(),
        name="api-invitation-resend",
    ),
    path("invitations/<str:token>/accept/", member_apis.InvitationAcceptApi.as_view(), name="api-invitation-accept"),
    path("pitches/<int:pitch_id>/canvas/", canvas_apis.CanvasApi.as_view(), name="api-canvas"),
    path("pitches/<int:pitch_id>/canvas/<str:path>/", canvas_apis.CanvasUnitApi.as_view(), name="api-canvas-unit"),
    path("pitches/<int:pitch_id>/completeness/", canvas_apis.CompletenessApi.as_view(), name="api-completeness"),
    path("pitches/<int:pitch_id>/checks/", canvas_apis.ChecksApi.as_view(), name="api-checks"),
    path("pitches/<int:pitch_id>/traction/parse/", canvas_apis.TractionParseApi.as_view(), name="api-traction-parse"),
    path("pitches/<int:pitch_id>/growth/", canvas_apis.GrowthApi.as_view(), name="api-growth"),
    path("pitches/<int:pitch_id>/revisions/", canvas_apis.RevisionListApi.as_view(), name="api-revisions"),
    path(
        "pitches/<int:pitch_id>/revisions/<int:revision_id>/",
        canvas_apis.RevisionDetailApi.as_view(),
        name="api-revision",
    ),
    path(
        "pitches/<int:pitch_id>/revisions/<int:revision_id>/restore/",
        canvas_apis.RevisionRestoreApi.as_view(),
        name="api-revision-restore",
    ),
    path("pitches/<int:pitch_id>/exports/", deck_apis.PitchExportsApi.as_view(), name="api-exports"),
    path("pitches/<int:pitch_id>/preflight/", deck_apis.PitchPreflightApi.as_view(), name="api-preflight"),
    path("pitches/<int:pitch_id>/deck/slides/", deck_apis.DeckSlidesApi.as_view(), name="api-deck-slides"),
    path("exports/<int:export_id>/", deck_apis.ExportDetailApi.as_view(), name="api-export"),
    path("exports/<int:export_id>/retry/", deck_apis.ExportRetryApi.as_view(), name="api-export-retry"),
    path("exports/<int:export_id>/download/", deck_apis.ExportDownloadApi.as_view(), name="api-export-download"),
    *demo_api_patterns,
    *rehearsal_api_patterns,
    *sharing_api_patterns,
    *picture_api_patterns,
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file (?script=): the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# Under /api/ an unknown URL answers the API's JSON error body, not the HTML page (pitchlab/core/error_views.py).
handler404 = "pitchlab.core.error_views.not_found"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", javascript_catalog, name="javascript-catalog"),  # i18n (B2): the scripts' gettext
    path("accounts/", include("pitchlab.accounts.urls")),
    path("api/", include(api_patterns)),
    path("", include("pitchlab.decks.urls")),
    path("", include("pitchlab.demos.urls")),
    path("", include("pitchlab.rehearsals.urls")),
    path("", include("pitchlab.sharing.urls")),
    path("", include("pitchlab.pitches.urls")),
]
