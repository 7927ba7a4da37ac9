"""The audience's endpoints behind a public link: no login, one model, predictions only, rate-limited.

Three limits, checked and counted together (``core.ratelimit``): one per device (so one phone cannot hog the
model), a ceiling per address (a room behind one Wi-Fi NAT shares an address: high enough for the room, low
enough that one address cannot take the whole room's share), and one for the whole room (so a crowd cannot
starve the presenter, whose own calls also jump the queue: ``inference.PRESENTER``). A device is the signed
cookie the audience page sets (``devices.py``); a call without a valid one (an API client, a forged cookie)
counts as the one cookie-less device of its address, so all such callers behind an address share one quota.
"""

from __future__ import annotations

import asyncio
import logging
import math
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
from pitchlab.core.async_views import AsyncAPIView
from pitchlab.core.parsers import JSONParser, MultiPartParser  # a deep body or unstorable text is a 400
from pitchlab.core.ratelimit import Limit, client_ip
from pitchlab.demos import inference, live
from pitchlab.demos.apis import _ERRORS, _INPUT, PredictionOut, ademo_input, image_response
from pitchlab.demos.devices import device_id
from pitchlab.demos.lookups import LiveLink, audience_link_live
from pitchlab.demos.models import AudienceLink
from pitchlab.demos.selectors import audience_link_get, example_get

logger = logging.getLogger(__name__)
# Marked here, translated when raised: DRF joins the detail with its "Expected available in…" text, which a lazy
# string cannot take part in.
TOO_MANY = gettext_noop("Lots of people are trying it — wait a few seconds and try again.")
REFUSAL_PAUSE_S = 1.0
"""The longest a refused audience call waits for its 429 (AudiencePredictApi.post)."""


def audience_limits(*, token: str, client: str, device: str | None = None, model_id: int = 0) -> tuple[Limit, ...]:
    """The limits one audience call is checked against: its device's (or, without a device id, its address'
    cookie-less device's), its address' ceiling, the whole room's, and the cap on the model's audience calls in
    flight (settings.AUDIENCE_MAX_IN_FLIGHT, every web process together: what protects the model, not a thread
    pool). The last is taken back when the call ends (``in_flight_key``)."""
    subject = f"device:{device}" if device else f"address:{client}"
    return (
        Limit(f"audience:{token}:client", subject, settings.AUDIENCE_RATE_PER_CLIENT),
        Limit(f"audience:{token}:address", client, settings.AUDIENCE_RATE_PER_ADDRESS),
        Limit(f"audience:{token}:room", "", settings.AUDIENCE_RATE_TOTAL),
        in_flight_limit(model_id),
    )


def in_flight_limit(model_id: int) -> Limit:
    """At most AUDIENCE_MAX_IN_FLIGHT audience calls of the model at once; a call lasts at most the demo budget,
    so one whose process died mid-call stops counting a few seconds after it."""
    period_s = math.ceil(settings.DEMO_BUDGET_MS / 1000) + 5
    rate = f"{settings.AUDIENCE_MAX_IN_FLIGHT}/s"
    return Limit(f"audience-in-flight:{model_id}", "", rate, period_s=period_s, retry_within_s=1)


def audience_counters_forget(token: str) -> None:
    """Remove the rate-limit counts of a link that is gone with its model or pitch (left alone they expire
    within the rate's period)."""
    ratelimit.forget(f"audience:{token}")


GONE = "This demo link does not work any more: it was closed or has expired."


def _link(token: str) -> AudienceLink:
    link = audience_link_get(token=token)
    if link is None:
        raise NotFound(GONE)
    return link


def _live_link(token: str) -> LiveLink:
    link = audience_link_live(token=token)
    if link is None:
        raise NotFound(GONE)
    return link


class AudiencePredictApi(AsyncAPIView):
    """Asynchronous (adrf): authentication, the link and the limits run in one thread hop (``initial``), then the
    call is awaited on the event loop, holding no thread while the model works."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, MultiPartParser]
    throttle_classes: list[Any] = []  # the limits are pitchlab.core.ratelimit's, checked in check_throttles
    link: LiveLink
    counted: ratelimit.Verdict

    def check_throttles(self, request: Request) -> None:
        """Every limit of the call checked and counted in one atomic step (one Redis round trip): a call refused
        by one costs nothing in the others (a refused phone does not use up the room, nor the room a phone)."""
        self.link = _live_link(self.kwargs["token"])  # an unknown token is a 404 before it costs anyone's quota
        token = self.link.token
        limits = audience_limits(
            token=token, client=client_ip(request), device=device_id(request, token), model_id=self.link.model.pk
        )
        self.counted = ratelimit.hit(*limits)  # a refusal is answered by ``post``, after its pause

    @extend_schema(
        operation_id="audience_predict",
        request=_INPUT,
        responses={200: PredictionOut, **_ERRORS, 429: OpenApiResponse(description="Rate-limited; see Retry-After")},
        auth=[],
        description="Try the one model of a public audience link. No login.",
    )
    async def post(self, request: Request, token: str) -> Response:
        if self.counted.wait is not None:
            # A refused call is answered after a pause (never past its Retry-After): a client that ignores
            # Retry-After and asks again at once (a script, a stuck button, a page reloading) is paced to about one
            # call a second, and a crowd of them cannot take the cores the presenter's call needs. The pause holds
            # no thread.
            await asyncio.sleep(min(self.counted.wait, REFUSAL_PAUSE_S))
            raise Throttled(wait=self.counted.wait, detail=gettext(TOO_MANY))
        demo_model = self.link.model
        try:
            payload = await ademo_input(request, demo_model.kind)
            answer = await live.apredict(demo_model=demo_model, demo_input=payload, priority=inference.AUDIENCE)
        finally:
            # The call leaves the cap on calls in flight (not the rates it was counted in), answered, refused or
            # cancelled by a client that went away.
            await ratelimit.atake_back(self.counted, keys=(in_flight_limit(demo_model.pk).key(),))
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
