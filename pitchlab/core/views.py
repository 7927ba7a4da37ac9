from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pitchlab.core.debug_guard import client_is_loopback
from pitchlab.core.health import health_report


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    # The details name the broker's socket or host, worker host names and error texts: they are for the operator
    # (a staff user, or a probe on this machine), not for anyone who finds the URL.
    detailed = client_is_loopback(request) or bool(getattr(request.user, "is_staff", False))
    body = report.as_json() if detailed else report.summary_json()
    return JsonResponse(body, status=200 if report.healthy else 503)
