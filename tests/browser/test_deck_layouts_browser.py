"""Every slide layout in a browser: at 1280 px each layout keeps every word inside its slide in two themes; on a
phone (390 x 844) every slide of the web deck and of the share page reflows: its words at least 14 px, its titles
larger, nothing wider than the screen; the presenter view and the audience window keep their 16:9 slide.

The deck's rows take each layout their kind offers in turn (written as the editor writes them, ``deck.slides``),
so every layout is drawn for the blocks a real slide has. With PITCHLAB_SHOTS_DIR set, screenshots land there.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page

from pitchlab.decks.slides import ALL_LAYOUTS, layout_choices
from pitchlab.pictures.models import Picture
from pitchlab.pictures.services import picture_upload
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import, pitch_write
from pitchlab.sharing import services
from tests.browser.conftest import without_beacons
from tests.browser.test_pictures_panel import PASSWORD, logged_in, png

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(os.environ["PITCHLAB_SHOTS_DIR"]) if os.environ.get("PITCHLAB_SHOTS_DIR") else None
KINDS: tuple[str, ...] = ("problem", "story", "solution", "demo", "traction", "market", "competition", "performance")
KINDS += ("business", "team", "risks", "roadmap", "ask")

# Each slide shown alone in turn (as the deck shows it): the texts whose box leaves the slide's, by class or tag.
OUTSIDE = """(slide) => {
  const box = slide.getBoundingClientRect();
  const texts = slide.querySelectorAll("h1, h2, h3, p, li, td, strong, blockquote, .metric span, .person-role");
  return [...texts].filter((el) => {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || !el.textContent.trim()) return false;
    return r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
  }).map((el) => `${el.tagName}.${el.className} ${el.textContent.trim().slice(0, 30)}`).concat(
    // a column that clips its words (overflow: hidden) has lost some of them inside the slide
    [...slide.querySelectorAll(".slide-text, .statement-body, .picture-full")]
      .filter((el) => el.scrollHeight > el.clientHeight + 1).map((el) => `${el.className} clipped`));
}"""
# On a phone: words under 14 px, titles not larger than the words, anything wider than the screen.
PHONE = """(slide) => {
  const small = [], wide = [];
  const body = slide.querySelectorAll("p, li, dd, dt, td, h3, blockquote, .metric span, .person-role, .person-name");
  for (const el of body) {
    if (!el.getClientRects().length || !el.textContent.trim()) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 14) small.push(`${el.tagName}.${el.className} ${size}px ${el.textContent.trim().slice(0, 30)}`);
  }
  for (const el of slide.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.left < -1 || r.right > innerWidth + 1)) wide.push(`${el.tagName}.${el.className}`);
  }
  const title = slide.querySelector("h1, h2");
  const titleSize = title ? parseFloat(getComputedStyle(title).fontSize) : 99;
  return { small, wide, titleSize, page: document.documentElement.scrollWidth <= innerWidth };
}"""
SHOW = """(number) => {
  document.querySelectorAll("[data-slide]").forEach((s) => { s.hidden = s.dataset.slide !== String(number); });
}"""
PHOTO = "The team"


@pytest.fixture
def founder(transactional_db: None) -> User:
    return User.objects.create_user("ada", "ada@example.com", PASSWORD)


@pytest.fixture
def pitch(founder: User, settings: Any, tmp_path: Path) -> Pitch:
    """The support sample with a logo, a cover, a screenshot, two headshots and a team photo, key points on every
    slide kind and two custom slides (a picture with words, many bullets)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    document = template_document("support_nlp")
    assert document is not None
    team = document["canvas"]["team"]
    pitch = pitch_import(owner=founder, document=document)
    uploads = [
        ("logo", "Lumen logo", png(640, 160, (79, 70, 229))),
        ("cover", "The support floor", png(1600, 1000, (13, 148, 136))),
        ("screenshot", "The routed inbox", png(1440, 900, (241, 245, 249))),
        ("headshot", team[0]["name"], png(400, 400, (180, 83, 9))),
        ("headshot", team[1]["name"], png(400, 400, (21, 94, 117))),
    ]
    for role, alt, data in uploads:
        picture_upload(pitch=pitch, user=founder, data=data, role=Picture.Role(role), alt=alt)
    picture_upload(
        pitch=pitch, user=founder, data=png(1200, 800, (99, 102, 241)), role=Picture.Role("cover"), alt=PHOTO
    )
    return pitch


