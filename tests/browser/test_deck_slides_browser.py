"""Edit mode's slide panel on the web deck, as a founder uses it: a custom slide added with a picture, titled on the
slide, moved along the strip, the moves undone and redone (the canvas checked after each step, then the PDF); a
layout chosen from the picker's thumbnails (the slide changes at once, the row has it after the save); a slide
hidden and shown again; a custom slide deleted."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect
from rest_framework.test import APIClient

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import
from tests.browser.test_pictures_panel import PASSWORD, logged_in, png

pytestmark = [pytest.mark.browser, pytest.mark.slow]

Rows = list[dict[str, Any]]


def key_of(row: dict[str, Any]) -> str:
    return f"custom-{row['id']}" if row["kind"] == "custom" else str(row["kind"])


def keys(rows: Rows) -> list[str]:
    return [key_of(row) for row in rows]


def founder_pitch() -> tuple[Pitch, APIClient]:
    founder = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_import(owner=founder, document=template_document("support_nlp"))
    api = APIClient()
    api.force_authenticate(founder)
    return pitch, api


def slides_when(api: APIClient, pitch: Pitch, holds: Callable[[Rows], bool], timeout: float = 15) -> Rows:
    """The stored ``deck.slides`` once ``holds`` is true of it (the writes are the page's, so they land a little
    after the click); fails with the last value seen."""
    deadline = time.monotonic() + timeout
    while True:
        rows: Rows = api.get(f"/api/pitches/{pitch.pk}/canvas/").json()["content"].get("deck", {}).get("slides", [])
        if holds(rows):
            return rows
        assert time.monotonic() < deadline, keys(rows)
        time.sleep(0.1)


def deck_in_edit_mode(context: Any, base: str, pitch: Pitch, slide: int = 1) -> Page:
    page: Page = context.new_page()
    page.goto(f"{base}/pitches/{pitch.pk}/deck/#{slide}")
    page.click("[data-edit-toggle]")
    expect(page.locator("[data-slides-panel]")).to_be_visible()
    return page


def strip_settled(page: Page, index: int, key: str) -> None:
    """The strip shows the slide of ``key`` at ``index`` (the deck was drawn again), and the undo step that did it
    has finished (the history takes no second step while one runs: its redraw ends a moment after the strip's)."""
    expect(page.locator("[data-strip-row]").nth(index)).to_have_attribute("data-strip-row", key)
    page.wait_for_timeout(500)


def custom_keys(rows: Rows) -> list[str]:
    return [key for key in keys(rows) if key.startswith("custom-")]


def test_a_custom_slide_with_a_picture_is_titled_moved_undone_redone_and_printed(
    browser: Any, live_server: Any, tmp_path: Path
) -> None:
    pitch, api = founder_pitch()
    upload = {"file": SimpleUploadedFile("shot.png", png(800, 500), content_type="image/png"), "role": "screenshot"}
    answer = api.post(f"/api/pitches/{pitch.pk}/pictures/", upload, format="multipart")
    assert answer.status_code == 201, answer.content
    picture = answer.json()["id"]
    context = logged_in(browser, live_server.url)
    page = deck_in_edit_mode(context, live_server.url, pitch)

    page.click("[data-add-slide]")
    rows = slides_when(api, pitch, lambda rows: len(custom_keys(rows)) == 1)
    custom = custom_keys(rows)[0]
    assert keys(rows)[:3] == ["title", custom, "problem"]
    section = page.locator(f'main [data-key="{custom}"]')
    expect(section).to_be_visible()  # Add slide goes to it

    page.click(f'[data-picture-choice="{picture}"]')
    slides_when(api, pitch, lambda rows: any(row.get("picture") == picture for row in rows))
    expect(page.locator(f'[data-picture-choice="{picture}"]')).to_have_attribute("aria-pressed", "true")
    expect(section.locator("img").first).to_be_visible()

    title = section.locator('[data-edit-part="title"]')
    title.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("Pilot with three banks")
    page.keyboard.press("Enter")
    slides_when(api, pitch, lambda rows: any(row.get("title") == "Pilot with three banks" for row in rows))

    item = page.locator(f'[data-strip-row="{custom}"]')
    item.focus()
    page.keyboard.press("Alt+ArrowRight")
    slides_when(api, pitch, lambda rows: keys(rows)[:3] == ["title", "problem", custom])
    expect(page.locator("[data-strip-row]").nth(2)).to_have_attribute("data-strip-row", custom)  # redrawn
    expect(item).to_be_focused()  # so the next Alt+→ moves it again
    page.keyboard.press("Alt+ArrowRight")
    slides_when(api, pitch, lambda rows: keys(rows)[:4] == ["title", "problem", "story", custom])
    expect(page.locator("[data-strip-row]").nth(3)).to_have_attribute("data-strip-row", custom)

    page.keyboard.press("Control+z")
    slides_when(api, pitch, lambda rows: keys(rows)[:3] == ["title", "problem", custom])
    strip_settled(page, 2, custom)
    page.keyboard.press("Control+z")
    slides_when(api, pitch, lambda rows: keys(rows)[:3] == ["title", custom, "problem"])
    strip_settled(page, 1, custom)
    page.keyboard.press("Shift+Control+z")
    rows = slides_when(api, pitch, lambda rows: keys(rows)[:3] == ["title", "problem", custom])
    assert next(row for row in rows if key_of(row) == custom)["title"] == "Pilot with three banks"
    strip_settled(page, 2, custom)
    context.close()

    from pitchlab.decks.services import export_render_pdf, pitch_print_pictures

    pitch.refresh_from_db()
    canvas = pitch.content
    data = export_render_pdf(
        name=pitch.name, canvas=canvas, theme="light", lang="en", **pitch_print_pictures(pitch=pitch, canvas=canvas)
    )
    target = tmp_path / "deck.pdf"
    target.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], check=True, capture_output=True, text=True).stdout
    pages = text.split("\f")
    assert "Pilot with three banks" in pages[2], pages[2][:400]  # page 3: title, problem, then the custom slide
    assert all("Pilot with three banks" not in page for index, page in enumerate(pages) if index != 2)


