"""The owner of one fresh pitch, and an API client signed in as that owner (the canvas tests' world)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("owner")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_create(owner=owner, name="Lumen")


@pytest.fixture
def api(api_client: APIClient, owner: User) -> APIClient:
    api_client.force_authenticate(owner)
    return api_client
