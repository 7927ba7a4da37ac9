"""A worker killed (SIGKILL) in the middle of a PDF export: the export is redelivered and finishes.

The export task is acknowledged late and rejected (requeued) when the process running it dies
(settings.CELERY_TASK_ACKS_LATE, CELERY_TASK_REJECT_ON_WORKER_LOST), so the render is not lost with
its process; the founder polling the export through the API sees it done, with its PDF.
"""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path
from typing import Any

import pytest

from pitchlab.decks.models import DeckExport
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.services import pitch_import
from tests.reliability.conftest import Founder, default_worker
from tests.reliability.stack import CeleryWorker, Http, Process, WebServer, poll, wait_until

pytestmark = pytest.mark.slow

# The deck's ~14 slides then take a few seconds to render: long enough to kill the render half-way.
SLIDE_DELAY_MS = "250"


def export_state(api: Http, export_id: int) -> dict[str, Any]:
    reply = api.get(f"/api/exports/{export_id}/")
    assert reply.status == 200, reply
    return dict(reply.json)


def test_an_export_whose_worker_process_is_killed_mid_render_is_redelivered_and_finishes(
    founder: Founder, web: WebServer, app_env: dict[str, str], tmp_path: Path, processes: list[Process]
) -> None:
    worker = default_worker(app_env, tmp_path / "worker.log", PITCHLAB_TEST_EXPORT_SLIDE_DELAY_MS=SLIDE_DELAY_MS)
    processes.append(worker)
    worker.start()
    pitch = pitch_import(owner=founder.user, document=template_document("medical_imaging"))
    api = web.client(founder.token)

    created = api.post(f"/api/pitches/{pitch.pk}/exports/", {"lang": "zh"})
    assert created.status == 202, created
    export_id = created.json["id"]
    (child,) = worker.pool_children()  # concurrency 1: the one process that runs every task

    # Half-way: rendering, some slides drawn and not all.
    def half_way() -> dict[str, Any] | None:
        state = export_state(api, export_id)
        return state if state["status"] == "rendering" and 0 < state["progress"] < 60 else None

    before = wait_until(half_way, timeout=40, what="the export to be half-rendered", interval=0.05)
    os.kill(child, signal.SIGKILL)

    done = poll(
        lambda: export_state(api, export_id),
        lambda state: state["status"] in ("ready", "failed"),
        timeout=60,
        what="the redelivered export to finish",
    )
    log = worker.output()
    assert done["status"] == "ready", (done, worker.tail())
    assert done["progress"] == 100
    assert done["pages"] >= 14
    assert done["download_url"] == f"/api/exports/{export_id}/download/"
    # The kill landed in the middle of the task, and the task ran again in a new pool process.
    assert "WorkerLostError" in log, worker.tail()
    assert "signal 9 (SIGKILL)" in log, worker.tail()
    assert 0 < before["progress"] < 100
    assert worker.running()
    assert child not in worker.pool_children()
    # One export, one file: the redelivery finished the same row instead of leaving a stuck one behind.
    export = DeckExport.objects.get(pk=export_id)
    assert DeckExport.objects.filter(pitch=pitch).count() == 1
    assert Path(export.file.path).read_bytes().startswith(b"%PDF")

    # The founder downloads it from the page's link, logged in as in a browser.
    browser = web.client()
    browser.login("founder", founder.password)
    pdf = browser.get(done["download_url"])
    assert pdf.status == 200, pdf
    assert pdf.content_type == "application/pdf"
    assert pdf.text.startswith("%PDF")


def test_an_export_whose_whole_worker_is_killed_goes_to_the_next_worker(
    founder: Founder, web: WebServer, app_env: dict[str, str], tmp_path: Path, processes: list[Process]
) -> None:
    """The whole worker dies (its main process too: a killed container, a lost machine), so nobody is left to
    requeue the task: it stays handed out until the broker's visibility timeout, then the next worker takes it.
    The timeout is one hour by default; here a few seconds (PITCHLAB_BROKER_VISIBILITY_TIMEOUT)."""
    env = {**app_env, "PITCHLAB_BROKER_VISIBILITY_TIMEOUT": "6", "PITCHLAB_TEST_EXPORT_SLIDE_DELAY_MS": SLIDE_DELAY_MS}
    first = default_worker(env, tmp_path / "first-worker.log")
    processes.append(first)
    first.start()
    pitch = pitch_import(owner=founder.user, document=template_document("support_nlp"))
    api = web.client(founder.token)
    created = api.post(f"/api/pitches/{pitch.pk}/exports/")
    assert created.status == 202, created
    export_id = created.json["id"]
    poll(
        lambda: export_state(api, export_id),
        lambda state: state["status"] == "rendering" and state["progress"] > 0,
        timeout=40,
        what="the export to be rendering",
        interval=0.05,
    )

    first.kill()
    assert export_state(api, export_id)["status"] == "rendering"  # nobody is left to say otherwise

    second = default_worker(env, tmp_path / "second-worker.log")
    processes.append(second)
    second.start()
    done = poll(
        lambda: export_state(api, export_id),
        lambda state: state["status"] in ("ready", "failed"),
        timeout=60,
        what="the next worker to finish the export",
    )
    assert done["status"] == "ready", (done, second.tail())
    assert done["progress"] == 100
    assert f"export_render[{created_task(first)}] received" in second.output()
    assert Path(DeckExport.objects.get(pk=export_id).file.path).read_bytes().startswith(b"%PDF")


def created_task(worker: CeleryWorker) -> str:
    """The id of the export task the worker had received (from its log)."""
    found = re.search(r"export_render\[([0-9a-f-]+)\] received", worker.output())
    assert found, worker.tail()
    return found.group(1)
