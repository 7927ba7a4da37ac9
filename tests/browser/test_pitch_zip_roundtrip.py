"""A founder exports a pitch with pictures from the editor (a zip, as the button says) and imports it back from
the dashboard: the new pitch has the same pictures."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from PIL import Image
from playwright.sync_api import expect

from pitchlab.pictures.models import Picture
from pitchlab.pictures.services import picture_upload
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create

pytestmark = [pytest.mark.browser]

PASSWORD = "a-long enough passphrase"


def _png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 120), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_zip_export_downloads_and_imports_back_with_its_pictures(
    browser: Any, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_create(owner=owner, name="Lumen")
    picture_upload(pitch=pitch, user=owner, data=_png("teal"), role=Picture.Role.LOGO, alt="Lumen logo")
    picture_upload(pitch=pitch, user=owner, data=_png("orange"), role=Picture.Role.SCREENSHOT, alt="The app")
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")

    page.goto(f"{live_server.url}/pitches/{pitch.pk}/")
    link = page.locator("[data-export-link]")
    expect(link).to_have_text("Export with pictures (.zip)")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"pitch-{pitch.pk}.zip"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    with zipfile.ZipFile(target) as zipped:
        assert {"pitch.json", "pictures/manifest.json"} <= set(zipped.namelist())
    if os.environ.get("PITCHLAB_SHOTS"):  # for looking at the pages by hand: PITCHLAB_SHOTS=<folder>
        page.screenshot(path=f"{os.environ['PITCHLAB_SHOTS']}/editor-1280.png")

    page.goto(f"{live_server.url}/")
    page.set_input_files("#id_document", str(target))
    page.click("#id_document ~ button[type=submit]")
    expect(page.locator("body")).to_contain_text("“Lumen” imported.")
    copy = Pitch.objects.exclude(pk=pitch.pk).get()
    assert sorted(copy.pictures.values_list("alt", flat=True)) == ["Lumen logo", "The app"]
    if os.environ.get("PITCHLAB_SHOTS"):
        page.goto(f"{live_server.url}/")
        page.screenshot(path=f"{os.environ['PITCHLAB_SHOTS']}/dashboard-1280.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=f"{os.environ['PITCHLAB_SHOTS']}/dashboard-390.png", full_page=True)
        page.goto(f"{live_server.url}/pitches/{copy.pk}/")
        page.screenshot(path=f"{os.environ['PITCHLAB_SHOTS']}/editor-390.png")
    context.close()
