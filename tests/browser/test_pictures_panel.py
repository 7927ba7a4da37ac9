"""The editor's Pictures panel as a founder uses it: a logo by file, screenshots by paste and by drop, refusals at
the control, the focal point by keyboard, alt text and delete; a viewer sees the pictures and no control."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from PIL import Image
from playwright.sync_api import BrowserContext, Locator, Page, expect

from pitchlab.pictures.models import Picture
from pitchlab.pictures.services import picture_upload
from pitchlab.pitches.models import Pitch, PitchMember
from pitchlab.pitches.services import pitch_create

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long enough passphrase"
SHOTS = Path(os.environ["PITCHLAB_SHOTS_DIR"]) if os.environ.get("PITCHLAB_SHOTS_DIR") else None

# An image drawn in the page (a canvas), handed over as a File in a DataTransfer: what a paste or a drop carries.
MAKE_FILE = """
async ([name, color]) => {
  const canvas = document.createElement("canvas");
  canvas.width = 480; canvas.height = 270;
  const g = canvas.getContext("2d");
  g.fillStyle = color; g.fillRect(0, 0, 480, 270);
  g.fillStyle = "#fff"; g.fillRect(40, 40, 200, 120);
  const blob = await new Promise((done) => canvas.toBlob(done, "image/png"));
  const data = new DataTransfer();
  data.items.add(new File([blob], name, { type: "image/png" }));
  return data;
}
"""


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def founder() -> User:
    return User.objects.create_user("ada", "ada@example.com", PASSWORD)


@pytest.fixture
def pitch(founder: User) -> Pitch:
    return pitch_create(owner=founder, name="Lumen")


def png(width: int, height: int, color: tuple[int, int, int] = (37, 99, 235)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


def logged_in(browser: Any, base: str, username: str = "ada", width: int = 1280) -> BrowserContext:
    context: BrowserContext = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="My pitches")).to_be_visible()
    page.close()
    return context


def open_panel(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    panel = page.locator("[data-pictures-panel]")
    expect(panel).to_be_visible()
    panel.scroll_into_view_if_needed()
    return page


def group(page: Page, role: str) -> Locator:
    return page.locator(f'[data-picture-group="{role}"]')


def expect_thumbnails_loaded(items: Locator, count: int) -> None:
    expect(items).to_have_count(count)
    for index in range(count):
        img = items.nth(index).locator("img")
        expect(img).to_have_attribute("srcset", re.compile(r"w=320 320w"))
        img.page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=img.element_handle())


def shoot(page: Page, name: str) -> None:
    if SHOTS is None:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-pictures-panel]").screenshot(path=str(SHOTS / f"{name}.png"))


def test_a_logo_by_file_and_screenshots_by_paste_and_by_drop_are_stored_and_shown(
    browser: Any, live_server: Any, pitch: Pitch
) -> None:
    context = logged_in(browser, live_server.url)
    page = open_panel(context, f"{live_server.url}/pitches/{pitch.pk}/")
    shoot(page, "empty-1280")

    logo = group(page, "logo")
    logo.locator("[data-picture-input]").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": png(400, 200)}
    )
    expect_thumbnails_loaded(logo.locator("[data-picture]"), 1)
    expect(logo.locator("[data-picture-drop]")).to_be_hidden()  # one logo: its box goes until it is deleted

    shots = group(page, "screenshot")
    zone = shots.locator("[data-picture-drop]")
    zone.focus()
    pasted = page.evaluate_handle(MAKE_FILE, ["pasted.png", "#0f766e"])
    zone.evaluate(
        "(zone, data) => zone.dispatchEvent(new ClipboardEvent('paste', "
        "{ clipboardData: data, bubbles: true, cancelable: true }))",
        pasted,
    )
    expect_thumbnails_loaded(shots.locator("[data-picture]"), 1)

    dropped = page.evaluate_handle(MAKE_FILE, ["dropped.png", "#b45309"])
    zone.dispatch_event("dragover", {"dataTransfer": dropped})
    zone.dispatch_event("drop", {"dataTransfer": dropped})
    expect_thumbnails_loaded(shots.locator("[data-picture]"), 2)
    expect(zone).to_be_visible()  # screenshots: several

    assert sorted(Picture.objects.filter(pitch=pitch).values_list("role", flat=True)) == [
        "logo",
        "screenshot",
        "screenshot",
    ]
    assert {(p.width, p.height) for p in Picture.objects.filter(role="screenshot")} == {(480, 270)}
    shoot(page, "pictures-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "pictures-390")
    context.close()


def test_a_refused_file_shows_the_reason_at_its_control_and_stores_nothing(
    browser: Any, live_server: Any, pitch: Pitch, settings: Any
) -> None:
    settings.PICTURE_MAX_PIXELS = 10_000
    context = logged_in(browser, live_server.url)
    page = open_panel(context, f"{live_server.url}/pitches/{pitch.pk}/")

    logo = group(page, "logo")
    logo.locator("[data-picture-input]").set_input_files(
        {"name": "notes.png", "mimeType": "image/png", "buffer": b"Just some notes, not a picture.\n" * 20}
    )
    expect(logo.get_by_role("alert")).to_have_text(
        "This file is not an image PitchLab can read: send a PNG, JPEG or WebP image."
    )
    expect(logo.locator("[data-picture-drop]")).to_be_visible()

    shots = group(page, "screenshot")
    shots.locator("[data-picture-input]").set_input_files(
        {"name": "huge.png", "mimeType": "image/png", "buffer": png(200, 200)}
    )
    expect(shots.get_by_role("alert")).to_contain_text("The image is 200×200 pixels; the limit is 0.01 megapixels.")
    expect(logo.get_by_role("alert")).to_be_visible()  # each refusal stays at its own control
    expect(page.locator("[data-pictures-panel] [data-picture]")).to_have_count(0)
    assert not Picture.objects.exists()
    shoot(page, "error-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "error-390")
    context.close()


def test_the_focal_point_moves_with_the_arrow_keys_and_is_saved_once(
    browser: Any, live_server: Any, pitch: Pitch, founder: User
) -> None:
    picture, _ = picture_upload(
        pitch=pitch, user=founder, data=png(640, 360), role=Picture.Role.SCREENSHOT, alt="The dashboard"
    )
    context = logged_in(browser, live_server.url)
    page = open_panel(context, f"{live_server.url}/pitches/{pitch.pk}/")
    patches: list[str] = []
    page.on("request", lambda request: patches.append(request.url) if request.method == "PATCH" else None)

    marker = group(page, "screenshot").locator("[data-picture-focal]")
    expect(marker).to_have_attribute("aria-label", re.compile("50% from the left, 50% from the top"))
    marker.focus()
    marker.press("ArrowRight")
    marker.press("ArrowRight")
    marker.press("Shift+ArrowDown")
    expect(marker).to_have_attribute("aria-label", re.compile("60% from the left, 51% from the top"))
    announcer = page.locator("[data-role=announcer]")
    expect(announcer).to_have_text("Focal point saved: 60% from the left, 51% from the top.")
    picture.refresh_from_db()
    assert (picture.focal_x, picture.focal_y) == pytest.approx((0.6, 0.51))

    # keys pressed faster than the pause: one save, of where the marker came to rest
    patches.clear()
    marker.evaluate(
        """(marker) => ["ArrowLeft", "ArrowLeft", "ArrowLeft", "ArrowUp"].forEach((key) =>
          marker.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true })))"""
    )
    announcer = page.locator("[data-role=announcer]")
    expect(announcer).to_have_text("Focal point saved: 45% from the left, 46% from the top.")
    picture.refresh_from_db()
    assert (picture.focal_x, picture.focal_y) == pytest.approx((0.45, 0.46))
    assert len(patches) == 1

    # a click on the thumbnail puts the point where it lands
    box = group(page, "screenshot").locator("[data-picture-img]").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.75)
    expect(page.locator("[data-role=announcer]")).to_have_text(
        re.compile(r"Focal point saved: 2[456]% from the left, 7[456]% from the top\.")
    )
    picture.refresh_from_db()
    assert picture.focal_x == pytest.approx(0.25, abs=0.01)
    assert picture.focal_y == pytest.approx(0.75, abs=0.01)
    context.close()


def test_alt_text_is_saved_and_a_deleted_picture_leaves_no_row(
    browser: Any, live_server: Any, pitch: Pitch, founder: User
) -> None:
    picture, _ = picture_upload(pitch=pitch, user=founder, data=png(300, 300), role=Picture.Role.LOGO, alt="")
    context = logged_in(browser, live_server.url)
    page = open_panel(context, f"{live_server.url}/pitches/{pitch.pk}/")
    logo = group(page, "logo")
    expect(logo.locator("[data-picture-drop]")).to_be_hidden()

    logo.locator("[data-picture-alt]").fill("Lumen's logo")
    logo.locator("[data-picture-alt]").press("Tab")
    expect(page.locator("[data-role=announcer]")).to_have_text("Alt text saved.")
    expect(logo.locator("img")).to_have_attribute("alt", "Lumen's logo")
    picture.refresh_from_db()
    assert picture.alt == "Lumen's logo"

    page.once("dialog", lambda dialog: dialog.dismiss())
    logo.locator("[data-picture-delete]").click()
    expect(logo.locator("[data-picture]")).to_have_count(1)  # dismissed: nothing deleted
    page.once("dialog", lambda dialog: dialog.accept())
    logo.locator("[data-picture-delete]").click()
    expect(logo.locator("[data-picture]")).to_have_count(0)
    expect(logo.locator("[data-picture-drop]")).to_be_visible()
    expect(logo.locator("[data-picture-drop]")).to_be_focused()
    assert not Picture.objects.filter(pk=picture.pk).exists()
    context.close()


def test_a_viewer_sees_the_pictures_and_no_control(browser: Any, live_server: Any, pitch: Pitch, founder: User) -> None:
    picture_upload(pitch=pitch, user=founder, data=png(400, 300), role=Picture.Role.HEADSHOT, alt="Ada, CEO")
    viewer = User.objects.create_user("vera", "vera@example.com", PASSWORD)
    PitchMember.objects.create(pitch=pitch, user=viewer, role="viewer", invited_by=founder)
    context = logged_in(browser, live_server.url, username="vera")
    page = open_panel(context, f"{live_server.url}/pitches/{pitch.pk}/")

    headshots = group(page, "headshot")
    expect_thumbnails_loaded(headshots.locator("[data-picture]"), 1)
    expect(headshots.locator("img")).to_have_attribute("alt", "Ada, CEO")
    panel = page.locator("[data-pictures-panel]")
    for control in ("[data-picture-input]", "[data-picture-drop]", "[data-picture-delete]", "[data-picture-alt]"):
        expect(panel.locator(control)).to_have_count(0)
    expect(panel.locator("[data-picture-focal]")).to_have_count(0)
    expect(page.locator('script[src*="pictures.js"]')).to_have_count(0)
    context.close()
