"""The canvas editor as a founder uses it: autosave in Chinese, a conflict between two tabs, offline edits."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create
from tests.browser.conftest import PASSWORD, logged_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CONFLICT = "#input-story\\.conflict"


@pytest.fixture
def founder() -> User:
    return User.objects.create_user("ada", "ada@example.com", PASSWORD)


@pytest.fixture
def pitch(founder: User) -> Pitch:
    return pitch_create(owner=founder, name="Lumen")


def open_editor(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    expect(page.locator("#save-status")).to_have_text("All changes saved")
    return page


def test_chinese_text_autosaves_and_survives_a_reload(browser: Any, live_server: Any, pitch: Pitch) -> None:
    context = logged_in(browser, live_server.url)
    page = open_editor(context, f"{live_server.url}/pitches/{pitch.pk}/")
    text = "客服团队每天被重复工单淹没，现有规则系统准确率只有六成。"
    page.locator(CONFLICT).press_sequentially(text, delay=5)
    expect(page.locator("#save-status")).to_have_text("All changes saved", timeout=10_000)
    expect(page.locator('[data-section-percent="story"]')).to_have_text("12%")
    page.reload()
    expect(page.locator(CONFLICT)).to_have_value(text)
    pitch.refresh_from_db()
    assert pitch.content["story"]["conflict"] == text
    context.close()


def test_the_same_field_edited_in_two_tabs_shows_the_conflict_and_loses_nothing(
    browser: Any, live_server: Any, pitch: Pitch
) -> None:
    context = logged_in(browser, live_server.url)
    url = f"{live_server.url}/pitches/{pitch.pk}/"
    first, second = open_editor(context, url), open_editor(context, url)

    first.fill(CONFLICT, "Text from the first tab")
    expect(first.locator("#save-status")).to_have_text("All changes saved", timeout=10_000)
    second.fill(CONFLICT, "Text from the second tab")

    unit = second.locator('[data-unit="story.conflict"]')
    expect(unit.locator("[data-conflict] .theirs")).to_have_text("Text from the first tab", timeout=10_000)
    expect(second.locator("#save-status")).to_contain_text("Conflict")
    expect(second.locator(CONFLICT)).to_have_value("Text from the second tab")  # mine is still on screen
    pitch.refresh_from_db()
    assert pitch.content["story"]["conflict"] == "Text from the first tab"  # theirs was not overwritten

    unit.get_by_role("button", name="Keep mine").click()
    expect(second.locator("#save-status")).to_have_text("All changes saved", timeout=10_000)
    pitch.refresh_from_db()
    assert pitch.content["story"]["conflict"] == "Text from the second tab"
    context.close()


def test_edits_made_offline_are_kept_and_sent_when_the_server_is_back(
    browser: Any, live_server: Any, pitch: Pitch
) -> None:
    context = logged_in(browser, live_server.url)
    page = open_editor(context, f"{live_server.url}/pitches/{pitch.pk}/")
    context.set_offline(True)
    page.fill("#input-story\\.vision", "Every support team runs on its own model.")
    expect(page.locator("#save-status")).to_contain_text("Offline", timeout=10_000)
    stored = page.evaluate(f"localStorage.getItem('pitchlab:pitch:{pitch.pk}:pending')")
    assert "Every support team runs on its own model." in stored
    pitch.refresh_from_db()
    assert pitch.content["story"]["vision"] == ""

    context.set_offline(False)
    expect(page.locator("#save-status")).to_have_text("All changes saved", timeout=15_000)
    pitch.refresh_from_db()
    assert pitch.content["story"]["vision"] == "Every support team runs on its own model."
    context.close()


def test_a_bad_row_is_shown_at_the_field_and_the_typed_value_stays(
    browser: Any, live_server: Any, pitch: Pitch
) -> None:
    context = logged_in(browser, live_server.url)
    page = open_editor(context, f"{live_server.url}/pitches/{pitch.pk}/")
    unit = page.locator('[data-unit="ask.use_of_funds"]')
    unit.get_by_role("button", name="+ Add row").click()
    unit.locator('[data-key="label"]').fill("Hiring")
    unit.locator('[data-key="percent"]').fill("60")
    expect(unit.locator("[data-errors]")).to_contain_text("add up to 60, not 100", timeout=10_000)
    expect(page.locator("#save-status")).to_contain_text("Not saved")
    expect(unit.locator('[data-key="label"]')).to_have_value("Hiring")

    unit.get_by_role("button", name="+ Add row").click()
    unit.locator('[data-key="label"]').nth(1).fill("Compute")
    unit.locator('[data-key="percent"]').nth(1).fill("40")
    expect(page.locator("#save-status")).to_have_text("All changes saved", timeout=10_000)
    pitch.refresh_from_db()
    assert pitch.content["ask"]["use_of_funds"] == [
        {"label": "Hiring", "percent": 60.0},
        {"label": "Compute", "percent": 40.0},
    ]
    context.close()


def test_pasting_traction_with_a_bad_line_asks_before_keeping_the_good_rows(
    browser: Any, live_server: Any, pitch: Pitch
) -> None:
    context = logged_in(browser, live_server.url)
    page = open_editor(context, f"{live_server.url}/pitches/{pitch.pk}/")
    unit = page.locator('[data-unit="data.traction"]')
    unit.locator("summary").click()
    page.fill("#paste-traction", "period,metric,value\n2025-01,users,100\n2025-02,users,lots\n2025-03,users,180")
    unit.get_by_role("button", name="Read rows").click()
    expect(unit.locator("[data-paste-result]")).to_contain_text("line 3")
    pitch.refresh_from_db()
    assert pitch.content["data"]["traction"] == []  # nothing added before the founder confirms
    unit.locator("[data-confirm-rows]").click()
    expect(page.locator("#save-status")).to_have_text("All changes saved", timeout=10_000)
    pitch.refresh_from_db()
    assert [row["period"] for row in pitch.content["data"]["traction"]] == ["2025-01", "2025-03"]
    context.close()


def test_over_long_text_is_kept_and_explained_at_the_field(browser: Any, live_server: Any, pitch: Pitch) -> None:
    context = logged_in(browser, live_server.url)
    page = open_editor(context, f"{live_server.url}/pitches/{pitch.pk}/")
    long_text = "很长的故事。" * 1000  # 6,000 characters: over the 5,000 limit
    page.fill("#input-story\\.origin", long_text)
    unit = page.locator('[data-unit="story.origin"]')
    expect(unit.locator("[data-errors]")).to_contain_text("5000", timeout=10_000)
    expect(unit.locator(".counter")).to_have_class("counter over")
    expect(page.locator("#input-story\\.origin")).to_have_value(long_text)  # nothing cut, nothing lost
    pitch.refresh_from_db()
    assert pitch.content["story"]["origin"] == ""
    context.close()
