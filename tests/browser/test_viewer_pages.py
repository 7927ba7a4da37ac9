"""A viewer of a pitch is offered only what their role allows, on every page they can open; the owner still sees
every control. (The server refuses the rest anyway: tests/core/test_permission_matrix.py.)"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from pitchlab.demos.models import AudienceLink, DemoExample, DemoModel
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch, PitchMember, PitchRevision
from pitchlab.pitches.services import pitch_import, revision_create
from pitchlab.rehearsals.models import DrillAnswer, DrillQuestion, Rehearsal

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long enough passphrase"
SHOTS = Path(os.environ.get("PITCHLAB_SHOTS_DIR", "")) if os.environ.get("PITCHLAB_SHOTS_DIR") else None


def _world() -> tuple[Pitch, DemoModel, Rehearsal]:
    owner = User.objects.create_user("olga", "olga@example.com", PASSWORD)
    viewer = User.objects.create_user("vera", "vera@example.com", PASSWORD)
    document = template_document("support_nlp")
    assert document is not None
    pitch = pitch_import(owner=owner, document=document)
    PitchMember.objects.create(pitch=pitch, user=viewer, role="viewer", invited_by=owner)
    revision_create(pitch=pitch, reason=PitchRevision.Reason.MANUAL)
    model = DemoModel.objects.create(
        pitch=pitch,
        name="Ticket router",
        kind="text",
        source="sample",
        status="ready",
        artefact="sample-text",
        labels=["billing", "shipping"],
        on_slide=True,
    )
    DemoExample.objects.create(demo_model=model, text="refund please", expected_label="billing")
    AudienceLink.objects.create(demo_model=model, token="a" * 24)
    rehearsal = Rehearsal.objects.create(
        pitch=pitch,
        status="complete",
        started_at=timezone.now(),
        finished_at=timezone.now(),
        target_seconds=180,
        transcript="Um, we route tickets.",
    )
    # The live server's database is emptied between tests, the bank a migration loads included.
    DrillQuestion.objects.all().delete()
    DrillQuestion.objects.create(key="bank:moat", category="market", text_en="Why you?", text_zh="为什么是你？")
    DrillAnswer.objects.create(
        pitch=pitch,
        user=owner,
        question_key="bank:moat",
        source="bank",
        category="market",
        question_text="Why you?",
        rating=2,
        better_answer="The owner's own better answer.",
    )
    return pitch, model, rehearsal


def _logged_in(browser: Any, base: str, username: str, width: int = 1280) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


def _shot(page: Page, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


# (page, selectors of the controls an owner has there and a viewer must not be offered)
def _pages(pitch: Pitch, rehearsal: Rehearsal) -> list[tuple[str, list[str]]]:
    p = pitch.pk
    return [
        ("/", [f'a[href="/pitches/{p}/delete/"]', f'form[action="/pitches/{p}/duplicate/"]']),
        (
            f"/pitches/{p}/",
            [
                f'a[href="/pitches/{p}/delete/"]',
                "#section-settings",
                "#revision-save",
                "[data-add-row]",
                ".row-remove",
                "[data-paste-parse]",
                "#revision-list button:text('Restore')",
            ],
        ),
        (f"/pitches/{p}/rehearsals/", ["[data-discard]"]),
        (f"/pitches/{p}/rehearsals/{rehearsal.pk}/", ["[data-discard]", "[data-transcript-form]"]),
        (f"/pitches/{p}/team/", ["form.member-role", "[data-remove-member]"]),
    ]


DEMO_CONTROLS = [
    '[data-action="on-slide"]',
    '[data-action="rename"]',
    '[data-action="delete"]',
    '[data-role="example-form"]',
    '[data-role="link-form"]',
    '[data-action="link-revoke"]',
    '[data-action="preflight"]',
    '[data-role="capacity-form"]',
    '[data-role="evaluate-form"]',
    ".example .row-remove",
]


def _open_demo(page: Page, base: str, pitch: Pitch, model: DemoModel) -> None:
    page.goto(f"{base}/pitches/{pitch.pk}/demo/")
    card = page.locator(f"#demo-model-{model.pk}")
    expect(card.locator('[data-role="panel"]')).to_be_visible()
    card.locator('[data-role="panel"] > summary').click()
    expect(card.locator('[data-role="examples"] .example')).to_have_count(1)  # the panel has loaded its parts
    expect(card.locator('[data-role="link-open"]')).to_be_visible()


def test_a_viewer_is_offered_no_control_their_role_cannot_use(browser: Any, live_server: Any) -> None:
    pitch, model, rehearsal = _world()
    base = live_server.url
    context, page = _logged_in(browser, base, "vera")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for url, forbidden in _pages(pitch, rehearsal):
        page.goto(f"{base}{url}")
        page.wait_for_load_state("networkidle")
        for selector in forbidden:
            expect(page.locator(selector), f"{selector} on {url}").to_have_count(0)
    # The editor's fields read as text: no editable control, no "+ Add row", the values still there.
    page.goto(f"{base}/pitches/{pitch.pk}/")
    expect(page.locator("[data-readonly]")).to_be_visible()
    editable = page.locator(".sections :is(input, textarea, select):enabled:not([type=hidden])")
    expect(editable).to_have_count(0)
    expect(page.locator("#input-story\\.purpose")).not_to_have_value("")
    _shot(page, "viewer-editor-1280")

    _open_demo(page, base, pitch, model)
    for selector in DEMO_CONTROLS:
        expect(page.locator(selector), selector).to_have_count(0)
    expect(page.locator('[data-role="on-slide-note"]')).to_be_visible()  # read, not a switch
    expect(page.locator('[data-role="link-url"]')).to_have_value(f"{base}/d/{'a' * 24}/")
    expect(page.locator("#demo-add :is(input, select, textarea, button):visible")).to_have_count(0)
    _shot(page, "viewer-demo-1280")

    # The presenter view: a viewer presents, but is not offered to record a rehearsal.
    page.goto(f"{base}/pitches/{pitch.pk}/present/")
    page.wait_for_load_state("load")
    expect(page.locator("[data-rehearse]")).to_be_hidden()

    # The drill: a viewer drills for themselves; the owner's ratings and notes are not theirs to see.
    page.goto(f"{base}/pitches/{pitch.pk}/drill/")
    expect(page.locator("[data-history-empty]")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("The owner's own better answer.")
    _shot(page, "viewer-drill-1280")

    # The share panel is the owner's: 403 with the reason, and the deck panel does not link to it.
    response = page.goto(f"{base}/pitches/{pitch.pk}/share/")
    assert response is not None
    assert response.status == 403
    assert errors == []
    context.close()

    phone, small = _logged_in(browser, base, "vera", width=390)
    _open_demo(small, base, pitch, model)
    _shot(small, "viewer-demo-390")
    small.goto(f"{base}/pitches/{pitch.pk}/")
    _shot(small, "viewer-editor-390")
    small.goto(f"{base}/pitches/{pitch.pk}/rehearsals/{rehearsal.pk}/")
    _shot(small, "viewer-report-390")
    phone.close()


def test_the_owner_still_sees_every_control(browser: Any, live_server: Any) -> None:
    pitch, model, rehearsal = _world()
    base = live_server.url
    context, page = _logged_in(browser, base, "olga")
    for url, controls in _pages(pitch, rehearsal):
        if url.endswith("/team/"):
            continue  # the team's controls are per member: the viewer's row, checked below
        page.goto(f"{base}{url}")
        page.wait_for_load_state("networkidle")
        for selector in controls:
            assert page.locator(selector).count() > 0, f"{selector} missing on {url}"
    page.goto(f"{base}/pitches/{pitch.pk}/team/")
    expect(page.locator("form.member-role")).to_have_count(1)
    _open_demo(page, base, pitch, model)
    for selector in DEMO_CONTROLS:
        assert page.locator(selector).count() > 0, selector
    expect(page.locator('[data-role="on-slide-note"]')).to_have_count(0)
    _shot(page, "owner-demo-1280")
    page.goto(f"{base}/pitches/{pitch.pk}/drill/")
    expect(page.locator("#drill-history")).to_contain_text("The owner's own better answer.")
    context.close()
