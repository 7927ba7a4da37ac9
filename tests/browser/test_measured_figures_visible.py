"""Every measured figure on the Model performance slide shows its n, its 95 % interval and, when the rule says so,
its "small sample" mark where a reader can see them: on the slide itself (not in a table cut off below it), in the
web deck at 1280 and 390 px and in the presenter view."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Locator, Page, expect

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import
from tests.decks.test_performance_intervals import latency_row, ten_rows

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long enough passphrase"


def _pitch() -> Pitch:
    owner = User.objects.create_user("mia", "mia@example.com", PASSWORD)
    document = template_document("support_nlp")
    assert document is not None
    document["canvas"]["data"]["experiments"] += [ten_rows(), latency_row()]
    return pitch_import(owner=owner, document=document)


def _shots(tmp_path: Path) -> Path:
    shots = Path(os.environ.get("PITCHLAB_SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def _log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "mia")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _inside(element: Locator, slide: Locator) -> None:
    """``element`` is visible and its box lies inside the slide's box (nothing cut off by the slide's edge)."""
    assert element.is_visible()
    box, frame = element.bounding_box(), slide.bounding_box()
    assert box is not None
    assert frame is not None
    assert box["width"] > 0
    assert box["height"] > 0
    assert frame["x"] - 0.5 <= box["x"]
    assert box["x"] + box["width"] <= frame["x"] + frame["width"] + 0.5
    assert frame["y"] - 0.5 <= box["y"]
    assert box["y"] + box["height"] <= frame["y"] + frame["height"] + 0.5


def _measured_figures_are_visible(page: Page | Locator) -> None:
    """On the slide shown: under the small-sample bar its n, its interval as numbers and the mark; after the latency
    bar its n and mark; in the records beside the chart, the figure with its interval and the line with n."""
    slide = page.locator("[data-slide]:visible")
    expect(slide).to_have_attribute("data-kind", "performance")
    chart = slide.locator('figure[data-chart="performance"]')
    notes = {role: chart.locator(f'text[data-role="{role}"]') for role in ("n", "interval-text", "small-sample")}
    expect(notes["n"].filter(has_text="n = 10")).to_have_count(1)
    expect(notes["interval-text"].filter(has_text="49–94.3%")).to_have_count(1)
    for locator in (notes["n"].filter(has_text="n = 10"), notes["interval-text"], notes["small-sample"]):
        for index in range(locator.count()):
            _inside(locator.nth(index), slide)
    latency = chart.locator('text[data-role="figure"]', has_text="14.0 ms")
    expect(latency).to_contain_text("n = 10")
    expect(latency).to_contain_text("small sample")
    _inside(latency, slide)
    column = slide.locator(".slide-text")
    records = column.locator("tr", has_text="Ticket router")
    expect(records).to_have_count(2)
    accuracy = records.filter(has_text="accuracy")
    _inside(accuracy.locator("td").nth(2), column)
    expect(accuracy.locator("td").nth(2)).to_have_text("80% (95% CI 49–94.3%)")
    for index in range(2):
        provenance = records.nth(index).locator("td").nth(4)
        expect(provenance).to_contain_text("n = 10 · small sample")
        _inside(provenance, column)


def test_n_interval_and_small_sample_mark_are_visible_on_the_slide_and_in_the_presenter_view(
    browser: Any, live_server: Any, tmp_path: Path
) -> None:
    pitch = _pitch()
    shots = _shots(tmp_path)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    _log_in(page, live_server.url)
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/deck/")
    number = page.locator('[data-slide][data-kind="performance"]').first.get_attribute("data-slide")
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/deck/#{number}")
    _measured_figures_are_visible(page)
    page.screenshot(path=str(shots / "performance-slide-1280.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    _measured_figures_are_visible(page)
    page.screenshot(path=str(shots / "performance-slide-390.png"))

    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800 if width > 400 else 844})
        page.goto(f"{live_server.url}/pitches/{pitch.pk}/present/#{number}")
        current = page.locator("[data-current]")
        expect(current.locator("[data-slide]:visible")).to_have_attribute("data-kind", "performance")
        _measured_figures_are_visible(current)
        page.screenshot(path=str(shots / f"performance-presenter-{width}.png"))
    context.close()
