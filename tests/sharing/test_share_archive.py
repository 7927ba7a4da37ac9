"""A pitch's archive holds its share links and their analytics, never a token or a password's hash."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from typing import Any

from pitchlab.pitches.archive import pitch_archive_build
from pitchlab.pitches.models import Pitch
from pitchlab.sharing.models import ShareLink, ShareVisit, SlideDwell


def test_archive_lists_links_with_analytics_and_no_secrets(
    pitch: Pitch, make_link: Callable[..., ShareLink], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    link = make_link(label="Acme Ventures", password="s3cret-pass")
    visit = ShareVisit.objects.create(link=link, viewer="v1")
    SlideDwell.objects.create(visit=visit, slide_key="title", ms=4200)
    with zipfile.ZipFile(pitch_archive_build(pitch=pitch)) as zipped:
        raw = zipped.read("share_links.json").decode()
    rows = json.loads(raw)
    assert [row["label"] for row in rows] == ["Acme Ventures"]
    assert rows[0]["has_password"] is True
    assert rows[0]["views"] == 1
    title = next(stat for stat in rows[0]["slides"] if stat["key"] == "title")
    assert title["total_seconds"] == 4.2
    assert link.token not in raw
    assert link.password not in raw
