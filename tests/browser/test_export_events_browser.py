"""SSE progress of an export reaches the page: the export panel follows the pitch's event stream instead of
re-fetching itself every second, and re-renders only when what it shows changed; with no EventSource in the
browser it still reaches the end, by polling the exports' JSON."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from playwright.sync_api import expect

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import
from tests.browser.conftest import PASSWORD, logged_in
from tests.conftest import _database_url
from tests.support import python_env, start, stop

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUIET_MS = 6500  # longer than the panel's "every 5s" net: a blind poll would show within it


@pytest.fixture
def start_worker(transactional_db: None, app_broker: str, tmp_path: Path) -> Iterator[Callable[[], None]]:
    """conftest's ``default_worker``, started when the test says: until then an export stays queued."""
    from django.db import connection

    procs: list[Any] = []

    def start_() -> None:
        env = python_env(
            DATABASE_URL=_database_url(connection.settings_dict),
            REDIS_URL=app_broker,
            PITCHLAB_VAR_DIR=str(settings.VAR_DIR),
            PITCHLAB_DB_CONN_MAX_AGE="0",
        )
        command = ["celery", "-A", "pitchlab", "worker", "-Q", "default", "-n", "test-sse@%h", "-P", "solo"]
        procs.append(start([*command, "-l", "INFO"], env, tmp_path / "worker.log"))

    yield start_
    for proc in procs:
        stop(proc)


@pytest.fixture
def pitch(transactional_db: None) -> Pitch:
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    return pitch_import(owner=owner, document=template_document("support_nlp"))


def _watch(page: Any) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    page.on("request", lambda request: seen.append((request.method, urlsplit(request.url).path)))
    return seen


def test_export_progress_comes_through_the_event_stream(
    browser: Any, live_server: Any, pitch: Pitch, start_worker: Callable[[], None]
) -> None:
    context = logged_in(browser, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/#section-deck")
    panel_path, events_path = f"/pitches/{pitch.pk}/exports/", f"/api/pitches/{pitch.pk}/exports/events/"
    poll_path = f"/api/pitches/{pitch.pk}/exports/"
    expect(page.locator("#exports")).to_have_count(1)
    panels: list[str] = []
    page.on("response", lambda r: panels.append(r.text()) if urlsplit(r.url).path == panel_path else None)
    seen = _watch(page)

    page.click("[data-export]")
    expect(page.locator(".export").first).to_have_attribute("data-status", "queued")
    expect(page.locator("#exports")).to_have_attribute("hx-trigger", "exports-changed")  # the timer is off
    page.wait_for_timeout(QUIET_MS)  # no worker yet: nothing changes, so nothing is fetched
    gets = [path for method, path in seen if method == "GET"]
    assert gets.count(events_path) == 1
    assert panel_path not in gets
    assert poll_path not in gets

    start_worker()
    row = page.locator(".export").first
    expect(row).to_have_attribute("data-status", "ready", timeout=90_000)
    expect(row.locator("[data-download]")).to_be_visible()
    gets = [path for method, path in seen if method == "GET"]
    assert poll_path not in gets  # the stream stayed healthy: the fallback never polled
    assert gets.count(events_path) == 1
    # Each re-render was asked for by an event that changed what the panel shows: no two alike in a row.
    assert panels, "the panel was never re-rendered"
    keys = [body.split('data-exports-key="', 1)[-1].split('"', 1)[0] for body in panels]
    assert all(a != b for a, b in itertools.pairwise(keys)), keys
    context.close()


def test_without_event_source_the_panel_still_reaches_the_end_by_polling(
    browser: Any, live_server: Any, pitch: Pitch, start_worker: Callable[[], None]
) -> None:
    start_worker()
    context = logged_in(browser, live_server.url)
    context.add_init_script("delete window.EventSource;")
    page = context.new_page()
    seen = _watch(page)
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/#section-deck")

    page.click("[data-export]")
    row = page.locator(".export").first
    expect(row).to_have_attribute("data-status", "ready", timeout=90_000)
    gets = [path for method, path in seen if method == "GET"]
    assert f"/api/pitches/{pitch.pk}/exports/events/" not in gets
    assert f"/api/pitches/{pitch.pk}/exports/" in gets  # api.stream fell back to api.poll
    context.close()
