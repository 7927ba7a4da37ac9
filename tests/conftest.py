from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.support import embedded_redis


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """The networked Redis named by REDIS_URL when given, else an embedded redis-server of our own."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    with embedded_redis() as url:
        yield url


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(username: str = "ada", password: str = "correct horse battery") -> User:
        return User.objects.create_user(username=username, email=f"{username}@example.com", password=password)

    return make


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()
