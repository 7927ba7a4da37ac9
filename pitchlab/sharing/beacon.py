"""The web deck's dwell report, checked strictly before anything is stored (pure).

A report is a JSON object {slide key: milliseconds on screen since the last report}. Anyone holding a link
can send one, so it is held to what a real deck can send: known slide keys only, whole milliseconds, at
most ten minutes in one report, a small body.
"""

from __future__ import annotations

import json
from collections.abc import Collection

from django.utils.translation import gettext as _

from pitchlab.core.exceptions import ApplicationError

MAX_BODY_BYTES = 4096
MAX_REPORT_MS = 10 * 60 * 1000  # the deck reports every 15 s; ten minutes is far beyond a hidden-tab gap


class BadReport(ApplicationError):
    """A dwell report that does not come from a real deck (400, nothing stored)."""


def dwell_parse(body: bytes, *, keys: Collection[str]) -> dict[str, int]:
    """The report in ``body`` as {slide key: ms}, slides with 0 ms left out; BadReport with the reason otherwise."""
    if len(body) > MAX_BODY_BYTES:
        raise BadReport(_("The report is larger than %(limit)d bytes.") % {"limit": MAX_BODY_BYTES})
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # RecursionError: "[[[[…" nested too deeply
        raise BadReport(_("The report is not JSON.")) from exc
    if not isinstance(data, dict):
        raise BadReport(_("The report must be an object of slide keys and milliseconds."))
    report: dict[str, int] = {}
    for key, ms in data.items():
        if key not in keys:
            raise BadReport(_("The deck has no slide %(key)s.") % {"key": json.dumps(key)[:80]})
        if isinstance(ms, bool) or not isinstance(ms, int):
            raise BadReport(_("Times are whole milliseconds."))
        if ms < 0 or ms > MAX_REPORT_MS:
            raise BadReport(_("A time must be between 0 and %(limit)d ms.") % {"limit": MAX_REPORT_MS})
        if ms:
            report[key] = ms
    if sum(report.values()) > MAX_REPORT_MS:
        raise BadReport(_("One report covers at most %(limit)d ms.") % {"limit": MAX_REPORT_MS})
    return report
