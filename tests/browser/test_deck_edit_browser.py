"""The web deck's Edit mode as a founder uses it: typing on a slide saves to the canvas (and the canvas editor's
text shows on the slide), a generated title overridden and set back, two co-founders on the same text (the
conflict, "Keep mine") and on different texts of deck.slides (both kept, no question), undo and redo through the
canvas API, and Edit mode on a tablet's 768 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Locator, Page, expect

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch, PitchMember
from pitchlab.pitches.services import pitch_import
from tests.browser.conftest import PASSWORD, logged_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SAVED = "All changes saved"
STORY = 3  # the story slide's number in the sample deck: title, problem, story, …
SHOWN = "section.slide:not([hidden])"


@pytest.fixture
def pitch() -> Pitch:
    founder = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    return pitch_import(owner=founder, document=template_document("support_nlp"))


def open_deck(context: BrowserContext, base: str, pitch: Pitch, slide: int) -> Page:
    """The deck at ``slide`` in Edit mode."""
    page = context.new_page()
    page.goto(f"{base}/pitches/{pitch.pk}/deck/#{slide}")
    page.wait_for_load_state("load")
    toggle = page.locator("[data-edit-toggle]")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".deck-edit-status")).to_have_text(SAVED)
    return page


def text_at(page: Page, unit: str, pointer: str = "") -> Locator:
    return page.locator(f'{SHOWN} [data-edit-unit="{unit}"][data-edit-pointer="{pointer}"]').first


def retype(page: Page, node: Locator, text: str) -> None:
    """Replace a slide text's words as a founder does: click in, select all of it, type."""
    node.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text, delay=5)


def canvas(page: Page, pitch: Pitch) -> dict[str, Any]:
    """The pitch's canvas through the API, as the page's session reads it."""
    origin = page.url.split("/pitches/")[0]
    answer = page.request.get(f"{origin}/api/pitches/{pitch.pk}/canvas/")
    assert answer.ok
    content: dict[str, Any] = answer.json()["content"]
    return content


def row(content: dict[str, Any], key: str) -> dict[str, Any]:
    return next((r for r in content["deck"]["slides"] if r["kind"] == key), {})


def test_a_sentence_typed_on_the_slide_is_in_the_canvas_editor_and_back(
    browser: Any, live_server: Any, pitch: Pitch
) -> None:
    context = logged_in(browser, live_server.url)
    page = open_deck(context, live_server.url, pitch, STORY)
    origin = text_at(page, "story.origin")
    expect(origin).to_have_attribute("contenteditable", "plaintext-only")
    sentence = "I ran support for four years and watched tickets pile up every Monday."
    retype(page, origin, sentence)
    expect(page.locator(".deck-edit-status")).to_have_text("Saving…")
    expect(page.locator(".deck-edit-status")).to_have_text(SAVED, timeout=10_000)
    pitch.refresh_from_db()
    assert pitch.content["story"]["origin"] == sentence

    editor = context.new_page()
    editor.goto(f"{live_server.url}/pitches/{pitch.pk}/")
    expect(editor.locator("#input-story\\.origin")).to_have_value(sentence)
    reply = "Agents answered the same twenty questions all week."
    editor.fill("#input-story\\.conflict", reply)
    expect(editor.locator("#save-status")).to_have_text(SAVED, timeout=10_000)

    page.reload()
    expect(page.locator(SHOWN)).to_contain_text(reply)
    context.close()


def test_a_generated_title_overridden_is_marked_and_goes_back_to_generated(
    browser: Any, live_server: Any, pitch: Pitch
) -> None:
    context = logged_in(browser, live_server.url)
    page = open_deck(context, live_server.url, pitch, STORY)
    title = text_at(page, "deck.slides", "story/title")
    expect(title).to_have_text("Why we started")
    expect(title).to_have_attribute("data-edit-mark", "generated")
    retype(page, title, "How it began")
    expect(title).to_have_attribute("data-edit-mark", "edited")
    expect(page.locator(".deck-edit-status")).to_have_text(SAVED, timeout=10_000)
    assert row(canvas(page, pitch), "story")["title"] == "How it began"

    page.get_by_role("button", name="Back to generated").click()
    expect(text_at(page, "deck.slides", "story/title")).to_have_text("Why we started", timeout=10_000)
    expect(text_at(page, "deck.slides", "story/title")).to_have_attribute("data-edit-mark", "generated")
    assert row(canvas(page, pitch), "story")["title"] == ""
    context.close()


