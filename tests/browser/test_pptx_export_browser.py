"""A founder exports a PowerPoint file from the pitch's export panel (issue 19), with the keyboard, watches it
become ready, downloads it and the file opens with its slides and the company's name on the first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect
from pptx import Presentation

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.services import pitch_import
from tests.browser.conftest import PASSWORD, logged_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_founder_exports_and_downloads_a_powerpoint(
    browser: Any, live_server: Any, default_worker: Path, tmp_path: Path
) -> None:
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    context = logged_in(browser, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/#section-deck")

    choice = page.get_by_role("group", name="Export as")
    expect(choice.get_by_role("button", name="Export PDF")).to_be_visible()
    powerpoint = choice.get_by_role("button", name="Export PowerPoint")
    powerpoint.focus()
    page.keyboard.press("Enter")  # a plain button: the keyboard starts it as a click does

    row = page.locator(".export").first
    expect(row.locator(".export-kind")).to_have_text("PowerPoint")
    expect(row).to_have_attribute("data-status", "ready", timeout=90_000)
    expect(row.locator("[data-download]")).to_have_text("Download PowerPoint")
    with page.expect_download() as download_info:
        row.locator("[data-download]").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pptx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)

    slides = Presentation(str(target)).slides
    assert len(slides) > 5
    first = " ".join(shape.text_frame.text for shape in slides[0].shapes if shape.has_text_frame)
    assert pitch.name in first
    expect(row.locator(".export-state")).to_have_text(f"Ready · {len(slides)} slides")
    context.close()
