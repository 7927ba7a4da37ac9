from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from pitchlab.core.views import healthz
from pitchlab.pitches.apis import PitchDetailApi, PitchListCreateApi

api_patterns = [
    path("pitches/", PitchListCreateApi.as_view(), name="api-pitches"),
    path("pitches/<int:pitch_id>/", PitchDetailApi.as_view(), name="api-pitch"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("pitchlab.accounts.urls")),
    path("api/", include(api_patterns)),
    path("", include("pitchlab.pitches.urls")),
]
