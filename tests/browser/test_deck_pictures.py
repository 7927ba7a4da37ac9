"""The pitch's pictures in the decks as a founder meets them: a logo uploaded by file and a screenshot by paste in the
editor show on the web deck's title and solution slides and are embedded in the exported PDF at print resolution;
the title, problem, solution and team slides keep their pictures and words on the slide in light and dark themes."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from pitchlab.pictures.models import Picture
from pitchlab.pictures.services import picture_upload
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import, pitch_write
from pitchlab.sharing import services
from tests.browser.conftest import without_beacons
from tests.browser.test_pictures_panel import PASSWORD, expect_thumbnails_loaded, logged_in, png

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(os.environ["PITCHLAB_SHOTS_DIR"]) if os.environ.get("PITCHLAB_SHOTS_DIR") else None
# A screenshot drawn in the page (a canvas) at a size a real one has, handed over as a File in a DataTransfer: what
# a paste carries.
PASTED = """
async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 1600; canvas.height = 1000;
  const g = canvas.getContext("2d");
  g.fillStyle = "#0f766e"; g.fillRect(0, 0, 1600, 1000);
  g.fillStyle = "#fff"; g.fillRect(120, 120, 900, 500);
  const blob = await new Promise((done) => canvas.toBlob(done, "image/png"));
  const data = new DataTransfer();
  data.items.add(new File([blob], "pasted.png", { type: "image/png" }));
  return data;
}
"""
LOADED = "(imgs) => imgs.every((img) => img.complete && img.naturalWidth > 0)"


def shown_slide(page: Page, kind: str) -> None:
    """Go to the slide of ``kind`` (its number in the URL's hash, as a typed #7 does) and wait for its pictures."""
    number = page.locator(f'[data-slide][data-kind="{kind}"]').get_attribute("data-slide")
    page.evaluate("(number) => { location.hash = number; }", number)
    slide = page.locator(f'[data-slide="{number}"]')
    expect(slide).to_be_visible()
    page.wait_for_function(LOADED, arg=slide.locator("img").element_handles())


def pdf_images(path: Path) -> list[dict[str, str]]:
    """``pdfimages -list``'s rows as dicts keyed by its header (page, width, height, x-ppi, …)."""
    lines = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True).stdout
    header, _rule, *rows = lines.splitlines()
    names = header.split()
    return [dict(zip(names, row.split(), strict=False)) for row in rows if row.strip()]


def test_a_logo_by_file_and_a_screenshot_by_paste_reach_the_web_deck_and_the_pdf(
    browser: Any, live_server: Any, default_worker: Path, tmp_path: Path
) -> None:
    founder = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_import(owner=founder, document=template_document("support_nlp"))
    context = logged_in(browser, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/")
    panel = page.locator("[data-pictures-panel]")
    panel.scroll_into_view_if_needed()

    logo = panel.locator('[data-picture-group="logo"]')
    logo.locator("[data-picture-input]").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": png(600, 200, (79, 70, 229))}
    )
    expect_thumbnails_loaded(logo.locator("[data-picture]"), 1)
    zone = panel.locator('[data-picture-group="screenshot"] [data-picture-drop]')
    zone.focus()
    pasted = page.evaluate_handle(PASTED)
    zone.evaluate(
        "(zone, data) => zone.dispatchEvent(new ClipboardEvent('paste', "
        "{ clipboardData: data, bubbles: true, cancelable: true }))",
        pasted,
    )
    expect_thumbnails_loaded(panel.locator('[data-picture-group="screenshot"] [data-picture]'), 1)
    logo_id, shot_id = (Picture.objects.get(pitch=pitch, role=role).pk for role in ("logo", "screenshot"))

    deck = context.new_page()
    deck.goto(f"{live_server.url}/pitches/{pitch.pk}/deck/")
    deck.wait_for_load_state("load")
    title_logo = deck.locator('[data-kind="title"] img.title-logo')
    expect(title_logo).to_be_visible()
    expect(title_logo).to_have_attribute("src", re.compile(rf"/pictures/{logo_id}/file/\?v="))
    assert title_logo.evaluate("(img) => img.naturalWidth") > 0
    shown_slide(deck, "solution")
    shot = deck.locator('[data-kind="solution"] .pictures img')
    expect(shot).to_be_visible()
    expect(shot).to_have_attribute("src", re.compile(rf"/pictures/{shot_id}/file/\?v="))
    assert shot.evaluate("(img) => img.naturalWidth") > 0
    assert re.search(r"w=(160|320|640|1280|1600)$", shot.evaluate("(img) => img.currentSrc"))  # its own width at most
    solution = int(deck.locator('[data-kind="solution"]').get_attribute("data-slide") or 0)

    # The PDF in a theme chosen at the export: both pictures embedded, near the print resolution.
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/#section-deck")
    page.select_option("select[name=theme]", "dark")
    page.click("[data-export]")
    row = page.locator(".export").first
    expect(row).to_have_attribute("data-status", "ready", timeout=90_000)
    expect(row).to_contain_text("dark")
    with page.expect_download() as download:
        row.locator("[data-download]").click()
    target = tmp_path / "deck.pdf"
    download.value.save_as(target)
    listed = pdf_images(target)
    pages = {int(image["page"]) for image in listed}
    assert {1, solution} <= pages, listed  # the logo on the cover, the screenshot on the solution page
    for image in listed:
        if image["type"] == "smask":  # a logo's transparency: the same placement
            continue
        ppi = float(image["x-ppi"])
        assert 144 <= ppi <= 400, image  # sharp in print, and no more pixels than print needs
    context.close()


