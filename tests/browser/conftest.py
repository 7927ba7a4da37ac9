"""The browser tests use the session's one chromium: the ``browser`` fixture in tests/conftest.py."""

from typing import Any

NO_BEACONS = "delete Navigator.prototype.sendBeacon;"
"""An init script for pages that open a share link but do not test its analytics: share.js sends no beacons
without ``navigator.sendBeacon``. A route that aborts them is not enough: the beacon sent as the page closes is
not routed, and it can land while the test's database is being emptied (a deadlock on PostgreSQL)."""


def without_beacons(target: Any) -> Any:
    """``target`` (a browser context or page) with the share page's analytics beacons switched off."""
    target.add_init_script(NO_BEACONS)
    return target