def test_two_cofounders_on_the_same_text_get_the_conflict_and_on_different_texts_both_land(
    browser: Any, live_server: Any, pitch: Pitch
) -> None:
    first_context = logged_in(browser, live_server.url)
    second_context = logged_in(browser, live_server.url)
    first = open_deck(first_context, live_server.url, pitch, STORY)
    second = open_deck(second_context, live_server.url, pitch, STORY)

    # The same text: the second to save is asked, with both texts; "Keep mine" saves mine.
    retype(first, text_at(first, "story.origin"), "The first founder's story.")
    expect(first.locator(".deck-edit-status")).to_have_text(SAVED, timeout=10_000)
    retype(second, text_at(second, "story.origin"), "The second founder's story.")
    note = second.locator(".deck-edit-note.is-conflict")
    expect(note.locator(".theirs")).to_have_text("The first founder's story.", timeout=10_000)
    expect(note.locator(".mine")).to_have_text("The second founder's story.")
    expect(second.locator(".deck-edit-status")).to_contain_text("Conflict")
    pitch.refresh_from_db()
    assert pitch.content["story"]["origin"] == "The first founder's story."  # not overwritten silently
    note.get_by_role("button", name="Keep mine").click()
    expect(second.locator(".deck-edit-status")).to_have_text(SAVED, timeout=10_000)
    pitch.refresh_from_db()
    assert pitch.content["story"]["origin"] == "The second founder's story."

    # Two slides' titles, both in deck.slides: the later write is made again on the earlier one, no question.
    retype(first, text_at(first, "deck.slides", "story/title"), "Where it started")
    expect(first.locator(".deck-edit-status")).to_have_text(SAVED, timeout=10_000)
    second.keyboard.press("Escape")
    second.keyboard.press("ArrowRight")  # the solution slide
    retype(second, text_at(second, "deck.slides", "solution/title"), "What we built")
    expect(second.locator(".deck-edit-status")).to_have_text(SAVED, timeout=10_000)
    expect(second.locator(".deck-edit-note.is-conflict")).to_have_count(0)
    content = canvas(second, pitch)
    assert row(content, "story")["title"] == "Where it started"
    assert row(content, "solution")["title"] == "What we built"
    first_context.close()
    second_context.close()


def test_undo_twice_restores_the_original_and_redo_brings_the_first_edit_back(
    browser: Any, live_server: Any, pitch: Pitch
) -> None:
    original = pitch.content["story"]["origin"]
    context = logged_in(browser, live_server.url)
    page = open_deck(context, live_server.url, pitch, STORY)
    status = page.locator(".deck-edit-status")
    retype(page, text_at(page, "story.origin"), "First edit.")
    page.keyboard.press("Escape")  # leaves the text: Ctrl+Z is the page's undo now
    retype(page, text_at(page, "deck.slides", "story/title"), "Second edit")
    page.keyboard.press("Enter")  # a one-line text: Enter ends the edit
    expect(status).to_have_text(SAVED, timeout=10_000)
    content = canvas(page, pitch)
    assert (content["story"]["origin"], row(content, "story")["title"]) == ("First edit.", "Second edit")

    page.keyboard.press("ControlOrMeta+z")
    expect(text_at(page, "deck.slides", "story/title")).to_have_text("Why we started", timeout=10_000)
    page.keyboard.press("ControlOrMeta+z")
    expect(text_at(page, "story.origin")).to_have_text(original, timeout=10_000)
    expect(status).to_have_text(SAVED, timeout=10_000)
    content = canvas(page, pitch)
    assert (content["story"]["origin"], row(content, "story")["title"]) == (original, "")

    page.keyboard.press("Shift+ControlOrMeta+z")
    expect(text_at(page, "story.origin")).to_have_text("First edit.", timeout=10_000)
    expect(status).to_have_text(SAVED, timeout=10_000)
    content = canvas(page, pitch)
    assert (content["story"]["origin"], row(content, "story")["title"]) == ("First edit.", "")
    context.close()


def test_edit_mode_at_a_tablets_width(browser: Any, live_server: Any, pitch: Pitch) -> None:
    context = logged_in(browser, live_server.url, width=768)
    page = context.new_page()
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/deck/#{STORY}")
    page.wait_for_load_state("load")
    page.keyboard.press("?")  # the deck's keys, Edit mode's among them
    sheet = page.locator("dialog.shortcut-sheet")
    expect(sheet).to_contain_text("Full screen on or off")
    expect(sheet).to_contain_text("Edit mode on or off")
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
    page.keyboard.press("e")
    expect(page.locator("[data-edit-toggle]")).to_have_attribute("aria-pressed", "true")
    panel = page.locator(".deck-edit-panel")
    expect(panel).to_be_visible()
    slide_box, panel_box = page.locator(SHOWN).bounding_box(), panel.bounding_box()
    assert slide_box is not None
    assert panel_box is not None
    assert panel_box["y"] >= slide_box["y"] + slide_box["height"] - 1  # the panel is below the slide
    retype(page, text_at(page, "story.origin"), "Typed on a tablet.")
    page.locator("[data-edit-notes]").fill("Pause after the Monday story.")
    expect(page.locator(".deck-edit-status")).to_have_text(SAVED, timeout=10_000)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    content = canvas(page, pitch)
    assert content["story"]["origin"] == "Typed on a tablet."
    assert row(content, "story")["notes"] == "Pause after the Monday story."
    context.close()


