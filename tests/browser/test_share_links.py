"""The owner shares the deck with a password; two anonymous viewers read it; the analytics count them; revoked, 404."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.services import pitch_import

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long enough passphrase"
LINK_PASSWORD = "open sesame"
SHOTS = os.environ.get("PITCHLAB_SHOTS", "")  # a folder for screenshots a person looks at; empty: none


def _watch(page: Page, problems: list[str]) -> None:
    """Collect page errors and console errors (a CSP violation is one: "Refused to …")."""
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))

    def console(message: ConsoleMessage) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(f"{page.url}: console: {message.text}")

    page.on("console", console)


def _read_deck(browser: Any, url: str, problems: list[str], stays: tuple[float, float]) -> BrowserContext:
    """An anonymous viewer opens ``url``, types the password, stays on slides 1 and 2, and closes the page."""
    context: BrowserContext = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    _watch(page, problems)
    page.goto(url)
    expect(page.locator("input[type=password]")).to_be_visible()
    page.fill("input[type=password]", LINK_PASSWORD)
    page.get_by_role("button", name="Open the deck").click()
    expect(page.locator("[data-slide]:visible")).to_have_attribute("data-kind", "title")
    page.wait_for_load_state("load")  # deck.js and share.js are listening
    time.sleep(stays[0])
    page.keyboard.press("ArrowRight")
    expect(page.locator("[data-slide]:visible")).to_have_attribute("data-kind", "problem")
    time.sleep(stays[1])
    page.close(run_before_unload=True)  # pagehide: share.js sends what is left with sendBeacon
    return context


def _figures(page: Page, link_id: str) -> dict[str, Any]:
    card = page.locator(f"[data-share-link='{link_id}']")
    seconds = {
        row.get_attribute("data-slide-stat"): float(row.get_attribute("data-seconds") or 0)
        for row in card.locator("[data-slide-stat]").all()
    }
    return {
        "views": card.locator("[data-views]").inner_text(),
        "unique": card.locator("[data-unique]").inner_text(),
        "seconds": seconds,
    }


def _wait_for(page: Page, link_id: str, check: Any, timeout: float = 10) -> dict[str, Any]:
    """Reload the share page until ``check(figures)`` holds (the last beacon may land a moment after close)."""
    deadline = time.monotonic() + timeout
    while True:
        page.reload()
        figures = _figures(page, link_id)
        if check(figures) or time.monotonic() > deadline:
            return figures
        time.sleep(0.5)


def test_share_with_password_count_viewers_and_time_then_revoke(browser: Any, live_server: Any) -> None:
    base = live_server.url
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    problems: list[str] = []

    owner_context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = owner_context.new_page()
    _watch(page, problems)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{base}/pitches/{pitch.pk}/")
    page.click("[data-share-link]")
    expect(page).to_have_url(f"{base}/pitches/{pitch.pk}/share/")

    page.fill("#id_label", "Acme Ventures")
    page.fill("#id_password", LINK_PASSWORD)
    page.click("[data-share-create]")
    card = page.locator("[data-share-link]").first
    expect(card.locator("[data-share-state]")).to_have_text("active")
    link_id = card.get_attribute("data-share-link") or ""
    url = card.locator("[data-share-url]").input_value()
    assert url.startswith(f"{base}/s/")

    first = _read_deck(browser, url, problems, stays=(1.5, 2.5))
    figures = _wait_for(page, link_id, lambda f: f["seconds"].get("problem", 0) > 1.4)
    assert (figures["views"], figures["unique"]) == ("1", "1")
    assert figures["seconds"]["title"] == pytest.approx(1.5, abs=1.0)
    assert figures["seconds"]["problem"] == pytest.approx(2.5, abs=1.0)
    assert figures["seconds"].get("ask", 0) == 0
    bar = page.locator(f"[data-share-link='{link_id}'] .share-chart.wide svg rect[data-slide='problem']")
    expect(bar).to_be_visible()
    first.close()

    second = _read_deck(browser, url, problems, stays=(0.5, 0.5))
    figures = _wait_for(page, link_id, lambda f: f["unique"] == "2")
    assert (figures["views"], figures["unique"]) == ("2", "2")
    second.close()

    page.click(f"[data-share-link='{link_id}'] [data-revoke]")
    expect(page.locator(f"[data-share-link='{link_id}'] [data-share-state]")).to_have_text("revoked")
    gone_context = browser.new_context()
    gone = gone_context.new_page()
    _watch(gone, problems)
    response = gone.goto(url)
    assert response is not None
    assert response.status == 404
    expect(gone.get_by_role("heading", name="This link does not work")).to_be_visible()
    gone_context.close()
    owner_context.close()

    # The 404 page itself logs "Failed to load resource: 404" for its own document; anything else is a problem.
    assert [p for p in problems if "status of 404" not in p] == []


def _ready_export(pitch: Any, owner: User, body: bytes, theme: str) -> Any:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from pitchlab.decks.models import DeckExport
    from pitchlab.decks.services import export_create

    export = export_create(pitch=pitch, theme=theme, user=owner)
    DeckExport.objects.filter(pk=export.pk).update(status="ready", progress=100, pages=14, finished_at=timezone.now())
    export.refresh_from_db()
    export.file.save(f"deck-{export.pk}.pdf", ContentFile(body), save=True)
    return export


def test_share_panel_pins_an_export_flags_it_stale_and_re_exports(
    browser: Any, live_server: Any, default_worker: Any
) -> None:
    from pitchlab.decks.models import DeckExport
    from pitchlab.pitches.services import pitch_write
    from pitchlab.sharing.models import ShareLink

    base = live_server.url
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    dark = _ready_export(pitch, owner, b"%PDF-1.4 dark test", "dark")
    _ready_export(pitch, owner, b"%PDF-1.4 light", "light")  # the newest: a pinned link must not take it
    problems: list[str] = []

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _watch(page, problems)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{base}/pitches/{pitch.pk}/share/")

    options = page.locator("#id_pdf option")
    expect(options.filter(has_text="dark")).to_have_count(1)
    assert "14 pages" in (options.filter(has_text="dark").inner_text())
    assert "by ada" in (options.filter(has_text="dark").inner_text())
    page.select_option("#id_pdf", f"export:{dark.pk}")
    page.fill("#id_label", "Acme Ventures")
    page.click("[data-share-create]")
    card = page.locator("[data-share-link]").first
    pdf = card.locator("[data-share-pdf]")
    expect(pdf).to_have_attribute("data-export-id", str(dark.pk))
    expect(pdf.locator("[data-pdf-label]")).to_contain_text("dark")
    expect(pdf.locator("[data-stale]")).to_have_count(0)
    link = ShareLink.objects.get()
    shared = page.request.get(f"{base}/s/{link.token}/pdf/")
    assert shared.body() == b"%PDF-1.4 dark test"

    # The founder edits the canvas twice after the export: the panel says the PDF is behind, and by how much.
    for text in ("A world where every ticket answers itself.", "Every ticket, answered."):
        pitch.refresh_from_db()
        pitch_write(pitch_id=pitch.pk, changes={"story.vision": text}, base_version=pitch.version)
    page.reload()
    expect(pdf.locator("[data-stale]")).to_have_attribute("data-stale", "2")
    expect(pdf.locator("[data-stale]")).to_contain_text("older than the canvas by 2 changes")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/share-panel-stale-1280.png", full_page=True)

    pdf.locator("[data-reexport]").click()
    new = DeckExport.objects.order_by("-id").first()
    assert new is not None
    assert new.pk != dark.pk
    pitch.refresh_from_db()
    assert (new.theme, new.revision.version) == ("dark", pitch.version)
    deadline = time.monotonic() + 90
    while DeckExport.objects.get(pk=new.pk).status != "ready" and time.monotonic() < deadline:
        time.sleep(0.5)
    assert DeckExport.objects.get(pk=new.pk).status == "ready"
    page.reload()
    pdf.locator("[data-use-newer]").click()
    expect(pdf).to_have_attribute("data-export-id", str(new.pk))
    expect(pdf.locator("[data-stale]")).to_have_count(0)
    link.refresh_from_db()
    assert link.pdf_export_id == new.pk
    served = page.request.get(f"{base}/s/{link.token}/pdf/").body()
    assert served.startswith(b"%PDF")
    assert served != b"%PDF-1.4 dark test"

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    box, card_box = pdf.bounding_box(), card.bounding_box()
    assert box is not None
    assert card_box is not None
    assert card_box["x"] <= box["x"]
    assert box["x"] + box["width"] <= card_box["x"] + card_box["width"] + 1
    save = pdf.locator("[data-pdf-save]").bounding_box()
    assert save is not None
    assert save["x"] + save["width"] <= card_box["x"] + card_box["width"] + 1
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/share-panel-390.png", full_page=True)
    context.close()
    assert problems == []
