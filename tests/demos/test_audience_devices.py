"""The audience limit is per phone, not per address: a room behind one Wi-Fi NAT shares one REMOTE_ADDR.

Each phone gets a signed device cookie from the audience page and its own PITCHLAB_AUDIENCE_RATE_PER_CLIENT;
one address has a ceiling high enough for a room (PITCHLAB_AUDIENCE_RATE_PER_ADDRESS); the room's total is
unchanged; a call without a valid cookie counts as its address' one cookie-less device."""

from __future__ import annotations

from django.conf import settings
from django.test import RequestFactory, override_settings
from rest_framework.test import APIClient

from pitchlab.demos.devices import COOKIE, device_id
from pitchlab.demos.models import AudienceLink, DemoModel
from pitchlab.demos.public_apis import TOO_MANY
from pitchlab.pitches.models import Pitch
from tests.conftest import InferenceWorker

ROOM = "203.0.113.7"  # the Wi-Fi's one public address, as the server sees every phone in the room


def open_link(pitch: Pitch, token: str = "roomlinkTokenAbc123") -> str:
    model = DemoModel.objects.create(
        pitch=pitch, name="Router", kind="text", source="sample", status="ready", artefact="sample-text"
    )
    return AudienceLink.objects.create(demo_model=model, token=token).token


def phone(token: str, address: str = ROOM) -> APIClient:
    """A phone that opened the audience page (and so holds its device cookie)."""
    client = APIClient(REMOTE_ADDR=address)
    assert client.get(f"/d/{token}/").status_code == 200
    assert COOKIE in client.cookies
    return client


def tries(client: APIClient, token: str, count: int) -> list[str]:
    """Each call as "429" (refused by the audience limits) or "ok" (let through by them: answered, or, on a busy
    machine, past the demo budget or turned away by the worker's own queue, which are not what is tested here)."""
    verdicts = []
    for _ in range(count):
        response = client.post(f"/d/{token}/predict/", {"text": "refund"}, format="json")
        assert response.status_code in (200, 503, 429), response.content
        limited = response.status_code == 429 and response.json()["message"].startswith(TOO_MANY)
        verdicts.append("429" if limited else "ok")
    return verdicts


def test_the_defaults_are_20_per_phone_300_per_address_and_10_per_second_for_the_room() -> None:
    assert settings.AUDIENCE_RATE_PER_CLIENT == "20/min"
    assert settings.AUDIENCE_RATE_PER_ADDRESS == "300/min"
    assert settings.AUDIENCE_RATE_TOTAL == "10/s"


def _device(value: str, token: str) -> str | None:
    return device_id(RequestFactory().get("/", HTTP_COOKIE=f"{COOKIE}={value}"), token)


def test_the_page_gives_each_phone_a_signed_httponly_lax_cookie_for_that_link_only(pitch: Pitch) -> None:
    token = open_link(pitch)
    first = APIClient(REMOTE_ADDR=ROOM)
    response = first.get(f"/d/{token}/")
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == f"/d/{token}/"
    assert int(cookie["max-age"]) > 3600
    # A reload is the same phone; another phone is another device. (The device ids are compared, not the cookies:
    # a reload signs the same id again, with the second it happens in.)
    device = _device(cookie.value, token)
    assert device is not None
    assert _device(first.get(f"/d/{token}/").cookies[COOKIE].value, token) == device
    assert _device(APIClient(REMOTE_ADDR=ROOM).get(f"/d/{token}/").cookies[COOKIE].value, token) != device
    # Signed for this link: worth nothing on another link, and an edited value is no device at all.
    request = RequestFactory().get("/", HTTP_COOKIE=f"{COOKIE}={cookie.value}")
    assert device_id(request, token) is not None
    assert device_id(request, "another-link-token") is None
    forged = RequestFactory().get("/", HTTP_COOKIE=f"{COOKIE}={cookie.value[:-2]}xx")
    assert device_id(forged, token) is None


def test_a_closed_link_sets_no_cookie(pitch: Pitch) -> None:
    response = APIClient().get("/d/no-such-link/")
    assert response.status_code == 404
    assert COOKIE not in response.cookies


# The room's 10/s would refuse this test's burst (22 calls as fast as the test client sends them): not the subject.
@override_settings(AUDIENCE_RATE_TOTAL="1000/min")
def test_two_phones_behind_one_address_each_get_their_own_20_per_minute(
    worker_up: InferenceWorker, pitch: Pitch
) -> None:
    assert settings.AUDIENCE_RATE_PER_CLIENT == "20/min"  # the default, untouched
    token = open_link(pitch)
    ana, ben = phone(token), phone(token)
    assert tries(ana, token, 20) == ["ok"] * 20
    refused = ana.post(f"/d/{token}/predict/", {"text": "refund"}, format="json")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # Same REMOTE_ADDR, another device: Ana's refusal costs Ben nothing.
    assert tries(ben, token, 2) == ["ok", "ok"]


@override_settings(AUDIENCE_RATE_PER_CLIENT="3/min", AUDIENCE_RATE_PER_ADDRESS="1000/min")
def test_calls_without_a_valid_cookie_share_one_bucket_per_address(worker_up: InferenceWorker, pitch: Pitch) -> None:
    token = open_link(pitch)
    script = APIClient(REMOTE_ADDR=ROOM)  # an API client that never opened the page
    forger = APIClient(REMOTE_ADDR=ROOM)
    forger.cookies[COOKIE] = "made-up-device-id"
    assert tries(script, token, 2) == ["ok", "ok"]
    assert tries(forger, token, 2) == ["ok", "429"]  # the same cookie-less device as the script: 3 between them
    assert tries(phone(token), token, 1) == ["ok"]  # a real phone in the same room is not held back
    assert tries(APIClient(REMOTE_ADDR="198.51.100.9"), token, 1) == ["ok"]  # nor another address' script


@override_settings(AUDIENCE_RATE_PER_CLIENT="3/min", AUDIENCE_RATE_PER_ADDRESS="5/min", AUDIENCE_RATE_TOTAL="100/min")
def test_an_address_has_a_ceiling_over_all_its_phones(worker_up: InferenceWorker, pitch: Pitch) -> None:
    token = open_link(pitch)
    assert tries(phone(token), token, 3) == ["ok", "ok", "ok"]
    assert tries(phone(token), token, 3) == ["ok", "ok", "429"]  # 5 from this address in all
    assert tries(phone(token), token, 1) == ["429"]  # a fresh cookie does not lift the ceiling
    assert tries(phone(token, "198.51.100.9"), token, 1) == ["ok"]  # another address has its own


@override_settings(AUDIENCE_RATE_PER_CLIENT="3/min", AUDIENCE_RATE_PER_ADDRESS="1000/min", AUDIENCE_RATE_TOTAL="4/min")
def test_the_rooms_total_still_bounds_every_phone_and_address(
    worker_up: InferenceWorker, pitch: Pitch, client_of: APIClient
) -> None:
    token = open_link(pitch)
    assert tries(phone(token), token, 3) == ["ok", "ok", "ok"]
    assert tries(phone(token, "198.51.100.9"), token, 2) == ["ok", "429"]
    assert tries(phone(token, "192.0.2.44"), token, 1) == ["429"]
    # The presenter is not limited by the audience's quota.
    model = AudienceLink.objects.get(token=token).demo_model
    answer = client_of.post(f"/api/demo-models/{model.pk}/predict/", {"text": "refund"}, format="json")
    assert answer.status_code in (200, 503)  # answered, or past the budget: never refused
