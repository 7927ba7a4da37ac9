"""Fixtures of the reliability tests: a broker of their own, the web server and workers as subprocesses.

The web server and the workers share the test database (PostgreSQL when DATABASE_URL is set, else
the SQLite test file) and the media folder with the test process, so a test can arrange rows directly
and then act and look as a client does: over HTTP, with a token.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from pitchlab.accounts.tokens import token_create
from tests.conftest import _database_url
from tests.reliability.stack import CeleryWorker, Process, RedisServer, WebServer
from tests.support import python_env


@dataclass
class Founder:
    user: User
    token: str
    password: str


@pytest.fixture
def founder(transactional_db: None) -> Founder:
    password = "a long and unguessable passphrase"
    user = User.objects.create_user("founder", "founder@example.com", password)
    return Founder(user, token_create(user=user, name="reliability")[1], password)


@pytest.fixture
def processes(request: pytest.FixtureRequest) -> Iterator[list[Process]]:
    """Every process a test starts, stopped at its end; when the test failed, the tail of each one's log."""
    started: list[Process] = []
    yield started
    failed = getattr(request.node, "reliability_failed", False)
    for process in reversed(started):
        if failed:
            print(process.tail())
        process.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if getattr(report, "failed", False):
        item.reliability_failed = True  # type: ignore[attr-defined]
    return report


@pytest.fixture
def broker(tmp_path: Path, processes: list[Process]) -> RedisServer:
    """A redis-server of the test's own (its broker, result store and cache) that it may stop and start."""
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(folder)
    processes.append(server)
    server.start()
    return server


@pytest.fixture
def app_env(transactional_db: None, broker: RedisServer) -> dict[str, str]:
    """What every process of the stack gets: the test database, the test's broker, the shared media folder."""
    from django.db import connection

    return python_env(
        DATABASE_URL=_database_url(connection.settings_dict),
        REDIS_URL=broker.url,
        PITCHLAB_VAR_DIR=str(settings.VAR_DIR),
    )


@pytest.fixture
def web(app_env: dict[str, str], tmp_path: Path, processes: list[Process]) -> WebServer:
    server = WebServer(app_env, tmp_path / "web.log")
    processes.append(server)
    server.start()
    return server


def default_worker(env: dict[str, str], log: Path, **extra: str) -> CeleryWorker:
    """The Procfile's worker line with one pool process, so the one that runs a task is known."""
    return CeleryWorker("worker", {**env, "PITCHLAB_WORKER_CONCURRENCY": "1", **extra}, log)
