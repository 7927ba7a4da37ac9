"""A viewer reads every field of the canvas in full: a long one-line value wraps instead of being cut at the edge
of a disabled input, at 1280 and 390 px (issue 16 §5)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch, PitchMember
from pitchlab.pitches.services import pitch_import

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long enough passphrase"
LONG = "Fixed evaluation set v2: held-out tickets from six customers, labelled by their support leads, never trained on"
LONG_ZH = "客服团队每天被重复工单淹没，现有规则系统准确率只有六成，而且每次上线新产品线都要人工重新训练一次模型。"

# Every control of the editor a viewer sees: what it holds must fit its box, across and down.
MEASURE = """
(root) => [...root.querySelectorAll('input:not([type=checkbox]):not([type=hidden]), textarea, select, .readonly-value')]
  .filter((el) => el.offsetParent !== null)
  .map((el) => ({
    what: el.tagName.toLowerCase() + (el.dataset.key ? `[${el.dataset.key}]` : el.id ? `#${el.id}` : ''),
    value: el.value ?? el.textContent,
    scrollWidth: el.scrollWidth, clientWidth: el.clientWidth,
    scrollHeight: el.scrollHeight, clientHeight: el.clientHeight,
  }))
"""


def _pitch() -> Pitch:
    owner = User.objects.create_user("olga", "olga@example.com", PASSWORD)
    viewer = User.objects.create_user("vera", "vera@example.com", PASSWORD)
    document = template_document("support_nlp")
    assert document is not None
    canvas = document["canvas"]
    canvas["ask"]["currency"] = "USD"
    canvas["data"]["experiments"][0]["dataset"] = LONG
    canvas["data"]["market"]["tam"]["source"] = LONG
    canvas["data"]["experiments"][1]["samples"] = 10**12  # the largest count the canvas allows: 13 digits
    canvas["story"]["origin"] = " ".join([LONG] * 6)
    canvas["team"][0]["role"] = LONG_ZH
    pitch = pitch_import(owner=owner, document=document)
    PitchMember.objects.create(pitch=pitch, user=viewer, role="viewer", invited_by=owner)
    return pitch


@pytest.mark.parametrize("width", [1280, 390])
def test_a_viewer_reads_every_long_value_in_full(browser: Any, live_server: Any, width: int, tmp_path: Path) -> None:
    pitch = _pitch()
    shots = Path(os.environ.get("PITCHLAB_SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "vera")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{live_server.url}/pitches/{pitch.pk}/")
    expect(page.locator("[data-readonly]")).to_be_visible()
    page.wait_for_load_state("networkidle")
    for details in page.locator("fieldset.readonly details:not([open]) > summary").all():
        details.click()
    measured = page.locator("fieldset.readonly").evaluate(MEASURE)
    assert any(LONG in str(m["value"]) for m in measured), "the long values are not shown"
    cut = [m for m in measured if m["scrollWidth"] > m["clientWidth"] + 1 or m["scrollHeight"] > m["clientHeight"] + 1]
    assert cut == [], "\n".join(f"{m['what']}: {m}" for m in cut)
    samples = page.locator('[data-unit="data.experiments"] [data-key="samples"]').nth(1)
    expect(samples).to_have_text("1,000,000,000,000")  # read as text, grouped, and whole
    page.locator('[data-unit="data.experiments"]').scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"viewer-experiments-{width}.png"))
    page.locator('[data-unit="story.origin"]').scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"viewer-story-{width}.png"))
    context.close()
