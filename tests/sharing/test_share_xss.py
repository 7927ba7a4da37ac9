"""Stored XSS: what founders and owners type reaches the share view and the analytics page as text, never markup."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from pitchlab.pitches.models import Pitch
from pitchlab.sharing import services
from pitchlab.sharing.models import ShareLink
from tests.sharing.conftest import deck_url

pytestmark = pytest.mark.django_db

PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")


def _poison(pitch: Pitch) -> None:
    content = copy.deepcopy(pitch.content)
    payload = " ".join(PAYLOADS)
    for field in ("purpose", "customer_pain", "conflict", "climax", "vision"):
        content["story"][field] = f"{field} {payload}"
    content["team"][0]["name"] = payload
    content["team"][0]["bio"] = payload
    content["data"]["traction"][0]["metric"] = payload
    content["deck"] = {"slides": [{"kind": "problem", "title": payload}], "theme": "light"}
    Pitch.objects.filter(pk=pitch.pk).update(content=content, name=f"Acme {PAYLOADS[0]}")
    pitch.refresh_from_db()


def _assert_text_only(html: str) -> None:
    for raw in PAYLOADS:
        assert raw not in html
    assert "<img src=x" not in html
    assert "<script>alert" not in html
    assert "onerror=alert(1)>" not in html.replace("onerror=alert(1)&gt;", "")


def test_the_shared_deck_renders_canvas_text_as_text(client: Client, pitch: Pitch, link: ShareLink) -> None:
    _poison(pitch)
    html = client.get(deck_url(link)).content.decode()
    _assert_text_only(html)
    assert ESCAPED[0] in html  # the text is there, escaped
    assert ESCAPED[1] in html


def test_the_password_page_renders_the_pitch_name_as_text(
    client: Client, pitch: Pitch, make_link: Callable[..., ShareLink]
) -> None:
    _poison(pitch)
    html = client.get(deck_url(make_link(password="open sesame"))).content.decode()
    _assert_text_only(html)
    assert ESCAPED[0] in html


def test_the_analytics_page_renders_labels_and_slide_titles_as_text(
    owner_client: Client, owner_api: APIClient, pitch: Pitch, make_link: Callable[..., ShareLink]
) -> None:
    _poison(pitch)
    link = make_link(label=" ".join(PAYLOADS))
    services.share_visit_start(link=link, viewer_id="x" * 24)
    services.share_dwell_record(link=link, viewer_id="x" * 24, report={"problem": 4000, "title": 1000})
    html = owner_client.get(f"/pitches/{pitch.pk}/share/").content.decode()
    _assert_text_only(html)
    assert ESCAPED[0] in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html  # the chart is there, with the title escaped in it
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert "&lt;script&gt;" in chart
    assert "<script" not in chart
    # The API answers JSON (no HTML), with the label as typed.
    body = owner_api.get(f"/api/share-links/{link.pk}/").json()
    assert body["label"] == " ".join(PAYLOADS)
