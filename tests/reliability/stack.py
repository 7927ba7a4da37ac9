"""The real parts the reliability tests start, break and bring back.

Every part is a real process of its own: a redis-server on a TCP port (stopped and started again on the
same port, its queues kept in an append-only file as in docker-compose.yml), the Procfile's ``web``
line (gunicorn with uvicorn workers: ASGI), its ``worker`` and ``inference`` lines (Celery), and a PostgreSQL
cluster in a temporary folder. The tests talk to the web server over HTTP with a token, as a client would.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any, TypeVar

from tests.support import ROOT, stop, wait_for_redis

T = TypeVar("T")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], T | None], *, timeout: float, what: str, interval: float = 0.1) -> T:
    """The first truthy answer of ``check``; fails the test naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:g} s waiting for {what}")
        time.sleep(interval)


def poll(fetch: Callable[[], T], until: Callable[[T], bool], *, timeout: float, what: str, interval: float = 0.3) -> T:
    """``fetch()`` again and again until ``until`` holds for its answer, which is returned."""
    found: list[T] = []

    def check() -> bool:
        found[:] = [fetch()]
        return until(found[0])

    wait_until(check, timeout=timeout, what=what, interval=interval)
    return found[0]


# ---------- HTTP, as a client sees it ----------


@dataclass
class Reply:
    status: int
    text: str
    content_type: str
    seconds: float
    headers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def json(self) -> Any:
        return json.loads(self.text)

    def is_json(self) -> bool:
        return self.content_type.startswith("application/json")

    def header(self, name: str) -> str | None:
        """A response header by name, in any case (HTTP/1.1 names are case-insensitive; uvicorn sends them lower)."""
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)

    def __repr__(self) -> str:  # what an assertion message shows
        return f"<{self.status} {self.content_type} {self.text[:400]!r}>"


class Http:
    """Requests to the web server, each on a fresh connection (never a write resent on a stale keep-alive).

    With ``token`` every request carries ``Authorization: Token …``; after ``login`` it carries the session.
    """

    def __init__(self, port: int, token: str | None = None, timeout: float = 30) -> None:
        self.port, self.token, self.timeout = port, token, timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, payload: Any = None, *, form: Mapping[str, str] | None = None) -> Reply:
        headers = {"Accept": "application/json, text/html;q=0.9"}
        body: str | None = None
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if payload is not None:
            body, headers["Content-Type"] = json.dumps(payload), "application/json"
        if form is not None:
            body, headers["Content-Type"] = urllib.parse.urlencode(form), "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
                headers["Referer"] = f"http://127.0.0.1:{self.port}/"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        elapsed = time.perf_counter() - started
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        return Reply(
            response.status,
            data.decode("utf-8", "replace"),
            response.getheader("Content-Type", ""),
            elapsed,
            response.getheaders(),
        )

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, payload: Any = None) -> Reply:
        return self.request("POST", path, {} if payload is None else payload)

    def patch(self, path: str, payload: Any) -> Reply:
        return self.request("PATCH", path, payload)

    def login(self, username: str, password: str) -> None:
        """Log in through the log-in form, as a browser does (CSRF cookie first)."""
        self.request("GET", "/accounts/login/")
        reply = self.request(
            "POST",
            "/accounts/login/",
            form={"username": username, "password": password, "csrfmiddlewaretoken": self.cookies["csrftoken"]},
        )
        assert reply.status == 302, reply
        assert "sessionid" in self.cookies, reply


# ---------- processes ----------


class Process:
    """A command in a process group of its own, with its output in ``log``."""

    def __init__(self, name: str, command: list[str], env: Mapping[str, str], log: Path) -> None:
        self.name, self.command, self.env, self.log = name, command, dict(env), log
        self.popen: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.popen is not None, f"{self.name} is not running"
        return self.popen.pid

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def start(self) -> None:
        assert not self.running(), f"{self.name} is already running"
        with self.log.open("ab") as sink:  # appended: a restarted process keeps the story of its first life
            self.popen = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
            )

    def stop(self) -> None:
        if self.popen is not None:
            stop(self.popen)
            self.popen = None

    def kill(self) -> None:
        """SIGKILL to the whole group: no clean-up, no goodbye to the broker (a crash, an OOM kill)."""
        assert self.popen is not None
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)
        self.popen = None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def tail(self, chars: int = 3000) -> str:
        return f"--- {self.name} ({self.log}) ---\n{self.output()[-chars:]}"


