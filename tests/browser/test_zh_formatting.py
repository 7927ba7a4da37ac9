"""Numbers, dates and explanations as a Chinese-speaking founder sees them: the page's language decides (not the
browser's), the amount field shows the stored number without ".0", no English field label is left in the Chinese
editor, and every explanation has one colour convention with a legend whose swatches are the tokens' colours.

Screenshots go to $PITCHLAB_SCREENSHOTS when it is set (else the test's tmp folder)."""

from __future__ import annotations

import base64
import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long enough passphrase"
ZH_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("PITCHLAB_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def pitch() -> Pitch:
    owner = User.objects.create_user("mei", "mei@example.com", PASSWORD)
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    pitch.content["ask"]["amount"] = 2500000.0  # stored as a float, as a PATCH of 2500000.0 leaves it
    pitch.save(update_fields=["content"])
    return pitch


def logged_in(browser: Any, base: str, *, lang: str, width: int = 1280) -> tuple[BrowserContext, Page, list[str]]:
    """An English browser (locale en-US) whose PitchLab pages are in ``lang``: the page's language must decide."""
    context: BrowserContext = browser.new_context(locale="en-US", viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "mei")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page, errors


@pytest.mark.parametrize("width", [1280, 390])
def test_the_chinese_editor_shows_chinese_labels_dates_and_a_plain_amount(
    browser: Any, live_server: Any, pitch: Pitch, shots: Path, width: int
) -> None:
    context, page, errors = logged_in(browser, live_server.url, lang="zh-hans", width=width)
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/")

    amount = page.locator('[id="input-ask.amount"]')
    expect(amount).to_have_value("2500000")
    market = page.locator('[id="unit-data.market"]')
    expect(market).to_contain_text("TAM 年份")
    assert " year" not in market.inner_text()
    expect(page.locator('[id="unit-data.competitors"] th').filter(has_text="我们")).to_have_count(1)
    expect(page.locator('[id^="unit-business."] select').first).to_be_visible()
    options = page.locator("[data-structured] select option").all_inner_texts()
    assert "未开始" in options
    assert "缓解" in options
    english = {"missing", "partial", "done", "technical", "market", "financial", "legal", "avoid", "mitigate"}
    assert not english & set(options)

    revisions = page.locator("#revision-list li")
    expect(revisions.first).to_be_visible(timeout=10_000)
    first = revisions.first.inner_text()
    assert ZH_DATE.search(first), first
    assert not re.search(r"\b(AM|PM)\b|\d{1,2}/\d{1,2}/\d{4}", first), first

    page.locator('[id="section-data"]').scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"editor-zh-{width}.png"), full_page=False)
    market.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"editor-zh-market-{width}.png"), full_page=False)
    page.locator("#section-revisions").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"editor-zh-revisions-{width}.png"), full_page=False)
    assert errors == []
    context.close()


def test_the_english_editor_writes_english_dates_and_the_same_plain_amount(
    browser: Any, live_server: Any, pitch: Pitch
) -> None:
    context, page, errors = logged_in(browser, live_server.url, lang="en")
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/")
    expect(page.locator('[id="input-ask.amount"]')).to_have_value("2500000")
    revisions = page.locator("#revision-list li")
    expect(revisions.first).to_be_visible(timeout=10_000)
    assert not ZH_DATE.search(revisions.first.inner_text())
    assert re.search(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", revisions.first.inner_text())
    assert errors == []
    context.close()


def _overlay_png() -> str:
    picture = Image.new("RGBA", (40, 30), (37, 99, 235, 120))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _rgb(colour: str) -> tuple[int, ...]:
    """The red, green and blue of a computed CSS colour ("rgba(37, 99, 235, 0.6)" → (37, 99, 235))."""
    numbers = re.findall(r"[\d.]+", colour)
    assert len(numbers) >= 3, colour
    return tuple(round(float(n)) for n in numbers[:3])


MOUNT = """([kind, label, overlay]) => {
  const root = document.createElement("div");
  root.className = "card";
  root.id = `panel-${kind}`;
  document.querySelector("main").prepend(root);
  const panel = window.PitchLabDemo.mount(root, {
    kind, predictUrl: "/nowhere/", explainUrl: "/nowhere/", labels: [label, "other"], examples: [],
  });
  const text = "The app crashed and then I was charged twice";
  const result = {
    labels: [{label, score: 0.82}, {label: "other", score: 0.18}], latency_ms: 40, device: "cpu",
    explanation: kind === "text"
      ? {label, probability: 0.82, words: [{start: 8, end: 15, weight: 0.4}, {start: 33, end: 40, weight: -0.2}]}
      : {label, probability: 0.82, overlay},
  };
  panel.display(kind === "text" ? {text} : {image: null}, result, {explained: true});
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_text_and_image_explanations_share_one_colour_convention_and_a_legend(
    browser: Any, live_server: Any, pitch: Pitch, shots: Path, width: int
) -> None:
    context, page, errors = logged_in(browser, live_server.url, lang="en", width=width)
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/demo/")
    page.wait_for_function("() => window.PitchLabDemo && window.gettext")
    page.evaluate(MOUNT, ["text", "bug", ""])
    page.evaluate(MOUNT, ["image", "scatter", _overlay_png()])

    text, image = page.locator("#panel-text"), page.locator("#panel-image")
    for panel, label in ((text, "bug"), (image, "scatter")):
        legend = panel.locator("[data-legend]")
        expect(legend).to_be_visible()
        expect(legend).to_contain_text(f"toward {label}")
        expect(legend).to_contain_text("against")

    def colour(locator: Any) -> tuple[int, ...]:
        return _rgb(locator.evaluate("(node) => getComputedStyle(node).backgroundColor"))

    toward_token = colour(text.locator(".pl-demo-words .pl-word.toward").first)
    against_token = colour(text.locator(".pl-demo-words .pl-word.against").first)
    text_toward, text_against = (colour(text.locator(f"[data-legend] .pl-swatch.{k}")) for k in ("toward", "against"))
    image_toward, image_against = (
        colour(image.locator(f"[data-legend] .pl-swatch.{k}")) for k in ("toward", "against")
    )
    assert toward_token == text_toward == image_toward == (37, 99, 235)
    assert against_token == text_against == image_against == (234, 88, 12)
    assert toward_token != against_token

    text.screenshot(path=str(shots / f"explain-text-{width}.png"))
    image.screenshot(path=str(shots / f"explain-image-{width}.png"))
    assert errors == []
    context.close()
