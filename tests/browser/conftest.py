"""The browser tests use the session's one chromium: the ``browser`` fixture in tests/conftest.py."""

from typing import Any

PASSWORD = "a-long enough passphrase"
"""The password of the users the browser tests create and log in as."""

NO_BEACONS = "delete Navigator.prototype.sendBeacon;"
"""An init script for pages that open a share link but do not test its analytics: share.js sends no beacons
without ``navigator.sendBeacon``. A route that aborts them is not enough: the beacon sent as the page closes is
not routed, and it can land while the test's database is being emptied (a deadlock on PostgreSQL)."""


def without_beacons(target: Any) -> Any:
    """``target`` (a browser context or page) with the share page's analytics beacons switched off."""
    target.add_init_script(NO_BEACONS)
    return target


def logged_in(browser: Any, base: str, width: int = 1280, *, username: str = "ada", password: str = PASSWORD) -> Any:
    """A browser context of ``width`` × 900 logged in as ``username`` (the founder the editor tests create)."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="My pitches")).to_be_visible()
    page.close()
    return context
