"""The scripts speak the founder's language: with a Chinese browser the words the editor's and the presenter view's
scripts write are Chinese, with an English one they are English, and the language switch changes them at once
(the browser never keeps the other language's catalogue)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from pitchlab.pitches.canvas import SLIDE_KINDS
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long enough passphrase"
SHOWN = ("title", "problem", "solution", "ask")

# What the scripts write (not the templates), per browser locale.
WORDS = {
    "zh-CN": {
        "saved": "已全部保存",
        "add_row": "+ 添加一行",
        "rec_line": "开始排练，为每张幻灯片计时并生成报告。",
        "resume": "继续",
        "left": "剩余",
        "recording": "录制中",
    },
    "en-US": {
        "saved": "All changes saved",
        "add_row": "+ Add row",
        "rec_line": "Start rehearsal to time each slide and keep a report.",
        "resume": "Resume",
        "left": "left",
        "recording": "Recording",
    },
}


@pytest.fixture(scope="module", autouse=True)
def _short_long_polls() -> Iterator[None]:
    before = settings.REMOTE_WAIT_SECONDS
    settings.REMOTE_WAIT_SECONDS = 2
    yield
    settings.REMOTE_WAIT_SECONDS = before


@pytest.fixture
def pitch() -> Pitch:
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    pitch.content["deck"]["slides"] = [
        {"kind": kind, "title": "", "notes": f"Say the {kind} slide.", "seconds": 20, "hidden": kind not in SHOWN}
        for kind in SLIDE_KINDS
    ]
    pitch.save(update_fields=["content"])
    return pitch


def logged_in(browser: Any, base: str, locale: str) -> tuple[BrowserContext, Page, list[str]]:
    """A browser context whose Accept-Language is ``locale``, logged in; page errors are collected in the list."""
    context: BrowserContext = browser.new_context(locale=locale, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page, errors


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_editors_script_writes_in_the_browsers_language(
    browser: Any, live_server: Any, pitch: Pitch, locale: str
) -> None:
    words = WORDS[locale]
    context, page, errors = logged_in(browser, live_server.url, locale)
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/")
    expect(page.locator("#save-status")).to_have_text(words["saved"])
    expect(page.locator("[data-add-row]").first).to_have_text(words["add_row"])
    other = WORDS["en-US" if locale == "zh-CN" else "zh-CN"]
    expect(page.locator("#save-status")).not_to_have_text(other["saved"])
    assert errors == []
    context.close()


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_presenter_views_script_writes_in_the_browsers_language(
    browser: Any, live_server: Any, pitch: Pitch, locale: str
) -> None:
    words = WORDS[locale]
    context, page, errors = logged_in(browser, live_server.url, locale)
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/present/")
    page.wait_for_load_state("load")
    expect(page.locator("[data-rec-line]")).to_have_text(words["rec_line"])
    expect(page.locator("[data-total-left]")).to_contain_text(words["left"])
    page.keyboard.press("p")
    expect(page.locator("[data-pause]")).to_contain_text(words["resume"])
    page.keyboard.press("p")
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/rehearsals/")):
        page.click("[data-rehearse]")
    expect(page.locator("[data-rec-line]")).to_contain_text(words["recording"])
    assert errors == []
    context.close()


def test_the_language_switch_changes_the_scripts_words_at_once(browser: Any, live_server: Any, pitch: Pitch) -> None:
    """English browser, then 中文 in the switch: the catalogue the browser had is not reused (Vary, ETag)."""
    context, page, errors = logged_in(browser, live_server.url, "en-US")
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/")
    expect(page.locator("#save-status")).to_have_text(WORDS["en-US"]["saved"])
    page.locator('[data-language-switch] button[value="zh-hans"]').first.click()
    page.wait_for_url(f"{live_server.url}/pitches/{pitch.pk}/")
    expect(page.locator("#save-status")).to_have_text(WORDS["zh-CN"]["saved"])
    page.locator('[data-language-switch] button[value="en"]').first.click()
    expect(page.locator("#save-status")).to_have_text(WORDS["en-US"]["saved"])
    assert errors == []
    context.close()