def _procfile() -> dict[str, str]:
    from pitchlab.launcher import read_procfile

    return read_procfile(ROOT / "Procfile")


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, from /proc (parents before their children)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class RedisServer(Process):
    """A redis-server of our own on 127.0.0.1:<port>. ``stop()`` shuts it down as an operator does (SIGTERM);
    ``start()`` brings it back on the same port, with what was queued (append-only file, as in
    docker-compose.yml)."""

    def __init__(self, folder: Path) -> None:
        from pitchlab.launcher import redis_server_binary

        self.port = free_port()
        command = [str(redis_server_binary()), "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(folder)]
        command += ["--appendonly", "yes", "--appendfsync", "always", "--save", "", "--loglevel", "warning"]
        super().__init__("redis", command, os.environ, folder / "redis.log")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        super().start()
        wait_for_redis(self.url, timeout=15)

    def queue_length(self, queue: str) -> int:
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=2)
        try:
            # Celery's Redis transport keeps one list per priority step: "default", "default:1", … "default:9".
            return sum(int(client.llen(name)) for name in [queue, *(f"{queue}:{step}" for step in range(1, 10))])
        finally:
            client.close()


class WebServer(Process):
    """The Procfile's ``web`` line (gunicorn with 2 uvicorn workers unless ``env`` says otherwise)."""

    def __init__(self, env: Mapping[str, str], log: Path) -> None:
        self.port = free_port()
        env = {**env, "PORT": str(self.port), "PITCHLAB_HOST": "127.0.0.1"}
        super().__init__("web", ["/bin/sh", "-c", _procfile()["web"]], env, log)

    def start(self) -> None:
        super().start()

        def answers() -> bool:
            assert self.running(), self.tail()
            try:
                return Http(self.port, timeout=5).get("/accounts/login/").status == 200
            except OSError:
                return False

        wait_until(answers, timeout=60, what="the web server", interval=0.2)

    def client(self, token: str | None = None) -> Http:
        return Http(self.port, token)


class CeleryWorker(Process):
    """The Procfile's ``worker`` (default queue, prefork) or ``inference`` line."""

    def __init__(self, line: str, env: Mapping[str, str], log: Path) -> None:
        super().__init__(line, ["/bin/sh", "-c", _procfile()[line]], env, log)
        self.starts = 0

    def start(self) -> None:
        before = self.output().count(" ready.")
        super().start()
        self.starts += 1
        wait_until(
            lambda: self.output().count(" ready.") > before or not self.running(),
            timeout=60,
            what=f"the {self.name} worker to be ready",
            interval=0.2,
        )
        assert self.running(), self.tail()

    def main_pid(self) -> int:
        """The Celery main process (the Procfile line runs under ``sh -c``, which may or may not exec it)."""
        for pid in [self.pid, *descendants(self.pid)]:
            if "celery" in cmdline(pid) and not cmdline(pid).startswith("/bin/sh"):
                return pid
        raise AssertionError(f"no celery process under {self.pid}")

    def pool_children(self) -> list[int]:
        """The prefork pool's processes: the ones that run the tasks."""
        main = self.main_pid()
        return [pid for pid in descendants(main) if _parent(pid) == main]


def _parent(pid: int) -> int:
    try:
        return int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return -1


# ---------- PostgreSQL of our own ----------


def pg_binary(name: str) -> Path | None:
    """``initdb``/``pg_ctl`` from PATH or Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name)
    if found:
        return Path(found)
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return folder / name
    return None


class PostgresCluster:
    """A PostgreSQL cluster in a temporary folder on a free port (trust auth, user ``postgres``).

    PostgreSQL refuses to run as root: as root the cluster belongs to the ``postgres`` system user and
    its commands run as that user (runuser). The shared server on 5432 is never touched.
    """

    def __init__(self) -> None:
        initdb, pg_ctl = pg_binary("initdb"), pg_binary("pg_ctl")
        assert initdb, "initdb is not installed"
        assert pg_ctl, "pg_ctl is not installed"
        self.initdb, self.pg_ctl = initdb, pg_ctl
        self.port = free_port()
        # Not under pytest's tmp_path: its folders are root's alone and the postgres user must reach this one.
        self.folder = Path(tempfile.mkdtemp(prefix="pl-reliability-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            import pwd

            user = pwd.getpwnam("postgres")
            os.chmod(self.folder, 0o755)
            os.chown(self.folder, user.pw_uid, user.pw_gid)

    def _run(self, command: list[str], timeout: float = 60) -> None:
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, f"{' '.join(command)}: {done.stdout}{done.stderr}{self.log_text()}"

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def init(self) -> None:
        self._run(
            [str(self.initdb), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
            timeout=120,
        )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder}"
        # fsync stays on (the default): the test is about committed rows surviving a crash.
        self._run(
            [str(self.pg_ctl), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start"]
        )

    def stop(self, mode: str = "fast") -> None:
        """``immediate`` is a crash: no checkpoint, the next start replays the write-ahead log."""
        self._run([str(self.pg_ctl), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop"])

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # a name of our own: letters and underscores

    def remove(self) -> None:
        if self.running():
            with contextlib.suppress(AssertionError, subprocess.TimeoutExpired):
                self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)
