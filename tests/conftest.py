from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from pitchlab.redis_url import celery_url
from tests.support import embedded_redis, missing_service, python_env, start, stop, wait_for_redis


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


# The SQLite test database lives on disk under var/ (settings.py), so the folder must exist.
Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)


def _database_url(config: dict[str, Any]) -> str:
    if config["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{config['NAME']}"
    auth = quote(config.get("USER") or "")
    if config.get("PASSWORD"):
        auth += ":" + quote(config["PASSWORD"])
    return f"postgres://{auth}@{config.get('HOST') or '127.0.0.1'}:{config.get('PORT') or 5432}/{config['NAME']}"


@pytest.fixture(scope="session")
def app_broker() -> Iterator[str]:
    """The broker the web side's Celery app is configured with, running.

    A networked REDIS_URL must answer; the embedded default's socket gets a redis-server of our own.
    """
    url = settings.REDIS_URL
    try:
        wait_for_redis(url, timeout=1)
        yield url
        return
    except redis.RedisError:
        if urlsplit(url).scheme != "unix":
            missing_service(f"REDIS_URL ({url}) does not answer")
    with embedded_redis(Path(urlsplit(url).path).parent):
        yield url


@pytest.fixture
def default_worker(transactional_db: None, app_broker: str, tmp_path: Path) -> Iterator[Path]:
    """A real Celery worker on the default queue, sharing the test database, media folder and broker."""
    from django.db import connection

    env = python_env(
        DATABASE_URL=_database_url(connection.settings_dict),
        REDIS_URL=app_broker,
        PITCHLAB_VAR_DIR=str(settings.VAR_DIR),
        PITCHLAB_DB_CONN_MAX_AGE="0",
    )
    log = tmp_path / "worker.log"
    proc = start(
        ["celery", "-A", "pitchlab", "worker", "-Q", "default", "-n", "test-exports@%h", "-P", "solo", "-l", "INFO"],
        env,
        log,
    )
    try:
        yield log
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def sender(redis_url: str) -> Celery:
    """A client configured exactly as the web side is (routes, serializer), pointed at the test broker."""
    app = Celery("test-sender")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=celery_url(redis_url), result_backend=celery_url(redis_url))
    return app
