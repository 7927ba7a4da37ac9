"""Fixtures of the rehearsal tests: a founder, a pitch whose deck has four slides, an API client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any as SettingsWrapper

import pytest
import redis
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create
from pitchlab.rehearsals import remote

STORY = {
    "purpose": "Support teams answer every ticket in minutes.",
    "customer_pain": "Support leads drown in tickets: half of them are the same ten questions.",
    "origin": "We ran support at a 200-person SaaS company and sorted 4,000 tickets by hand.",
    "climax": "Our model routes each ticket to the right answer before a human reads it.",
}
# The deck these give, in order, with the seconds the founder planned for each.
KEYS = ("title", "problem", "story", "solution")
PLANNED = {"title": 10, "problem": 30, "story": 40, "solution": 20}


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("founder")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    pitch = pitch_create(owner=owner, name="Acme AI")
    pitch.content["story"].update(STORY)
    pitch.content["story"]["target_minutes"] = 3
    pitch.content["deck"]["slides"] = [{"kind": kind, "seconds": seconds} for kind, seconds in PLANNED.items()]
    pitch.save()
    return pitch


@pytest.fixture
def client_of(owner: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(owner)
    return client


@pytest.fixture
def stranger(make_user: Callable[..., User]) -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user("stranger"))
    return client


@pytest.fixture
def relay(redis_url: str, settings: SettingsWrapper) -> Iterator[redis.Redis]:
    """The remote relay on the test Redis; its streams are removed afterwards."""
    settings.REDIS_URL = redis_url
    remote._client = None
    client = redis.Redis.from_url(redis_url)
    yield client
    for key in client.scan_iter("pitchlab:remote:*"):
        client.delete(key)
    remote._client = None
