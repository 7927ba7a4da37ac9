"""The web deck in the themes: the brand's colours and fonts reach the slides, a band title is the brand primary."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from pitchlab.decks.themes import THEMES
from pitchlab.pitches.canvas import empty_brand
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a-long enough passphrase"
SHOTS = os.environ.get("PITCHLAB_SHOTS", "")  # a folder: screenshots of each theme and width are written there


def _rgb(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


@pytest.mark.parametrize("theme", ["bold", "midnight", "editorial"])
def test_the_web_deck_wears_the_theme_in_the_brand(browser: Any, live_server: Any, theme: str) -> None:
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    content = pitch.content
    content["deck"]["brand"] = {**empty_brand(), "primary": "#0f766e", "heading_font": "caladea", "footer": "Seed 2026"}
    Pitch.objects.filter(pk=pitch.pk).update(content=content)
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "ada")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/pitches/{pitch.pk}/deck/?theme={theme}")
        expect(page.locator(".slide:not([hidden]) .title-page")).to_be_visible()
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(SHOTS) / f"deck-{theme}-{width}-cover.png"))
        page.keyboard.press("ArrowRight")
        title = page.locator(".slide:not([hidden]) .slide-title")
        expect(title).to_be_visible()
        assert "PL Caladea" in title.evaluate("e => getComputedStyle(e).fontFamily")
        expect(page.locator(".slide:not([hidden]) .slide-footer")).to_contain_text("Seed 2026", ignore_case=True)
        if theme == "bold":
            assert title.evaluate("e => getComputedStyle(e).backgroundColor") == _rgb("#0f766e")
        fonts = page.locator("link[rel=stylesheet]").evaluate_all("links => links.map(l => l.href)")
        families = {href.rsplit("/", 1)[1].split(".")[0] for href in fonts if "/pitchlab/fonts/" in href}
        own = THEMES[theme].body_font
        assert families == {"caladea", own} - {"noto-sans"}  # the brand's heading, the theme's body: no other

        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"deck-{theme}-{width}-slide2.png"))
        context.close()
