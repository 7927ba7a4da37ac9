"""Benchmark of Edit mode on the web deck: a layout switch from the picker's thumbnails, and an in-place edit saved.

    .venv/bin/python bench/bench_layout_switch.py [--switches 30] [--edits 10] [--port 8798]

The support sample on a gunicorn started here (loopback, its own SQLite database in a temporary folder), driven by
headless Chromium (Debian's) through Playwright; the founder's deck opened in Edit mode on the problem slide.

- Layout switch: measured in the page (performance.now) from the click on a thumbnail to the first frame painted
  with the new slide in place (requestAnimationFrame after the swap, then a task: the paint has happened). The
  picker swaps the slide for the thumbnail's own HTML, so no request is on that path; the write to the canvas
  API follows. The slide alternates between two layouts; each switch waits for the previous one's save.
- In-place edit: the slide's title typed over (a dozen keys), measured in the page from the last keydown to the end
  of the canvas PATCH's answer (Resource Timing): the editor's 700 ms autosave window plus the write itself.

Reported: median and p95 of each, in ms.
"""

from __future__ import annotations

import argparse
import statistics
from typing import Any

# bench_deck sets the scene on import (a temporary PITCHLAB_VAR_DIR, SQLite, django.setup()): the same server,
# browser flags and log-in serve both benchmarks.
from bench_deck import ARGS, log_in, start_server
from django.core.management import call_command

from pitchlab.pitches.documents import template_document

LAYOUTS = ("statement", "text")
TARGET_MS = 100

SWITCH = """
async (name) => {
  const choice = document.querySelector(`[data-layout-choice="${name}"]`);
  const started = performance.now();
  choice.click();
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  const section = document.querySelector('main [data-key="problem"]');
  if (!section || section.hidden) throw new Error("the problem slide is not on show after the switch");
  return performance.now() - started;
}
"""
SAVED = "() => { const s = document.querySelector('.deck-edit-status'); return s && s.classList.contains('saved'); }"
MARK_KEYS = "() => document.addEventListener('keydown', () => { window.lastKeyAt = performance.now(); }, true)"
WRITE_DONE = """
() => {
  const writes = performance.getEntriesByType("resource")
    .filter((entry) => /\\/api\\/pitches\\/\\d+\\/canvas\\/$/.test(new URL(entry.name).pathname))
    .filter((entry) => entry.startTime >= window.lastKeyAt);
  return writes.length ? writes[writes.length - 1].responseEnd - window.lastKeyAt : null;
}
"""


def spread(values: list[float]) -> str:
    p95 = statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]
    return f"median {statistics.median(values):7.1f} ms   p95 {p95:7.1f} ms   (n={len(values)})"


def switches(page: Any, count: int) -> list[float]:
    samples = []
    for index in range(count):
        name = LAYOUTS[index % 2]
        page.wait_for_selector(f'[data-layout-choice="{name}"] .layout-frame .slide', state="attached")
        page.evaluate("() => { document.querySelector('.layout-choices').dataset.before = ''; }")
        samples.append(page.evaluate(SWITCH, name))
        page.wait_for_function(SAVED)
        # The picker's thumbnails, fetched and drawn again after the save, before the next switch.
        page.wait_for_function("() => !document.querySelector('.layout-choices[data-before]')")
        page.wait_for_selector(f'[data-layout-choice="{name}"][aria-pressed="true"]', state="attached")
        page.wait_for_timeout(100)
    return samples


def edits(page: Any, count: int) -> list[float]:
    page.evaluate(MARK_KEYS)
    title = page.locator('main [data-key="problem"] [data-edit-part="title"]').first
    samples = []
    for index in range(count):
        title.click()
        page.keyboard.press("Control+A")
        page.keyboard.type(f"The problem {index:02d}")
        page.wait_for_function(f"() => ({WRITE_DONE})() !== null", timeout=10_000)
        page.wait_for_function(SAVED)
        samples.append(page.evaluate(WRITE_DONE))
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--switches", type=int, default=30)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--port", type=int, default=8798)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.contrib.auth.models import User

    from pitchlab.pitches.services import pitch_import

    user = User.objects.create_user("bench", password="bench-password-123")
    document = template_document("support_nlp")
    assert document is not None
    pitch = pitch_import(owner=user, document=document)

    from playwright.sync_api import sync_playwright

    server = start_server(args.port)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            log_in(page, args.port)
            page.goto(f"http://127.0.0.1:{args.port}/pitches/{pitch.pk}/deck/#2")
            page.click("[data-edit-toggle]")
            switched = switches(page, args.switches)
            edited = edits(page, args.edits)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(f"support sample, problem slide, {LAYOUTS[0]} <-> {LAYOUTS[1]}; headless Chromium, gunicorn on loopback")
    print(f"layout switch, click -> new slide painted:  {spread(switched)}   target < {TARGET_MS} ms")
    print("  each switch, ms:", " ".join(f"{value:.0f}" for value in switched))
    print(f"in-place edit, last key -> the write's 200: {spread(edited)}")


if __name__ == "__main__":
    main()