@pytest.fixture
def pictured(transactional_db: None, settings: Any, tmp_path: Path) -> Pitch:
    """A pitch of six team members (three with headshots), a logo and a dark variant, a cover and two screenshots."""
    settings.MEDIA_ROOT = tmp_path / "media"
    founder = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    document = template_document("support_nlp")
    assert document is not None
    team = document["canvas"]["team"]
    team += [dict(team[index], name=name) for index, name in ((0, "Lin Wei"), (1, "Sam Okafor"))]
    pitch = pitch_import(owner=founder, document=document)
    uploads = [
        ("logo", "Lumen logo", png(640, 160, (79, 70, 229))),
        ("logo_dark", "Lumen logo", png(640, 160, (224, 231, 255))),
        ("cover", "The support floor", png(1600, 1000, (13, 148, 136))),
        ("screenshot", "The routed inbox", png(1440, 900, (241, 245, 249))),
        ("screenshot", "Why a ticket was routed", png(1440, 900, (186, 230, 253))),
        ("headshot", team[0]["name"], png(400, 400, (180, 83, 9))),
        ("headshot", team[2]["name"], png(400, 400, (21, 94, 117))),
        ("headshot", "Lin Wei", png(400, 500, (99, 102, 241))),
    ]
    for role, alt, data in uploads:
        picture_upload(pitch=pitch, user=founder, data=data, role=Picture.Role(role), alt=alt)
    return pitch


INSIDE = """(slide) => {
  const box = slide.getBoundingClientRect();
  const parts = slide.querySelectorAll(
    "img, .person, .statement-text, .metric, .big-number-value, .big-number-label, .title-page h1, .slide-footer");
  return [...parts].filter((el) => {
    const r = el.getBoundingClientRect();
    return r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
  }).map((el) => el.className || el.tagName).concat(
    // a column that clips its words (overflow: hidden) has run off the slide too
    [...slide.querySelectorAll(".slide-text, .statement-body")].filter((el) => el.scrollHeight > el.clientHeight + 1)
      .map((el) => `${el.className} clipped`));
}"""


@pytest.mark.parametrize("theme", ["light", "dark", "bold", "midnight", "editorial"])
def test_the_pictured_slides_keep_everything_on_the_slide(
    browser: Any, live_server: Any, pictured: Pitch, theme: str
) -> None:
    context = logged_in(browser, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/pitches/{pictured.pk}/deck/?theme={theme}")
    page.wait_for_load_state("load")
    dark = theme in ("dark", "midnight")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800 if width > 400 else 844})
        for kind in ("title", "problem", "solution", "team"):
            shown_slide(page, kind)
            slide = page.locator(f'[data-kind="{kind}"]')
            assert slide.evaluate(INSIDE) == [], (theme, width, kind)
            if SHOTS is not None:
                SHOTS.mkdir(parents=True, exist_ok=True)
                slide.screenshot(path=str(SHOTS / f"{theme}-{width}-{kind}.png"))
        # the logo of the page's darkness: the dark variant on dark pages
        footer_logo = page.locator('[data-kind="team"] .footer-logo')
        variant = Picture.objects.get(pitch=pictured, role="logo_dark" if dark else "logo")
        expect(footer_logo).to_have_attribute("src", re.compile(rf"/pictures/{variant.pk}/"))
    cards = page.locator('[data-kind="team"] .person')
    expect(cards).to_have_count(6)
    expect(page.locator('[data-kind="team"] img.person-photo')).to_have_count(3)
    # The problem with the size of the pain sets the figure huge (big number) beside the pain...
    expect(page.locator('[data-kind="problem"] .big-number-body .big-number-value')).to_have_count(1)
    expect(page.locator('[data-kind="problem"] .big-number-body .statement-text')).to_have_count(1)
    # ...and the founder's statement layout sets the pain large with the figure beside it.
    pitch_write(
        pitch_id=pictured.pk,
        changes={"deck.slides": [{"kind": "problem", "layout": "statement"}]},
        base_version=pictured.version,
    )
    page.reload()
    page.wait_for_load_state("load")
    expect(page.locator('[data-kind="problem"] .statement-aside .metric')).to_have_count(1)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800 if width > 400 else 844})
        shown_slide(page, "problem")
        assert page.locator('[data-kind="problem"]').evaluate(INSIDE) == [], (theme, width, "statement")
    context.close()


def test_the_share_page_shows_the_pictures_through_its_link(browser: Any, live_server: Any, pictured: Pitch) -> None:
    link = services.share_link_create(pitch=pictured, user=pictured.owner, label="Acme Ventures")
    context = without_beacons(browser.new_context(viewport={"width": 1280, "height": 800}))
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/s/{link.token}/")
    for kind in ("title", "solution", "team"):
        shown_slide(page, kind)
        if SHOTS is not None:
            page.screenshot(path=str(SHOTS / f"share-1280-{kind}.png"))
    pictures = [url for url in requested if "/pictures/" in url]
    assert pictures
    assert all(f"/s/{link.token}/pictures/" in url for url in pictures), pictures
    assert not [url for url in requested if "/api/" in url]
    context.close()
