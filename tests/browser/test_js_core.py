"""The browser core (static/pitchlab/api.js and dom.js) against the live server, in a real page that loads them:
a refusal surfaces the API's own reason, a time-out aborts, an upload reports its progress, and polling stops."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from pitchlab.demos.models import DemoModel
from pitchlab.pitches.services import pitch_create

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a-long enough passphrase"


@pytest.fixture
def page(browser: Any, live_server: Any) -> Any:
    """The owner's demo-models page (it loads dom.js and api.js), with a model to poll."""
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_create(owner=owner, name="Lumen")
    model = DemoModel.objects.create(
        pitch=pitch,
        name="Router",
        kind="text",
        source="sample",
        status="ready",
        artefact="sample-text",
        labels=["a", "b"],
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{live_server.url}/accounts/login/")
    tab.fill("#id_username", "ada")
    tab.fill("#id_password", PASSWORD)
    tab.click("button[type=submit]")
    tab.goto(f"{live_server.url}/pitches/{pitch.pk}/demo/")
    tab.wait_for_function("window.PitchLab && window.PitchLab.api && window.PitchLab.dom")
    tab.evaluate(
        f"window.t = {{ list: '/api/pitches/{pitch.pk}/demo-models/', model: '/api/demo-models/{model.pk}/' }}"
    )
    yield tab
    context.close()


def test_a_refusal_carries_the_apis_own_reason_and_status(page: Any) -> None:
    got = page.evaluate(
        """async () => {
          const api = window.PitchLab.api;
          const answer = await api.send("PATCH", t.model, { json: { name: "" } });
          const raw = await (await fetch(t.model, { method: "PATCH", credentials: "same-origin", body: '{"name": ""}',
            headers: { "Content-Type": "application/json", "X-CSRFToken": api.csrfToken() } })).json();
          let thrown = null;
          try { await api.json("PATCH", t.model, { json: { name: "" } }); } catch (e) { thrown = e; }
          return { ok: answer.ok, status: answer.status, reason: answer.error.reason, message: answer.message,
                   isError: answer.error instanceof api.ApiError, raw,
                   thrown: thrown && { name: thrown.name, status: thrown.status, reason: thrown.reason } };
        }"""
    )
    assert got["ok"] is False
    assert got["status"] == 400
    assert got["isError"] is True
    fields = got["raw"]["extra"]["fields"]
    expected = " ".join(message for messages in fields.values() for message in messages)
    assert got["reason"] == expected
    assert expected
    assert got["message"] == expected
    assert got["thrown"] == {"name": "ApiError", "status": 400, "reason": expected}


def test_a_request_past_its_time_out_is_aborted_and_said_so(page: Any) -> None:
    got = page.evaluate(
        """async () => {
          const api = window.PitchLab.api;
          const started = performance.now();
          const answer = await api.send("GET", t.list, { timeoutMs: 1 });
          const controller = new AbortController();
          const pending = api.send("GET", t.list, { signal: controller.signal, timeoutMs: 0 });
          controller.abort();
          const cancelled = await pending;
          return { ms: performance.now() - started, status: answer.status, timedOut: answer.error.timedOut,
                   message: answer.message, calm: answer.calm, aborted: cancelled.error.aborted,
                   cancelledMessage: cancelled.message };
        }"""
    )
    assert got["status"] == 0
    assert got["timedOut"] is True
    assert got["message"].startswith("No answer within")
    assert got["calm"] is True
    assert got["ms"] < 5000
    assert got["aborted"] is True
    assert got["cancelledMessage"] == ""


def test_an_upload_reports_its_progress_and_the_refusal(page: Any) -> None:
    got = page.evaluate(
        """async () => {
          const api = window.PitchLab.api;
          const form = new FormData();
          form.append("source", "upload");
          form.append("name", "Not a model");
          form.append("file", new Blob([new Uint8Array(3 * 1024 * 1024)]), "model.zip");
          const seen = [];
          const answer = await api.upload(t.list, form, { onProgress: (fraction) => seen.push(fraction) });
          return { seen, ok: answer.ok, status: answer.status, reason: answer.error && answer.error.reason };
        }"""
    )
    assert got["seen"], "no progress was reported"
    assert got["seen"][-1] == 1
    assert all(0 <= x <= 1 for x in got["seen"])
    assert got["seen"] == sorted(got["seen"])
    assert got["ok"] is False
    assert 400 <= got["status"] < 500
    assert got["reason"]  # why the zip was refused, in the API's words


def test_polling_stops_when_done_when_stopped_and_when_the_thing_is_gone(page: Any) -> None:
    got = page.evaluate(
        """async () => {
          const api = window.PitchLab.api;
          const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
          let untilDone = 0;
          api.poll({ url: t.model, intervalMs: 20, delay: 0, onData: () => { untilDone += 1; },
                     done: () => untilDone >= 3 });
          let stopped = 0;
          const stop = api.poll({ url: t.model, intervalMs: 20, delay: 0, onData: () => { stopped += 1; stop(); } });
          let reason = null;
          let gone = 0;
          api.poll({ url: t.model + "missing/", intervalMs: 20, delay: 0,
                     onData: () => { gone += 1; }, onGiveUp: (r) => { reason = r; } });
          await sleep(1500);
          const counts = [untilDone, stopped];
          await sleep(500);
          return { counts, after: [untilDone, stopped], reason, gone };
        }"""
    )
    assert got["counts"] == [3, 1]
    assert got["after"] == [3, 1]  # nothing asked after it stopped
    assert got["gone"] == 0
    assert got["reason"].startswith("The page stopped checking.")


def test_dom_helpers_set_text_never_html_delegate_and_announce(page: Any) -> None:
    got = page.evaluate(
        """async () => {
          const { h, setText, show, on, announce } = window.PitchLab.dom;
          const box = h("div", { class: "x", "data-k": 1, hidden: true }, "<b>a</b>", [h("span", { text: "<i>" })]);
          document.body.append(box);
          const clicks = [];
          on(box, "click", "[data-act]", (event, node) => clicks.push(node.dataset.act));
          const later = h("button", { "data-act": "late" }, h("em", { text: "inner" }));
          box.append(later);
          later.querySelector("em").click();
          setText(box.querySelector("span"), "<img src=x onerror=alert(1)>");
          show(box);
          announce("Saved.");
          await new Promise((r) => setTimeout(r, 200));
          const region = document.querySelector('[data-role="announcer"]');
          return { html: box.innerHTML, hidden: box.hidden, clicks, imgs: box.querySelectorAll("img, b, i").length,
                   live: region.getAttribute("aria-live"), said: region.textContent };
        }"""
    )
    assert got["imgs"] == 0
    assert "&lt;b&gt;a&lt;/b&gt;" in got["html"]
    assert got["hidden"] is False
    assert got["clicks"] == ["late"]
    assert got["live"] == "polite"
    assert got["said"] == "Saved."
