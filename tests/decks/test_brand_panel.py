"""The brand kit panel on the editor page: editors get its controls with the stored values, viewers the values."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from PIL import Image

from pitchlab.pictures.models import Picture
from pitchlab.pictures.services import picture_upload
from pitchlab.pitches.models import Pitch, PitchMember
from pitchlab.pitches.services import pitch_create, pitch_write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("owner")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    pitch = pitch_create(owner=owner, name="Lumen")
    return pitch


def logo(pitch: Pitch, role: Picture.Role, colour: str) -> Picture:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 40), colour).save(buffer, format="PNG")
    return picture_upload(pitch=pitch, user=None, data=buffer.getvalue(), role=role, alt=f"{colour} logo")[0]


class _Tags(HTMLParser):
    """Every start tag of a fragment as (tag, attributes), and the text of each <option>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.options: list[str] = []
        self._in_option = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._in_option = tag == "option"
        if self._in_option:
            self.options.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_option = False if tag == "option" else self._in_option

    def handle_data(self, data: str) -> None:
        if self._in_option:
            self.options[-1] += data


class Panel:
    def __init__(self, html: str) -> None:
        self.html = html
        parser = _Tags()
        parser.feed(html)
        self.tags = parser.tags
        self.options = parser.options

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        return [
            found
            for name, found in self.tags
            if name == tag and all(found.get(key) == value for key, value in wanted.items())
        ]

    def text(self) -> str:
        return " ".join(re.sub(r"<[^>]+>", " ", self.html).split())


def editor(user: User, pitch: Pitch) -> tuple[str, Panel]:
    """The editor page's Deck section and its brand kit panel."""
    client = Client()
    client.force_login(user)
    response = client.get(f"/pitches/{pitch.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('id="section-deck"') :]
    start = section.index('<section class="brandkit-panel"')
    return section, Panel(section[start : section.index("</section>", start)])


def test_the_editor_shows_the_stored_brand_kit(owner: User, pitch: Pitch) -> None:
    first, second = logo(pitch, Picture.Role.LOGO, "red"), logo(pitch, Picture.Role.LOGO_DARK, "blue")
    brand = {"primary": "#e11d48", "heading_font": "caladea", "footer": "Lumen · 2026", "logo": first.pk}
    pitch_write(pitch_id=pitch.pk, changes={"deck.brand": brand}, base_version=pitch.version)
    section, panel = editor(owner, pitch)
    assert panel.find("input", data_brand_input="primary")[0]["value"] == "#e11d48"
    assert panel.find("input", data_brand_input="accent")[0]["value"] == ""  # the theme's own
    assert panel.find("input", data_brand_input="footer")[0]["value"] == "Lumen · 2026"
    selected = [o for o in panel.find("option") if "selected" in o]
    assert [o["value"] for o in selected] == ["caladea", "noto-sans"]  # heading, body
    # every family of the catalogue, by name, in its own face (twice: heading and body)
    families = ["Noto Sans", "Noto Serif", "Lato", "Open Sans", "Roboto", "Caladea"]
    assert [text.strip() for text in panel.options] == families * 2
    assert panel.find("option", value="caladea")[0]["style"].startswith('font-family: "PL Caladea"')
    assert len(panel.find("link", href="/static/pitchlab/fonts/caladea.css")) == 0  # stylesheets stand before it
    assert "/static/pitchlab/fonts/caladea.css" in section[: section.index("brandkit-panel")]
    # the logos, newest first after "newest uploaded"; the stored choice checked, null checked for logo_dark
    radios = panel.find("input", data_brand_logo="logo")
    assert [r["value"] for r in radios] == ["", str(second.pk), str(first.pk)]
    assert [r["value"] for r in radios if "checked" in r] == [str(first.pk)]
    assert [r["value"] for r in panel.find("input", data_brand_logo="logo_dark") if "checked" in r] == [""]
    # drawn before the Pictures panel, where the logos are uploaded
    assert section.index("brandkit-panel") < section.index("data-pictures-panel")


def test_a_viewer_reads_the_brand_kit_without_controls(
    owner: User, pitch: Pitch, make_user: Callable[..., User]
) -> None:
    pitch_write(pitch_id=pitch.pk, changes={"deck.brand": {"primary": "#e11d48", "body_font": "lato"}}, base_version=0)
    viewer = make_user("viewer")
    PitchMember.objects.create(pitch=pitch, user=viewer, role="viewer", invited_by=owner)
    _, panel = editor(viewer, pitch)
    assert [tag for tag, _ in panel.tags if tag in ("input", "select", "button", "script")] == []
    assert "#e11d48" in panel.text()
    assert "Lato" in panel.text()
