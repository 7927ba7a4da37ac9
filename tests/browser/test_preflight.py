"""The pre-flight before export and before share (issue 16 §2), in a real browser: a canvas with hype shows the
finding in a dialog, its fix link lands on the field with the cursor in it, and "anyway" goes ahead."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import, pitch_write
from pitchlab.sharing.models import ShareLink

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a-long enough passphrase"
HYPE = "Our revolutionary AI is 100 % accurate on every ticket."
SHOTS = Path(os.environ.get("PITCHLAB_SHOTS", "")) if os.environ.get("PITCHLAB_SHOTS") else None


def _hyped_pitch() -> Pitch:
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    changes = {"story.purpose": HYPE, "data.experiments": []}
    return pitch_write(pitch_id=pitch.pk, changes=changes, base_version=pitch.version)


def _login(page: Page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _shoot(page: Page, name: str) -> None:
    """Screenshots for a person to look at, when PITCHLAB_SHOTS names a folder."""
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))


def _inside_viewport(page: Page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width + 1


def test_export_shows_the_preflight_the_fix_link_focuses_the_field_and_export_anyway_exports(
    browser: Any, live_server: Any, default_worker: Path
) -> None:
    pitch = _hyped_pitch()
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, base)
    page.goto(f"{base}/pitches/{pitch.pk}/#section-deck")

    page.click("[data-export]")
    dialog = page.locator("dialog[data-preflight]")
    expect(dialog).to_be_visible()
    hype = dialog.locator("[data-preflight-code='hype']")
    expect(hype).to_contain_text("revolutionary")
    expect(
        dialog.locator("[data-preflight-code='unbacked_accuracy'][data-preflight-path='story.purpose']")
    ).to_be_visible()
    _inside_viewport(page, "dialog[data-preflight]")
    _shoot(page, "preflight-export-1280")
    assert page.locator(".export").count() == 0  # nothing was exported

    hype.locator("[data-preflight-fix]").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("[id='input-story.purpose']")).to_be_focused()
    expect(page.locator("[id='unit-story.purpose']")).to_be_in_viewport()

    page.click("[data-export]")
    expect(dialog).to_be_visible()
    dialog.locator("[data-export-anyway]").click()
    row = page.locator(".export").first
    expect(row).to_have_attribute("data-status", "ready", timeout=90_000)
    expect(page.locator("dialog[data-preflight]")).to_have_count(0)

    page.set_viewport_size({"width": 390, "height": 844})
    page.click("[data-export]")
    expect(dialog).to_be_visible()
    _inside_viewport(page, "dialog[data-preflight]")
    _inside_viewport(page, "dialog[data-preflight] [data-export-anyway]")
    _shoot(page, "preflight-export-390")
    context.close()


def test_share_shows_the_preflight_and_share_anyway_creates_the_link(browser: Any, live_server: Any) -> None:
    pitch = _hyped_pitch()
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, base)
    page.goto(f"{base}/pitches/{pitch.pk}/share/")
    page.fill("#id_label", "Acme Ventures")
    page.click("[data-share-create]")
    dialog = page.locator("dialog[data-preflight]")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-preflight-code='hype']")).to_contain_text("revolutionary")
    _shoot(page, "preflight-share-1280")
    assert not ShareLink.objects.exists()

    dialog.locator("[data-share-anyway]").click()
    card = page.locator("[data-share-link]").first
    expect(card.locator("[data-share-state]")).to_have_text("active")
    assert ShareLink.objects.get().label == "Acme Ventures"

    page.fill("#id_label", "Beta Capital")
    page.click("[data-share-create]")
    expect(dialog).to_be_visible()
    dialog.locator("[data-preflight-code='hype'] [data-preflight-fix]").click()
    page.wait_for_url(f"{base}/pitches/{pitch.pk}/#unit-story.purpose")
    expect(page.locator("[id='input-story.purpose']")).to_be_focused()
    assert ShareLink.objects.count() == 1
    context.close()
