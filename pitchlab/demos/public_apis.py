"""The audience's endpoints behind a public link: no login, one model, predictions only, rate-limited.

Three limits, checked and counted together (``core.ratelimit``): one per device (so one phone cannot hog the
model), a ceiling per address (a room behind one Wi-Fi NAT shares an address: high enough for the room, low
enough that one address cannot take the whole room's share), and one for the whole room (so a crowd cannot
starve the presenter, whose own calls also jump the queue: ``inference.PRESENTER``). A device is the signed
cookie the audience page sets (``devices.py``); a call without a valid one (an API client, a forged cookie)
counts as the one cookie-less device of its address, so all such callers behind an address share one quota.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext, gettext_noop
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pitchlab.core import ratelimit
from pitchlab.core.parsers import JSONParser, MultiPartParser  # a deep body or unstorable text is a 400
from pitchlab.core.ratelimit import Limit, client_ip
from pitchlab.demos import inference, live
from pitchlab.demos.apis import _ERRORS, _INPUT, PredictionOut, demo_input, image_response
from pitchlab.demos.devices import device_id
from pitchlab.demos.models import AudienceLink
from pitchlab.demos.selectors import audience_link_get, example_get

logger = logging.getLogger(__name__)
# Marked here, translated when raised: DRF joins the detail with its "Expected available in…" text, which a lazy
# string cannot take part in.
TOO_MANY = gettext_noop("Lots of people are trying it — wait a few seconds and try again.")
# Audience calls waiting for the model at once, in this web process (settings.AUDIENCE_MAX_WAITING).
_WAITING = threading.BoundedSemaphore(settings.AUDIENCE_MAX_WAITING)


def audience_limits(*, token: str, client: str, device: str | None = None) -> tuple[Limit, ...]:
    """The limits one audience call is checked against: its device's (or, without a device id, its address'
    cookie-less device's), its address' ceiling and the whole room's."""
    subject = f"device:{device}" if device else f"address:{client}"
    return (
        Limit(f"audience:{token}:client", subject, settings.AUDIENCE_RATE_PER_CLIENT),
        Limit(f"audience:{token}:address", client, settings.AUDIENCE_RATE_PER_ADDRESS),
        Limit(f"audience:{token}:room", "", settings.AUDIENCE_RATE_TOTAL),
    )


def audience_counters_forget(token: str) -> None:
    """Remove the rate-limit counts of a link that is gone with its model or pitch (left alone they expire
    within the rate's period)."""
    ratelimit.forget(f"audience:{token}")


def _link(token: str) -> AudienceLink:
    link = audience_link_get(token=token)
    if link is None:
        raise NotFound("This demo link does not work any more: it was closed or has expired.")
    return link


class AudiencePredictApi(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, MultiPartParser]
    throttle_classes: list[Any] = []  # the limits are pitchlab.core.ratelimit's, checked in check_throttles
    link: AudienceLink
    counted: ratelimit.Verdict

    def check_throttles(self, request: Request) -> None:
        """The client's limit and the room's, checked and counted in one atomic step: a call refused by
        either costs nothing in the other (a refused phone does not use up the room, nor the room a phone)."""
        self.link = _link(self.kwargs["token"])  # an unknown token is a 404 before it costs anyone's quota
        token = self.link.token
        limits = audience_limits(token=token, client=client_ip(request), device=device_id(request, token))
        self.counted = ratelimit.hit(*limits)
        if self.counted.wait is not None:
            raise Throttled(wait=self.counted.wait, detail=gettext(TOO_MANY))

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
            ratelimit.take_back(self.counted)  # refused here, so not counted against the phone or the room
            raise Throttled(wait=1, detail=gettext(TOO_MANY))
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
