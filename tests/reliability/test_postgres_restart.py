"""PostgreSQL restarted during use: requests fail cleanly for the moment (a 503 in words, never a 500
traceback page), succeed again once it is back, and no accepted write is lost or half-written.

The database is a PostgreSQL cluster of the test's own (initdb in a temporary folder, a free port);
the shared server is never touched. It is stopped in "immediate" mode, PostgreSQL's crash (no
checkpoint: the next start replays the write-ahead log), while a client keeps writing through the
Procfile's web line (gunicorn with uvicorn workers, a connection per request, settings.py).

The client appends one word to a story field per write, so the field is the log of the writes that
landed: every write answered 200 must be in it, in order, each once, and the pitch's version must
count exactly the words.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from tests.reliability.stack import (
    Http,
    PostgresCluster,
    Process,
    RedisServer,
    Reply,
    WebServer,
    pg_binary,
    wait_until,
)
from tests.support import missing_service, python_env, run_python

pytestmark = pytest.mark.slow

PASSWORD = "a long and unguessable passphrase"
SEED = f"""
import json
import django

django.setup()
from django.contrib.auth.models import User
from django.core.management import call_command
from pitchlab.accounts.tokens import token_create
from pitchlab.pitches.services import pitch_create

call_command("migrate", interactive=False, verbosity=0)
user = User.objects.create_user("founder", "founder@example.com", {PASSWORD!r})
pitch = pitch_create(owner=user, name="Survivor")
print(json.dumps({{"token": token_create(user=user, name="restart test")[1], "pitch": pitch.pk}}))
"""


@pytest.fixture
def cluster() -> Iterator[PostgresCluster]:
    if pg_binary("initdb") is None or pg_binary("pg_ctl") is None:
        missing_service("PostgreSQL's initdb/pg_ctl are not installed (apt-get install postgresql)")
    pg = PostgresCluster()
    try:
        pg.init()
        pg.start()
        pg.create_database("pitchlab")
        yield pg
    finally:
        pg.remove()


@dataclass
class Writer:
    """Appends " w<n>" to story.vision, one read-then-write at a time, until told to stop."""

    api: Http
    canvas: str
    accepted: list[tuple[str, int]] = field(default_factory=list)  # (word, version it made)
    unavailable: list[str] = field(default_factory=list)  # words whose write got a 503
    bad: list[str] = field(default_factory=list)  # anything else: a 500, a 503 without words, a 409
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        """Like the editor's autosave: write from the state it holds, and read again only after a failure
        (a write that failed may still have landed)."""
        number, text, version, stale = 0, "", 0, True
        while not self.stop.is_set() and number < 1000:
            if stale:
                read = self.api.get(self.canvas)
                if read.status != 200:
                    self.check_unavailable(read, "GET")
                    time.sleep(0.1)
                    continue
                text, version, stale = read.json["content"]["story"]["vision"], read.json["version"], False
            word = f"w{number}"
            number += 1
            written = f"{text} {word}"
            reply = self.api.patch(self.canvas, {"base_version": version, "changes": {"story.vision": written}})
            if reply.status == 200:
                self.accepted.append((word, reply.json["version"]))
                text, version = written, reply.json["version"]
            else:
                self.check_unavailable(reply, f"PATCH {word}")
                self.unavailable.append(word)
                stale = True
            time.sleep(0.02)

    def check_unavailable(self, reply: Reply, what: str) -> None:
        if not (reply.status == 503 and reply.is_json() and "database" in reply.json["message"]):
            self.bad.append(f"{what}: {reply!r}")


def test_postgres_restarted_during_use(
    cluster: PostgresCluster, broker: RedisServer, tmp_path: Path, processes: list[Process]
) -> None:
    env = python_env(
        DATABASE_URL=cluster.url("pitchlab"),
        REDIS_URL=broker.url,
        PITCHLAB_VAR_DIR=str(tmp_path / "var"),
        DJANGO_SETTINGS_MODULE="pitchlab.settings",
    )
    seeded = run_python(["-c", SEED], **env)
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    ids = json.loads(seeded.stdout.strip().splitlines()[-1])
    web = WebServer(env, tmp_path / "web.log")
    processes.append(web)
    web.start()
    try:
        check_restart(web, cluster, ids["token"], int(ids["pitch"]))
    except BaseException:
        print(f"--- postgres ({cluster.log}) ---\n{cluster.log_text()}")
        raise


def check_restart(web: WebServer, cluster: PostgresCluster, token: str, pitch_id: int) -> None:
    canvas = f"/api/pitches/{pitch_id}/canvas/"
    start_version = web.client(token).get(canvas).json["version"]
    browser = web.client()
    browser.login("founder", PASSWORD)
    writer = Writer(web.client(token), canvas)
    thread = threading.Thread(target=writer.run)
    thread.start()
    try:
        wait_until(lambda: len(writer.accepted) >= 10, timeout=30, what="ten writes before the crash")

        cluster.stop("immediate")
        crashed_at = len(writer.accepted)

        # For the moment: a 503 in words, quickly, as JSON to the API and as a small page to a browser.
        api = web.client(token)
        reply = api.get(canvas)
        assert reply.status == 503, reply
        assert reply.is_json(), reply
        assert "database" in reply.json["message"]
        assert reply.seconds < 5, f"{reply.seconds:.1f} s"
        assert reply.header("Retry-After") == "5"
        page = browser.get(f"/pitches/{pitch_id}/")
        assert page.status == 503, page
        assert page.content_type.startswith("text/html"), page
        assert "cannot be reached right now" in page.text
        assert "Traceback" not in page.text
        health = api.get("/healthz")
        assert health.status == 503, health
        assert "database" in health.json["failing"]
        wait_until(lambda: writer.unavailable, timeout=10, what="the writer to meet the outage")

        cluster.start()

        # …and then they succeed again, through the same web server.
        wait_until(lambda: len(writer.accepted) >= crashed_at + 10, timeout=40, what="ten writes after the restart")
        assert browser.get(f"/pitches/{pitch_id}/").status == 200
    finally:
        writer.stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()

    assert writer.bad == [], writer.bad[:5]
    final = web.client(token).get(canvas).json
    words = final["content"]["story"]["vision"].split()
    accepted = [word for word, _ in writer.accepted]
    # Every accepted write is there, in order, once; a write answered 503 is there only if it committed
    # just as the server went away (the client could not be told), and then once too.
    assert len(words) == len(set(words))
    assert [word for word in words if word in set(accepted)] == accepted
    assert set(words) - set(accepted) <= set(writer.unavailable)
    # One version per landed write, no more, no less; the last accepted write is the state.
    assert final["version"] == start_version + len(words)
    assert writer.accepted[-1][1] == final["version"]
    assert [version for _, version in writer.accepted] == sorted({version for _, version in writer.accepted})
    assert web.client(token).get(f"/api/pitches/{pitch_id}/revisions/").status == 200


# ---------- the answer itself, in-process (runs on SQLite too) ----------


def _answer(path: str, accept: str, exception: Exception) -> HttpResponse | None:
    from pitchlab.core.unavailable import DatabaseUnavailableMiddleware

    request = RequestFactory().get(path, HTTP_ACCEPT=accept)
    return DatabaseUnavailableMiddleware(lambda request: HttpResponse()).process_exception(request, exception)


@pytest.mark.parametrize("error", [OperationalError("server closed the connection"), InterfaceError("closed")])
def test_an_api_call_without_its_database_is_a_503_in_json(error: Exception) -> None:
    response = _answer("/api/pitches/1/canvas/", "*/*", error)
    assert response is not None
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = json.loads(response.content)
    assert "database cannot be reached" in body["message"]
    assert body["extra"] == {"retry_after": 5}


def test_a_page_without_its_database_is_a_small_503_page() -> None:
    response = _answer("/pitches/1/", "text/html,application/xhtml+xml", OperationalError("the database is starting"))
    assert response is not None
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Back in a moment" in page
    assert "database cannot be reached" in page
    assert "the database is starting" not in page  # the driver's words go to the log, not to the visitor


def test_other_errors_are_left_alone() -> None:
    assert _answer("/api/pitches/1/canvas/", "*/*", ValueError("a bug")) is None
    assert _answer("/api/pitches/1/canvas/", "*/*", IntegrityError("a duplicate")) is None


@pytest.mark.parametrize(
    ("path", "accept", "json_answer"),
    [
        ("/d/some-token/predict/", "*/*", True),  # the audience's API, outside /api/
        ("/d/some-token/", "text/html", False),  # the audience's page
        ("/pitches/1/", "application/json", True),  # a script that asked for JSON
    ],
)
def test_json_or_a_page_as_the_caller_expects(path: str, accept: str, json_answer: bool) -> None:
    from django.urls import resolve

    from pitchlab.core.unavailable import DatabaseUnavailableMiddleware

    request = RequestFactory().get(path, HTTP_ACCEPT=accept)
    request.resolver_match = resolve(path)
    response = DatabaseUnavailableMiddleware(lambda request: HttpResponse()).process_exception(
        request, OperationalError("down")
    )
    assert response is not None
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json" if json_answer else "text/html")
