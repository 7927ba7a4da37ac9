"""Fixtures of the pictures' tests: a founder's pitch, their API client, and images built in memory."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from PIL import Image
from rest_framework.test import APIClient

from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


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


def encoded(
    fmt: str = "PNG", size: tuple[int, int] = (64, 48), mode: str = "RGB", colour: Any = "red", **options: Any
) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, format=fmt, **options)
    return buffer.getvalue()
