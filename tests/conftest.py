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


@pytest.fixture(autouse=True)
def _own_rate_limit_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test counts log-ins, sign-ups and resets afresh (the counts live in Redis and outlive a run)."""
    import uuid

    monkeypatch.setattr(settings, "RATELIMIT_NAMESPACE", f"test-{uuid.uuid4().hex}:", raising=False)


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
    app = Celery("test-sender", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=celery_url(redis_url), result_backend=celery_url(redis_url))
    return app


# ---------- the live demos' inference worker (tests/demos, tests/browser/test_live_demo.py) ----------


@pytest.fixture(scope="session")
def demo_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from models_service.testing import tiny_image_model, tiny_text_model

    folder = tmp_path_factory.mktemp("demo-models")
    tiny_text_model(folder / "sample-text", seed=3)
    tiny_image_model(folder / "sample-image", seed=3)
    tiny_text_model(folder.parent / "demo-base-encoder", seed=4)
    return folder


class InferenceWorker:
    """A real ``models_service`` worker on the web side's broker; stop() and start() it to test an outage."""

    def __init__(self, broker: str, models: Path, log: Path) -> None:
        self.broker, self.models, self.log = broker, models, log
        self.proc: Any = None

    def start(self) -> None:
        env = python_env(
            REDIS_URL=self.broker,
            PITCHLAB_DEVICE="cpu",
            PITCHLAB_MODELS_DIR=str(self.models),
            PITCHLAB_TEXT_BASE=str(self.models.parent / "demo-base-encoder"),
            PITCHLAB_BATCH_WAIT_MS="2",
        )
        env.pop("DATABASE_URL", None)
        command = ["celery", "-A", "models_service.celery_app", "worker", "-Q", "inference", "-n", "test-demos@%h"]
        self.proc = start([*command, "-P", "threads", "-c", "8"], env, self.log)
        _wait_for_worker()

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
            self.proc = None


def _wait_for_worker(timeout: float = 60) -> None:
    from pitchlab.celery import app

    app.send_task("models_service.ping", args=["up"]).get(timeout=timeout)


# Module scope: the worker stops when its module's tests are done, so it never answers for the
# inference workers that other modules start on the same broker.
@pytest.fixture(scope="module")
def inference_worker(
    app_broker: str, demo_models_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[InferenceWorker]:
    worker = InferenceWorker(app_broker, demo_models_dir, tmp_path_factory.mktemp("inference") / "worker.log")
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()


@pytest.fixture
def worker_up(inference_worker: InferenceWorker) -> InferenceWorker:
    """The inference worker, running (a test that stopped it restarts it for the next)."""
    if inference_worker.proc is None:
        inference_worker.start()
    return inference_worker


# ---------- the live server: the ASGI application under uvicorn (tests/asgi_server.py) ----------


@pytest.fixture(scope="session")
def live_server(django_db_setup: None, django_db_blocker: Any) -> Iterator[object]:
    """pytest-django's ``live_server``, served as production serves it: ASGI, uvicorn, in a thread of this process."""
    from tests.asgi_server import AsgiLiveServer

    server = AsgiLiveServer()
    yield server
    server.stop()


# ---------- the browser (one chromium for the whole run: a second sync_playwright in the same thread fails) ----------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        missing_service(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the same
    # thread (fixtures that create users) are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