def test_a_layout_chosen_from_the_picker_shows_at_once_and_is_saved(browser: Any, live_server: Any) -> None:
    pitch, api = founder_pitch()
    context = logged_in(browser, live_server.url)
    page = deck_in_edit_mode(context, live_server.url, pitch, slide=2)
    choice = page.locator('[data-layout-choice="statement"]')
    expect(choice).to_be_visible()
    expect(choice.locator(".layout-frame .slide")).to_have_count(1)  # the slide itself, drawn small
    expect(page.locator('[data-layout-choice=""]')).to_have_attribute("aria-pressed", "true")  # Automatic

    # The swap happens in the click itself: no answer from the server is waited for.
    swapped = page.evaluate(
        """() => {
          document.querySelector('[data-layout-choice="statement"]').click();
          const section = document.querySelector('main [data-key="problem"]');
          return Boolean(section && !section.hidden && section.querySelector(".statement-body"));
        }"""
    )
    assert swapped
    expect(choice).to_have_attribute("aria-pressed", "true")
    rows = slides_when(api, pitch, lambda rows: any(row["kind"] == "problem" and row["layout"] for row in rows))
    assert next(row for row in rows if row["kind"] == "problem")["layout"] == "statement"
    expect(page.locator('main [data-key="problem"] .statement-body')).to_be_visible()

    page.reload()  # drawn by the server from the saved row
    page.click("[data-edit-toggle]")
    expect(page.locator('main [data-key="problem"] .statement-body')).to_be_visible()
    expect(page.locator('[data-layout-choice="statement"]')).to_have_attribute("aria-pressed", "true")
    context.close()


def test_a_slide_is_hidden_and_shown_and_a_custom_slide_deleted(browser: Any, live_server: Any) -> None:
    pitch, api = founder_pitch()
    context = logged_in(browser, live_server.url)
    page = deck_in_edit_mode(context, live_server.url, pitch, slide=3)
    expect(page.locator('main [data-key="story"]')).to_be_visible()
    count = page.locator("main section.slide").count()

    page.click("[data-hide-slide]")
    slides_when(api, pitch, lambda rows: any(row["kind"] == "story" and row["hidden"] for row in rows))
    expect(page.locator('main [data-key="story"]')).to_have_count(0)
    expect(page.locator("main section.slide")).to_have_count(count - 1)
    menu = page.locator("[data-hidden-slides]")
    expect(menu.locator("summary")).to_have_text("Hidden slides (1)")
    menu.locator("summary").click()
    menu.locator('[data-show="story"]').click()
    slides_when(api, pitch, lambda rows: any(row["kind"] == "story" and not row["hidden"] for row in rows))
    expect(page.locator('main [data-key="story"]')).to_have_count(1)
    expect(page.locator("[data-hidden-slides]")).to_be_hidden()

    page.click("[data-add-slide]")
    custom = custom_keys(slides_when(api, pitch, lambda rows: len(custom_keys(rows)) == 1))[0]
    expect(page.locator(f'main [data-key="{custom}"]')).to_be_visible()
    expect(page.locator("[data-delete-slide]")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-delete-slide]")
    slides_when(api, pitch, lambda rows: rows != [] and not custom_keys(rows))
    expect(page.locator(f'main [data-key="{custom}"]')).to_have_count(0)
    expect(page.locator("main section.slide")).to_have_count(count)
    context.close()


