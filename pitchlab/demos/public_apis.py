"""The audience's endpoints behind a public link: no login, one model, predictions only, rate-limited.

Two limits: one per client (so one phone cannot hog the model) and one for the whole room (so a crowd
cannot starve the presenter, whose own calls also jump the queue: ``inference.PRESENTER``).
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any, NoReturn

import redis
from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from pitchlab.core.parsers import JSONParser  # a too-deeply nested body is a 400
from pitchlab.demos import inference, live
from pitchlab.demos.apis import _ERRORS, _INPUT, PredictionOut, demo_input, image_response
from pitchlab.demos.models import AudienceLink
from pitchlab.demos.selectors import audience_link_get, example_get

logger = logging.getLogger(__name__)
TOO_MANY = "Lots of people are trying it — wait a few seconds and try again."
# Audience calls waiting for the model at once, in this web process (settings.AUDIENCE_MAX_WAITING).
_WAITING = threading.BoundedSemaphore(settings.AUDIENCE_MAX_WAITING)


class _AudienceThrottle(SimpleRateThrottle):
    """A rate limit keyed by the link's token; the counts live in the shared cache (Redis)."""

    setting = ""

    def get_rate(self) -> str:
        return str(getattr(settings, self.setting))

    def allow_request(self, request: Request, view: APIView) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:  # a cache outage must not take the demo down: let the call through unmetered
            self.key = None
            return True

    def forget_last(self) -> None:
        """Take back the call this throttle has just counted (another limit refused it after all)."""
        if getattr(self, "key", None) and self.history and self.history[0] == self.now:
            self.history.pop(0)
            try:
                self.cache.set(self.key, self.history, getattr(self, "duration", 60))
            except Exception:  # unmetered, as above
                return


class AudienceClientThrottle(_AudienceThrottle):
    scope = "audience_client"
    setting = "AUDIENCE_RATE_PER_CLIENT"
    cache = cache

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return f"throttle_audience_client_{view.kwargs.get('token')}_{self.get_ident(request)}"


class AudienceTotalThrottle(_AudienceThrottle):
    scope = "audience_total"
    setting = "AUDIENCE_RATE_TOTAL"
    cache = cache

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return f"throttle_audience_total_{view.kwargs.get('token')}"


def audience_counters_forget(token: str) -> None:
    """Remove the rate-limit counters of a link that is gone with its model or pitch (left alone they expire
    within the rate's period)."""
    pattern = re.sub(r"([*?\[\]\\])", r"\\\1", cache.make_key(f"throttle_audience_client_{token}_")) + "*"
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        keys = [cache.make_key(f"throttle_audience_total_{token}"), *client.scan_iter(match=pattern, count=1000)]
        client.delete(*keys)
    except redis.RedisError:
        logger.warning("could not remove the rate-limit counters of a deleted audience link; they expire")
    finally:
        client.close()


def _link(token: str) -> AudienceLink:
    link = audience_link_get(token=token)
    if link is None:
        raise NotFound("This demo link does not work any more: it was closed or has expired.")
    return link


class AudiencePredictApi(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, MultiPartParser]
    throttle_classes = [AudienceClientThrottle, AudienceTotalThrottle]  # checked in check_throttles
    link: AudienceLink

    def check_throttles(self, request: Request) -> None:
        """The client's limit first, then the room's. A call refused by the client's limit costs the room
        nothing, and one refused by the room does not use up the client's own quota."""
        self.link = _link(self.kwargs["token"])  # an unknown token is a 404 before it costs anyone's quota
        client, room = AudienceClientThrottle(), AudienceTotalThrottle()
        if not client.allow_request(request, self):
            self.throttled(request, client.wait())
        if not room.allow_request(request, self):
            client.forget_last()
            self.throttled(request, room.wait())

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        raise Throttled(wait=wait, detail=TOO_MANY)

    @extend_schema(
        operation_id="audience_predict",
        request=_INPUT,
        responses={200: PredictionOut, **_ERRORS, 429: OpenApiResponse(description="Rate-limited; see Retry-After")},
        auth=[],
        description="Try the one model of a public audience link. No login.",
    )
    def post(self, request: Request, token: str) -> Response:
        demo_model = self.link.demo_model
        payload = demo_input(request, demo_model.kind)
        # Each call holds a web thread until the model answers (up to the demo budget). The rate limits bound
        # how many start per second, not how many wait at once: when inference slows, a room could hold every
        # thread and the founders' saves would queue behind it. Beyond AUDIENCE_MAX_WAITING the room gets 429.
        if not _WAITING.acquire(blocking=False):
            raise Throttled(wait=1, detail=TOO_MANY)
        try:
            answer = live.predict(demo_model=demo_model, demo_input=payload, priority=inference.AUDIENCE)
        finally:
            _WAITING.release()
        return Response({key: answer[key] for key in ("labels", "latency_ms", "device")})


class AudienceExampleImageApi(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(operation_id="audience_example_image", responses={(200, "image/png"): OpenApiTypes.BINARY}, auth=[])
    def get(self, request: Request, token: str, example_id: int) -> FileResponse:
        example = example_get(demo_model=_link(token).demo_model, example_id=example_id)
        if example is None:
            raise NotFound("No such example.")
        return image_response(example)
