"""The founder's rehearsal report (transcript, discard) and the Q&A drill (rate, note, history), in chromium."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.services import pitch_import
from pitchlab.rehearsals.models import DrillAnswer, DrillQuestion, Rehearsal
from pitchlab.rehearsals.services import rehearsal_create
from tests.browser.test_rehearsal import PASSWORD, _logged_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_pasted_transcript_is_analysed_and_a_rehearsal_discarded(browser: Any, live_server: Any) -> None:
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    rehearsal = rehearsal_create(
        pitch=pitch, status="complete", segments=[{"slide": "title", "start_ms": 0, "end_ms": 60_000}]
    )
    context, page = _logged_in(browser, live_server)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/rehearsals/{rehearsal.pk}/")
    expect(page.locator('[data-slide-row="title"]')).to_have_attribute("data-actual", "60.0")
    page.fill("[data-transcript]", "Um, we, um, basically route tickets. You know, it works.")
    page.click("[data-transcript-save]")
    expect(page.locator("#transcript-analysis")).to_contain_text("basically")
    rehearsal.refresh_from_db()
    assert rehearsal.transcript.startswith("Um, we, um")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-discard]")
    page.wait_for_url(f"{live_server.url}/pitches/{pitch.pk}/rehearsals/")
    assert not Rehearsal.objects.filter(pk=rehearsal.pk).exists()
    assert errors == []
    context.close()


def test_a_drilled_answer_is_rated_noted_and_shows_in_the_history(browser: Any, live_server: Any) -> None:
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    # The live server's database is emptied between tests, the bank that a migration loads included.
    DrillQuestion.objects.all().delete()
    DrillQuestion.objects.create(
        key="bank:moat",
        category="market",
        text_en="What stops a bigger player copying you?",
        text_zh="大公司为什么抄不走？",
    )
    context, page = _logged_in(browser, live_server)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/drill/")
    page.check('input[name="source"][value="bank"]')
    page.click("[data-drill-start]")
    expect(page.locator("#drill-question")).to_contain_text("What stops a bigger player copying you?")
    page.click('[data-rate="2"]')
    page.fill("[data-better]", "Lead with the pilot's numbers.")
    page.click("[data-save]")
    expect(page.locator("#drill-history")).to_contain_text("Lead with the pilot's numbers.")
    answer = DrillAnswer.objects.get(pitch=pitch)
    assert answer.rating == 2
    assert answer.source == "bank"
    assert answer.better_answer == "Lead with the pilot's numbers."
    assert errors == []
    context.close()
