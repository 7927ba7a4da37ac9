"""A founder signs up, creates a pitch and logs out; a second founder cannot open it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long enough passphrase"


def sign_up(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/signup/")
    page.fill("#id_username", username)
    page.fill("#id_email", f"{username}@example.com")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="My pitches")).to_be_visible()


def test_sign_up_create_pitch_log_out_and_second_user_gets_404(browser: Any, live_server: Any) -> None:
    base = live_server.url
    first = browser.new_context()
    page = first.new_page()
    sign_up(page, base, "ada")

    # An empty name is refused at the field; nothing is created.
    page.fill("#id_name", "   ")
    page.click("text=Create pitch")
    expect(page.locator(".field.has-error .errors")).to_contain_text("required")

    page.fill("#id_name", "Lumen Health AI")
    page.click("text=Create pitch")
    expect(page.get_by_role("heading", name="Lumen Health AI")).to_be_visible()
    match = re.search(r"/pitches/(\d+)/$", page.url)
    assert match, page.url
    pitch_url = f"{base}/pitches/{match.group(1)}/"

    page.click("text=My pitches")
    expect(page.locator(".pitch-row")).to_have_count(1)
    expect(page.locator(".pitch-name")).to_have_text("Lumen Health AI")

    page.click("text=Log out")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.goto(pitch_url)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    first.close()

    second = browser.new_context()
    intruder = second.new_page()
    sign_up(intruder, base, "mallory")
    expect(intruder.locator(".empty")).to_be_visible()
    response = intruder.goto(pitch_url)
    assert response is not None
    assert response.status == 404
    expect(intruder.get_by_role("heading", name="Not found")).to_be_visible()
    expect(intruder.locator("body")).not_to_contain_text("Lumen Health AI")
    second.close()
