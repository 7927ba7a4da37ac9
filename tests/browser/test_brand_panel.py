"""The editor's brand kit panel as a founder uses it: a primary colour refused for contrast is explained at its
field and fixed in one click with the offered shade, which the deck page then draws with; a heading font chosen
stays chosen after a reload. Screenshots of the panel at 1280 and 390 px when PITCHLAB_SHOTS_DIR is set."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from pitchlab.decks.brand import deck_rules, nearest_readable
from pitchlab.pictures.models import Picture
from pitchlab.pictures.services import picture_upload
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create, pitch_write
from tests.browser.conftest import PASSWORD, logged_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ["PITCHLAB_SHOTS_DIR"]) if os.environ.get("PITCHLAB_SHOTS_DIR") else None
UNREADABLE = "#f5d90a"  # a bright yellow: titles in it cannot be read on the light themes


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def pitch() -> Pitch:
    founder = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    return pitch_create(owner=founder, name="Lumen")


def open_panel(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    panel = page.locator("[data-brand-panel]")
    expect(panel).to_be_visible()
    panel.scroll_into_view_if_needed()
    return page


def shoot(page: Page, name: str) -> None:
    if SHOTS is None:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-brand-panel]").screenshot(path=str(SHOTS / f"{name}.png"))


def stored(pitch: Pitch) -> dict[str, Any]:
    pitch.refresh_from_db()
    brand: dict[str, Any] = pitch.content["deck"]["brand"]
    return brand


def test_a_refused_colour_is_fixed_in_one_click_and_the_deck_uses_it(
    browser: Any, live_server: Any, pitch: Pitch
) -> None:
    rules = deck_rules()
    suggestion = nearest_readable(UNREADABLE, rules.uses["primary"], rules.backgrounds)
    assert suggestion is not None
    context = logged_in(browser, live_server.url)
    page = open_panel(context, f"{live_server.url}/pitches/{pitch.pk}/")
    panel = page.locator("[data-brand-panel]")
    shoot(page, "brand-1280")

    panel.locator('[data-brand-picker="primary"]').fill(UNREADABLE)  # the colour picker: input, then change
    error = panel.locator('[data-brand-error="primary"]')
    expect(error).to_be_visible()
    expect(error).to_contain_text(f"{UNREADABLE} on the light theme's background")
    expect(error).to_contain_text(f"The nearest readable shade is {suggestion}")
    expect(panel.locator('[data-brand-field="primary"]')).to_have_class(re.compile("has-error"))
    assert stored(pitch)["primary"] is None  # nothing stored
    offer = panel.locator('[data-brand-suggest="primary"]')
    expect(offer).to_have_text(f"Use {suggestion}")
    expect(page.locator("#save-status")).to_have_text("Not saved: fix the highlighted field")
    shoot(page, "brand-refused-1280")

    offer.click()
    expect(panel.locator("[data-brand-status]")).to_have_text("All changes saved")
    expect(error).to_be_hidden()
    expect(offer).to_be_hidden()
    expect(page.locator("#save-status")).to_have_text("All changes saved")
    expect(panel.locator('[data-brand-input="primary"]')).to_have_value(suggestion)
    assert stored(pitch)["primary"] == suggestion

    deck = context.new_page()
    deck.goto(f"{live_server.url}/pitches/{pitch.pk}/deck/")
    accent = deck.evaluate("() => getComputedStyle(document.body).getPropertyValue('--accent').trim()")
    assert accent == suggestion  # the light theme draws its accent in the brand's primary
    context.close()


def test_a_heading_font_is_saved_and_shown_after_a_reload(browser: Any, live_server: Any, pitch: Pitch) -> None:
    context = logged_in(browser, live_server.url)
    page = open_panel(context, f"{live_server.url}/pitches/{pitch.pk}/")
    panel = page.locator("[data-brand-panel]")
    heading = panel.locator('[data-brand-input="heading_font"]')
    heading.select_option("caladea")
    expect(panel.locator("[data-brand-status]")).to_have_text("All changes saved")
    assert stored(pitch)["heading_font"] == "caladea"
    # the preview's titles are set in the chosen face
    family = panel.locator("[data-brand-sample]").first.evaluate("(node) => getComputedStyle(node).fontFamily")
    assert family.startswith('"PL Caladea"')
    page.reload()
    expect(page.locator('[data-brand-input="heading_font"]')).to_have_value("caladea")
    expect(page.locator('[data-brand-input="body_font"]')).to_have_value("noto-sans")
    context.close()


def logo(pitch: Pitch, role: Picture.Role, colour: tuple[int, int, int]) -> Picture:
    buffer = io.BytesIO()
    Image.new("RGB", (360, 120), colour).save(buffer, format="PNG")
    return picture_upload(pitch=pitch, user=None, data=buffer.getvalue(), role=role, alt="Lumen")[0]


def test_a_logo_is_picked_at_phone_width(browser: Any, live_server: Any, pitch: Pitch) -> None:
    light = logo(pitch, Picture.Role.LOGO, (37, 99, 235))
    logo(pitch, Picture.Role.LOGO_DARK, (250, 250, 250))
    context = logged_in(browser, live_server.url, width=390)
    page = open_panel(context, f"{live_server.url}/pitches/{pitch.pk}/")
    panel = page.locator("[data-brand-panel]")
    choices = panel.locator('[data-brand-field="logo"] img')
    expect(choices).to_have_count(2)
    for index in range(2):
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=choices.nth(index).element_handle())
    panel.locator(f'[data-brand-logo="logo"][value="{light.pk}"]').check()
    expect(panel.locator("[data-brand-status]")).to_have_text("All changes saved")
    assert stored(pitch)["logo"] == light.pk
    shoot(page, "brand-390")
    # nothing of the panel reaches past the screen's edge
    overflow = panel.evaluate(
        "(panel) => [...panel.querySelectorAll('input, select, button, .brandkit-slide')]"
        ".filter((node) => node.offsetParent && node.getBoundingClientRect().right > window.innerWidth)"
        ".map((node) => node.outerHTML.slice(0, 80))"
    )
    assert overflow == []
    context.close()


def test_a_brand_kit_changed_elsewhere_is_not_overwritten(browser: Any, live_server: Any, pitch: Pitch) -> None:
    context = logged_in(browser, live_server.url)
    page = open_panel(context, f"{live_server.url}/pitches/{pitch.pk}/")
    panel = page.locator("[data-brand-panel]")
    pitch.refresh_from_db()  # a teammate saves another brand kit after this page was read
    pitch_write(pitch_id=pitch.pk, changes={"deck.brand": {"footer": "Theirs", "body_font": "lato"}}, base_version=0)

    panel.locator('[data-brand-input="heading_font"]').select_option("roboto")
    conflict = panel.locator("[data-brand-conflict]")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Footer text: Theirs")
    assert stored(pitch)["heading_font"] == "noto-sans"  # nothing overwritten
    conflict.get_by_role("button", name="Take theirs").click()
    expect(conflict).to_be_hidden()
    expect(panel.locator('[data-brand-input="footer"]')).to_have_value("Theirs")
    expect(panel.locator('[data-brand-input="body_font"]')).to_have_value("lato")
    expect(panel.locator('[data-brand-input="heading_font"]')).to_have_value("noto-sans")

    panel.locator('[data-brand-input="heading_font"]').select_option("roboto")  # based on theirs now: saved
    expect(panel.locator("[data-brand-status]")).to_have_text("All changes saved")
    assert (stored(pitch)["heading_font"], stored(pitch)["footer"]) == ("roboto", "Theirs")
    context.close()


def test_a_logo_uploaded_below_can_be_picked_without_a_reload(browser: Any, live_server: Any, pitch: Pitch) -> None:
    context = logged_in(browser, live_server.url)
    page = open_panel(context, f"{live_server.url}/pitches/{pitch.pk}/")
    panel = page.locator("[data-brand-panel]")
    expect(panel.locator("[data-brand-no-logo]").first).to_be_visible()
    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), (37, 99, 235)).save(buffer, format="PNG")
    page.locator('[data-picture-group="logo"] [data-picture-input]').set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": buffer.getvalue()}
    )
    uploaded = Picture.objects.filter(pitch=pitch, role="logo")
    expect(panel.locator('[data-brand-logo="logo"]')).to_have_count(2)
    expect(panel.locator("[data-brand-no-logo]").first).to_be_hidden()
    picture_id = uploaded.get().pk
    panel.locator(f'[data-brand-logo="logo_dark"][value="{picture_id}"]').check()
    expect(panel.locator("[data-brand-status]")).to_have_text("All changes saved")
    assert stored(pitch)["logo_dark"] == picture_id

    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(f'[data-picture-id="{picture_id}"] [data-picture-delete]').click()
    expect(panel.locator('[data-brand-logo="logo_dark"]')).to_have_count(1)  # "newest uploaded" only
    expect(panel.locator('[data-brand-logo="logo_dark"][value=""]')).to_be_checked()
    expect(panel.locator("[data-brand-status]")).to_have_text("All changes saved")
    assert stored(pitch)["logo_dark"] is None
    context.close()