def test_a_kinds_slide_duplicated_gets_bullets_and_is_dragged_along_the_strip(browser: Any, live_server: Any) -> None:
    pitch, api = founder_pitch()
    context = logged_in(browser, live_server.url)
    page = deck_in_edit_mode(context, live_server.url, pitch, slide=3)
    story = page.locator('main [data-key="story"]')
    expect(story).to_be_visible()
    first_text = story.locator('[data-edit-part="text"]').first.inner_text().strip()

    page.click("[data-duplicate-slide]")
    rows = slides_when(api, pitch, lambda rows: len(custom_keys(rows)) == 1)
    copy = custom_keys(rows)[0]
    assert keys(rows)[2:4] == ["story", copy]
    row = next(row for row in rows if key_of(row) == copy)
    assert (row["title"], row["text"]) == ("Why we started", first_text)
    expect(page.locator(f'main [data-key="{copy}"]')).to_be_visible()  # the copy is on show

    page.click("[data-add-bullet]")
    slides_when(api, pitch, lambda rows: any(key_of(row) == copy and row["bullets"] == ["New point"] for row in rows))
    expect(page.locator(f'main [data-key="{copy}"]')).to_contain_text("New point")
    page.click("[data-add-bullet]")
    slides_when(api, pitch, lambda rows: any(key_of(row) == copy and len(row["bullets"]) == 2 for row in rows))
    page.click('[data-remove-bullet="0"]')
    slides_when(api, pitch, lambda rows: any(key_of(row) == copy and len(row["bullets"]) == 1 for row in rows))
    expect(page.locator(".slides-bullets li")).to_have_count(1)  # the slide drawn again: the panel is still

    page.locator(f'[data-strip-row="{copy}"]').drag_to(page.locator('[data-strip-row="problem"]'))
    slides_when(api, pitch, lambda rows: keys(rows)[:4] == ["title", copy, "problem", "story"])
    expect(page.locator("[data-strip-row]").nth(1)).to_have_attribute("data-strip-row", copy)
    context.close()


def test_a_refused_layout_says_why_and_the_slide_goes_back(browser: Any, live_server: Any) -> None:
    pitch, api = founder_pitch()
    context = logged_in(browser, live_server.url)
    page = deck_in_edit_mode(context, live_server.url, pitch, slide=2)
    expect(page.locator('[data-layout-choice="statement"] .layout-frame .slide')).to_have_count(1)
    refusal = "The problem slide has no layout 'statement'. Choose one of: big_number, quote."
    body = json.dumps({"message": refusal, "extra": {"fields": {}}})
    page.route(
        "**/api/pitches/*/canvas/",
        lambda route: (
            route.fulfill(status=400, content_type="application/json", body=body)
            if route.request.method == "PATCH"
            else route.continue_()
        ),
        times=1,
    )
    page.click('[data-layout-choice="statement"]')
    expect(page.locator("[data-layout-message]")).to_have_text(refusal)
    expect(page.locator('main [data-key="problem"] .statement-body')).to_have_count(0)  # drawn as it was
    expect(page.locator('[data-layout-choice=""]')).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".deck-edit-status")).to_have_text("All changes saved", timeout=10_000)
    rows = api.get(f"/api/pitches/{pitch.pk}/canvas/").json()["content"].get("deck", {}).get("slides", [])
    assert all(not row.get("layout") for row in rows)
    expect(page.locator("[data-layout-message]")).to_have_text(refusal)  # still there once the picker is redrawn
    context.close()
