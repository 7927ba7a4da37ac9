"""A founder exports the PDF from the editor, watches it become ready, downloads it and opens the web deck."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.services import pitch_import

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a-long enough passphrase"


def test_export_progress_download_and_web_deck(
    browser: Any, live_server: Any, default_worker: Path, tmp_path: Path
) -> None:
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/#section-deck")

    page.click("[data-export]")
    row = page.locator(".export").first
    expect(row).to_have_attribute("data-status", "ready", timeout=90_000)
    with page.expect_download() as download_info:
        row.locator("[data-download]").click()
    target = tmp_path / "deck.pdf"
    download_info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")

    with context.expect_page() as deck_info:
        page.get_by_role("link", name="Open the web deck").click()
    deck = deck_info.value
    deck.wait_for_load_state("load")  # deck.js has attached its key handlers (the first slide shows before it)
    expect(deck.locator("[data-slide]:visible")).to_have_attribute("data-kind", "title")
    deck.keyboard.press("ArrowRight")
    expect(deck.locator("[data-slide]:visible")).to_have_attribute("data-kind", "problem")
    expect(deck.locator("[data-position]")).to_have_text("2 / 14")
    deck.keyboard.press("End")
    expect(deck.locator("[data-slide]:visible")).to_have_attribute("data-kind", "ask")
    expect(deck.locator('[data-chart="funds"] svg')).to_be_visible()
    context.close()