def rows(round_: int, photo: int) -> list[dict[str, Any]]:
    """The deck's rows in round ``round_``: each kind (and each custom slide) in the next layout it offers."""

    def layout(kind: str) -> str:
        choices = layout_choices(kind)
        return choices[round_ % len(choices)]

    kinds: list[dict[str, Any]] = [
        {"kind": kind, "layout": layout(kind), "bullets": ["Routed in 40 ms", "No rule to maintain"]} for kind in KINDS
    ]
    custom: list[dict[str, Any]] = [
        {
            "kind": "custom",
            "id": "photo",
            "title": "On the floor",
            "text": "Agents answer twice as many tickets.",
            "picture": photo,
            "layout": layout("custom"),
        },
        {
            "kind": "custom",
            "id": "plan",
            "title": "The plan",
            "layout": layout("custom"),
            "bullets": [f"Step {n}: ship the part that matters most next" for n in range(1, 8)],
        },
    ]
    return [*kinds, *custom]


ROUNDS = max(len(layout_choices(kind)) for kind in (*KINDS, "custom"))


def write_round(pitch: Pitch, round_: int) -> dict[str, str]:
    """Write round ``round_``'s rows as the editor does; each row's layout by its key."""
    pitch.refresh_from_db()
    written = rows(round_, Picture.objects.get(pitch=pitch, alt=PHOTO).pk)
    pitch_write(pitch_id=pitch.pk, changes={"deck.slides": written}, base_version=pitch.version)
    return {f"custom-{row['id']}" if row["kind"] == "custom" else row["kind"]: row["layout"] for row in written}


def slides(page: Page) -> list[tuple[int, str]]:
    return [
        (int(s.get_attribute("data-slide") or 0), s.get_attribute("data-key") or "")
        for s in page.locator("[data-slide]").all()
    ]


def shot(page: Page, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("[data-slide]:not([hidden])").screenshot(path=str(SHOTS / f"{name}.png"))


def test_every_layout_keeps_its_words_on_the_slide_at_1280(browser: Any, live_server: Any, pitch: Pitch) -> None:
    context = logged_in(browser, live_server.url)
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    drawn: set[str] = set()
    for round_ in range(ROUNDS):
        layouts = write_round(pitch, round_)
        for theme in ("light", "bold"):
            page.goto(f"{live_server.url}/pitches/{pitch.pk}/deck/?theme={theme}")
            page.wait_for_load_state("load")
            for number, key in slides(page):
                page.evaluate(SHOW, number)
                shot(page, f"1280-{theme}-{round_}-{key}")
                slide = page.locator(f'[data-slide="{number}"]')
                assert slide.evaluate(OUTSIDE) == [], (round_, theme, key, layouts.get(key))
        drawn |= set(layouts.values())
    assert drawn >= set(ALL_LAYOUTS) - {"title", "live_demo"}
    context.close()


def test_on_a_phone_every_slide_reflows_to_readable_words(browser: Any, live_server: Any, pitch: Pitch) -> None:
    context = logged_in(browser, live_server.url)
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    for round_ in range(ROUNDS):
        write_round(pitch, round_)
        theme = ("light", "dark", "editorial", "bold", "minimal", "midnight")[round_ % 6]
        page.goto(f"{live_server.url}/pitches/{pitch.pk}/deck/?theme={theme}")
        page.wait_for_load_state("load")
        for number, key in slides(page):
            page.evaluate(SHOW, number)
            shot(page, f"390-{theme}-{round_}-{key}")
            found = page.locator(f'[data-slide="{number}"]').evaluate(PHONE)
            assert found["small"] == [], (round_, theme, key)
            assert found["wide"] == [], (round_, theme, key)
            assert found["page"], (round_, theme, key)
            assert found["titleSize"] >= 20, (round_, theme, key)
    # A slide taller than the screen scrolls inside the deck: the slide controls stay on the screen.
    page.evaluate(SHOW, next(number for number, key in slides(page) if key == "story"))
    assert page.locator("main.deck").evaluate("(deck) => deck.scrollHeight > deck.clientHeight")
    nav = page.locator(".deck-nav").bounding_box()
    assert nav is not None
    assert nav["y"] + nav["height"] <= 844 + 1
    # The presenter view and the audience window keep the 16:9 slide, however narrow the window.
    for path in ("present/", "deck/?audience=1"):
        page.goto(f"{live_server.url}/pitches/{pitch.pk}/{path}")
        ratio = page.locator("[data-slide]").first.evaluate("(slide) => getComputedStyle(slide).aspectRatio")
        assert ratio == "16 / 9", path
    context.close()


def test_the_share_page_reads_on_a_phone(browser: Any, live_server: Any, pitch: Pitch) -> None:
    write_round(pitch, 1)
    link = services.share_link_create(pitch=pitch, user=pitch.owner, label="Acme Ventures")
    context = without_beacons(browser.new_context(viewport={"width": 390, "height": 844}))
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{link.token}/")
    page.wait_for_load_state("load")
    for number, key in slides(page):
        page.evaluate(SHOW, number)
        found = page.locator(f'[data-slide="{number}"]').evaluate(PHONE)
        assert (found["small"], found["wide"], found["page"]) == ([], [], True), key
    assert page.locator("[data-edit-unit]").count() == 0
    context.close()
