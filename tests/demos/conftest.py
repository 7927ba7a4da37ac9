"""Fixtures of the live-demo tests (the inference worker they share with the browser test: tests/conftest.py)."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from PIL import Image
from rest_framework.test import APIClient

from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("founder")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_create(owner=owner, name="Acme AI")


@pytest.fixture
def client_of(owner: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(owner)
    return client


def png_bytes(size: tuple[int, int] = (48, 40), colour: str = "red", fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()