def test_edits_made_offline_are_kept_across_a_reload_and_sent_when_the_server_is_back(
    browser: Any, live_server: Any, pitch: Pitch
) -> None:
    context = logged_in(browser, live_server.url)
    page = open_deck(context, live_server.url, pitch, STORY)
    writes = f"**/api/pitches/{pitch.pk}/canvas/"
    page.route(writes, lambda route: route.abort() if route.request.method == "PATCH" else route.continue_())
    retype(page, text_at(page, "story.origin"), "Written on the train.")
    expect(page.locator(".deck-edit-status")).to_contain_text("Offline", timeout=10_000)
    kept = page.evaluate(f"localStorage.getItem('pitchlab:deck-edit:{pitch.pk}:pending')")
    assert "Written on the train." in kept
    pitch.refresh_from_db()
    assert pitch.content["story"]["origin"] != "Written on the train."

    page.unroute(writes)
    page.reload()  # the kept edit is applied again and sent
    page.locator("[data-edit-toggle]").click()
    expect(page.locator(".deck-edit-status")).to_have_text(SAVED, timeout=10_000)
    expect(text_at(page, "story.origin")).to_have_text("Written on the train.", timeout=10_000)
    pitch.refresh_from_db()
    assert pitch.content["story"]["origin"] == "Written on the train."
    assert page.evaluate(f"localStorage.getItem('pitchlab:deck-edit:{pitch.pk}:pending')") is None
    context.close()


def test_a_text_too_long_for_its_place_is_noted_and_a_refused_value_is_explained(
    browser: Any, live_server: Any, pitch: Pitch
) -> None:
    context = logged_in(browser, live_server.url)
    page = open_deck(context, live_server.url, pitch, STORY)
    text_at(page, "story.origin").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text("We answered the same questions again and again. " * 90)  # a paste
    expect(page.locator(".deck-edit-note.is-long")).to_contain_text("Longer than this layout holds")
    expect(page.locator(".deck-edit-status")).to_have_text(SAVED, timeout=10_000)

    page.locator("[data-edit-seconds]").fill("9999")
    expect(page.locator(".deck-edit-note.is-error")).to_be_visible(timeout=10_000)
    expect(page.locator(".deck-edit-status")).not_to_have_text(SAVED)
    page.locator("[data-edit-seconds]").fill("90")
    expect(page.locator(".deck-edit-status")).to_have_text(SAVED, timeout=10_000)
    expect(page.locator(".deck-edit-note.is-error")).to_have_count(0)
    assert row(canvas(page, pitch), "story")["seconds"] == 90
    context.close()


def test_a_viewer_and_the_audience_window_have_no_edit_mode(browser: Any, live_server: Any, pitch: Pitch) -> None:
    User.objects.create_user("grace", "grace@example.com", PASSWORD)
    PitchMember.objects.create(
        pitch=pitch, user=User.objects.get(username="grace"), role="viewer", invited_by=pitch.owner
    )
    context: BrowserContext = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "grace")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/deck/#{STORY}")
    page.wait_for_load_state("load")
    expect(page.locator(SHOWN)).to_have_attribute("data-kind", "story")
    expect(page.locator("[data-edit-toggle]")).to_have_count(0)
    expect(page.locator("[data-edit-unit]")).to_have_count(0)
    assert page.evaluate("!(window.PitchLab && window.PitchLab.deckEdit)")
    page.keyboard.press("?")
    expect(page.locator("dialog.shortcut-sheet")).to_contain_text("Next slide")
    page.close()

    founder = logged_in(browser, live_server.url)
    audience = founder.new_page()
    audience.goto(f"{live_server.url}/pitches/{pitch.pk}/deck/?audience=1")
    expect(audience.locator("main[data-audience]")).to_have_count(1)
    expect(audience.locator("[data-edit-unit]")).to_have_count(0)
    assert audience.evaluate("!document.getElementById('deck-edit-state')")
    context.close()
    founder.close()
