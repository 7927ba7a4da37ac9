"""The editor's slide list and undo as a founder uses them: a save keeps what the list has no column for (a layout,
an override, a custom slide's text), a layout is chosen from thumbnails, a custom slide is added and deleted, and
Ctrl+Z / Shift+Ctrl+Z undo and redo saved edits; the "?" sheet lists the keys."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Locator, Page, expect

from pitchlab.decks.slides import deck_settings
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import, pitch_write
from tests.browser.conftest import PASSWORD, logged_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SLIDES = '[data-unit="deck.slides"]'
SAVED = "All changes saved"


@pytest.fixture
def founder() -> User:
    return User.objects.create_user("ada", "ada@example.com", PASSWORD)


@pytest.fixture
def pitch(founder: User) -> Pitch:
    return pitch_import(owner=founder, document=template_document("support_nlp"))


def open_editor(context: BrowserContext, base: str, pitch: Pitch) -> Page:
    page = context.new_page()
    page.goto(f"{base}/pitches/{pitch.pk}/")
    expect(page.locator("#save-status")).to_have_text(SAVED)
    return page


def row(page: Page, kind: str) -> Locator:
    return page.locator(f'{SLIDES} tbody tr:has([data-key="kind"][data-value="{kind}"])')


def slide_rows(pitch: Pitch) -> list[dict[str, Any]]:
    pitch.refresh_from_db()
    value: list[dict[str, Any]] = pitch.content["deck"]["slides"]
    return value


def saved(page: Page) -> None:
    expect(page.locator("#save-status")).to_have_text(SAVED, timeout=10_000)


def set_slides(pitch: Pitch, **changes: dict[str, Any]) -> list[dict[str, Any]]:
    """The slide rows with ``changes`` by kind and a custom slide after the problem, written as the API does."""
    value: list[dict[str, Any]] = deck_settings(pitch.content)["slides"]
    for entry in value:
        entry.update(changes.get(entry["kind"], {}))
    at = next(index for index, entry in enumerate(value) if entry["kind"] == "problem") + 1
    mine = {"kind": "custom", "id": "pilot", "title": "Pilots", "notes": "", "seconds": None, "hidden": False}
    value.insert(
        at, {**mine, "layout": "quote", "overrides": {}, "bullets": ["Acme"], "text": "Three pilots.", "picture": None}
    )
    pitch_write(pitch_id=pitch.pk, base_version=pitch.version, changes={"deck.slides": value})
    return value


def test_editing_a_title_keeps_the_layout_overrides_and_custom_slides(
    browser: Any, live_server: Any, pitch: Pitch
) -> None:
    before = set_slides(pitch, problem={"layout": "quote"}, story={"overrides": {"heading.origin": "How it began"}})
    page = open_editor(logged_in(browser, live_server.url), live_server.url, pitch)

    row(page, "problem").locator('[data-key="title"]').fill("What hurts")
    saved(page)

    after = slide_rows(pitch)
    problem = next(entry for entry in after if entry["kind"] == "problem")
    assert (problem["title"], problem["layout"]) == ("What hurts", "quote")
    story = next(entry for entry in after if entry["kind"] == "story")
    assert story["overrides"] == {"heading.origin": "How it began"}
    custom = next(entry for entry in before if entry["kind"] == "custom")
    assert custom in after
    expect(row(page, "custom")).to_contain_text("Custom slide")


def test_a_layout_is_chosen_from_thumbnails(browser: Any, live_server: Any, pitch: Pitch) -> None:
    page = open_editor(logged_in(browser, live_server.url), live_server.url, pitch)
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    button = row(page, "problem").locator('[data-key="layout"]')
    expect(button).to_have_text("Automatic (Big number)")

    button.click()
    picker = page.locator("dialog.layout-picker")
    options = picker.locator(".layout-option")
    expect(options.first).to_contain_text("Automatic (Big number)")
    expect(options.first).to_have_attribute("aria-pressed", "true")
    expect(picker.locator("iframe.layout-thumb").first).to_be_attached()
    assert picker.locator("iframe.layout-thumb").first.get_attribute("sandbox") == "allow-same-origin"
    thumb = picker.locator("iframe.layout-thumb").first.content_frame
    expect(thumb.locator("section.slide")).to_be_visible()
    picker.locator('.layout-option[data-layout="quote"]').click()

    expect(picker).to_have_count(0)
    expect(button).to_have_text("Quote")
    saved(page)
    assert next(entry for entry in slide_rows(pitch) if entry["kind"] == "problem")["layout"] == "quote"
    assert refused == []  # the thumbnails' documents load the deck's styles under the page's policy


def test_a_custom_slide_is_added_and_deleted(browser: Any, live_server: Any, pitch: Pitch) -> None:
    page = open_editor(logged_in(browser, live_server.url), live_server.url, pitch)
    expect(row(page, "problem").locator(".row-remove")).to_have_count(0)  # a kind's row is not deleted

    page.locator(f"{SLIDES} [data-add-row]").click()
    saved(page)
    added = [entry for entry in slide_rows(pitch) if entry["kind"] == "custom"]
    assert len(added) == 1
    assert added[0]["title"] == "New slide"
    assert re.fullmatch(r"[a-z0-9]{8}", added[0]["id"])
    expect(row(page, "custom").locator('[data-key="kind"]')).to_have_text("Custom slide")

    row(page, "custom").locator(".row-remove").click()
    saved(page)
    assert [entry for entry in slide_rows(pitch) if entry["kind"] == "custom"] == []


def test_undo_and_redo_a_saved_edit_and_the_shortcut_sheet(browser: Any, live_server: Any, pitch: Pitch) -> None:
    page = open_editor(logged_in(browser, live_server.url), live_server.url, pitch)
    field = page.locator("#input-story\\.why_now")
    original = field.input_value()

    field.fill("Because models got cheap.")
    saved(page)
    page.locator("h1").click()  # out of the field: Ctrl+Z is the editor's
    page.keyboard.press("Control+z")
    expect(field).to_have_value(original)
    saved(page)
    pitch.refresh_from_db()
    assert pitch.content["story"]["why_now"] == original

    page.keyboard.press("Control+Shift+z")
    expect(field).to_have_value("Because models got cheap.")
    saved(page)
    pitch.refresh_from_db()
    assert pitch.content["story"]["why_now"] == "Because models got cheap."

    page.locator("[data-undo]").click()
    expect(field).to_have_value(original)
    saved(page)

    page.keyboard.press("?")
    sheet = page.locator("dialog.shortcut-sheet")
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text("Undo the last saved edit")
    expect(sheet).to_contain_text("Redo")


def test_ctrl_z_in_a_field_being_typed_in_is_the_browsers_own_undo(
    browser: Any, live_server: Any, pitch: Pitch
) -> None:
    page = open_editor(logged_in(browser, live_server.url), live_server.url, pitch)
    why_now = page.locator("#input-story\\.why_now")
    why_now.fill("Because models got cheap.")
    saved(page)  # one step on the editor's history
    origin = page.locator("#input-story\\.origin")
    before = origin.input_value()

    origin.evaluate("(field) => { field.focus(); field.setSelectionRange(field.value.length, field.value.length); }")
    page.keyboard.type("!")
    page.keyboard.press("Control+z")  # before the edit's save is sent: the letters typed

    expect(origin).to_have_value(before)
    saved(page)
    expect(why_now).to_have_value("Because models got cheap.")  # the editor's history was left alone


def test_undoing_a_unit_a_co_founder_wrote_since_asks_which_text_to_keep(
    browser: Any, live_server: Any, pitch: Pitch
) -> None:
    page = open_editor(logged_in(browser, live_server.url), live_server.url, pitch)
    page.locator("#input-story\\.why_now").fill("Mine.")
    saved(page)
    pitch.refresh_from_db()
    pitch_write(pitch_id=pitch.pk, base_version=pitch.version, changes={"story.why_now": "Theirs."})

    page.locator("h1").click()
    page.keyboard.press("Control+z")

    unit = page.locator('[data-unit="story.why_now"]')
    expect(unit.locator("[data-conflict] .theirs")).to_have_text("Theirs.", timeout=10_000)
    pitch.refresh_from_db()
    assert pitch.content["story"]["why_now"] == "Theirs."  # nothing overwritten silently


def test_the_presenter_view_lists_its_keys_on_the_shortcut_sheet(browser: Any, live_server: Any, pitch: Pitch) -> None:
    page = logged_in(browser, live_server.url).new_page()
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/present/")
    expect(page.locator("section.slide").first).to_be_attached()

    page.keyboard.press("?")

    sheet = page.locator("dialog.shortcut-sheet")
    expect(sheet).to_be_visible()
    for text in ("Next slide", "Previous slide", "Black screen", "Pause or resume the timer", "Pick an example"):
        expect(sheet).to_contain_text(text)
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
