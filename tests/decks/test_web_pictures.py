"""The web deck shows the pitch's pictures: the logo, the cover, the screenshots and the headshots, on the web deck,
the presenter view and the share page, each as an <img> with its versioned URLs, alt text, srcset and size; the
share page's through the share route alone."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

from pitchlab.decks import web
from pitchlab.decks.deck_pictures import DeckPicture
from pitchlab.decks.slides import Block, initials
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import
from pitchlab.sharing import services
from tests.pictures.conftest import encoded

# The share route counts its requests in Redis: the embedded default needs its server running (app_broker).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("app_broker")]


@dataclass(frozen=True)
class Uploaded:
    id: int
    role: str
    alt: str
    version: str
    width: int
    height: int


class _Images(HTMLParser):
    """Every <img>'s attributes, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append({name: value or "" for name, value in attrs})


def images(html: str) -> list[dict[str, str]]:
    parser = _Images()
    parser.feed(html)
    return parser.images


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("founder")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_import(owner=owner, document=template_document("support_nlp"))


@pytest.fixture
def pictures(owner: User, pitch: Pitch) -> dict[str, Uploaded]:
    """A pitch with an old logo (replaced), a logo, a cover, two screenshots and three headshots named for the
    first three team members, uploaded through the pictures API."""
    api = APIClient()
    api.force_authenticate(owner)
    names = [member["name"] for member in pitch.content["team"]]
    uploads = [
        ("old_logo", "logo", "Old logo", (300, 100), "gray"),
        ("logo", "logo", "Lumen logo", (400, 120), "navy"),
        ("cover", "cover", "The support floor", (1600, 1000), "teal"),
        ("shot1", "screenshot", "The routed inbox", (1400, 875), "white"),
        ("shot2", "screenshot", "Why a ticket was routed", (1400, 875), "lightblue"),
        *((f"head{i}", "headshot", names[i], (480, 480), colour) for i, colour in enumerate(("tan", "olive", "plum"))),
    ]
    found: dict[str, Uploaded] = {}
    for key, role, alt, size, colour in uploads:
        file = SimpleUploadedFile(f"{key}.png", encoded("PNG", size, colour=colour), content_type="image/png")
        response = api.post(
            f"/api/pitches/{pitch.pk}/pictures/", {"file": file, "role": role, "alt": alt}, format="multipart"
        )
        assert response.status_code == 201, response.content
        body = response.json()
        found[key] = Uploaded(body["id"], role, alt, body["version"], *size)
    return found


def placed(found: dict[str, Uploaded]) -> list[Uploaded]:
    return [picture for key, picture in found.items() if key != "old_logo"]


def of(picture: Uploaded, imgs: list[dict[str, str]]) -> list[dict[str, str]]:
    """The <img>s showing ``picture`` (its id in the URL's path)."""
    return [img for img in imgs if re.search(rf"/pictures/{picture.id}/", img.get("src", ""))]


def assert_shown(html: str, found: dict[str, Uploaded], base: Callable[[int], str]) -> None:
    imgs = images(html)
    for picture in placed(found):
        shown = of(picture, imgs)
        assert shown, f"{picture.role} {picture.alt!r} is not on the page"
        for img in shown:
            assert img["src"].startswith(base(picture.id)), img["src"]
            steps = [entry.split() for entry in img["srcset"].split(", ")]
            assert len(steps) >= 2, img["srcset"]
            for url, width in steps:
                assert url.startswith(base(picture.id))
                assert f"v={picture.version}" in url
                assert url.endswith(f"w={width.removesuffix('w')}")
            assert int(steps[-1][1].removesuffix("w")) == picture.width  # never more than it has
            assert (img["width"], img["height"]) == (str(picture.width), str(picture.height))
            assert img["sizes"]
            assert img["decoding"] == "async"
            assert img["loading"] in ("lazy", "eager")
            assert "object-position: 50.0% 50.0%" in img["style"]
        # Its alt text, wherever it is more than decoration (the footer's logo stands before the company's name).
        assert picture.alt in [img["alt"] for img in shown]
    assert not of(found["old_logo"], imgs)
    logos = of(found["logo"], imgs)
    assert {img["class"] for img in logos} == {"title-logo", "footer-logo"}
    assert all("object-fit: contain" in img["style"] for img in logos)
    for key in ("cover", "shot1", "head0"):
        assert all("object-fit: cover" in img["style"] for img in of(found[key], imgs))
    # The first slide's pictures load at once, the others when their slide is shown.
    assert {img["loading"] for img in of(found["cover"], imgs)} == {"eager"}
    assert {img["loading"] for img in of(found["shot1"], imgs)} == {"lazy"}


def test_the_web_deck_and_the_presenter_view_show_every_placed_picture(
    client: Client, owner: User, pitch: Pitch, pictures: dict[str, Uploaded]
) -> None:
    client.force_login(owner)
    api = f"/api/pitches/{pitch.pk}/pictures/"
    pages = ("deck/", "present/", "deck/?audience=1")
    for page in (f"/pitches/{pitch.pk}/{path}" for path in pages):
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert_shown(html, pictures, lambda picture_id: f"{api}{picture_id}/")
        # The screenshots side by side on the solution slide, the headshots in the team's cards.
        assert re.search(r'<figure class="pictures pictures-2">(<img [^>]*>){2}</figure>', html), page
        assert html.count('class="person-photo"') == 3
        assert html.count("person-initials") == len(pitch.content["team"]) - 3


def test_the_share_page_shows_them_through_the_share_route_only(
    client: Client, pitch: Pitch, owner: User, pictures: dict[str, Uploaded]
) -> None:
    link = services.share_link_create(pitch=pitch, user=owner, label="Acme Ventures")
    route = f"/s/{link.token}/pictures/"
    html = client.get(f"/s/{link.token}/").content.decode()
    assert_shown(html, pictures, lambda picture_id: f"{route}{picture_id}/")
    assert "/api/" not in html
    assert all(img["src"].startswith(route) for img in images(html) if "/pictures/" in img["src"])

    # Each URL the page names gives the picture, as WebP to a browser that takes it, no wider than asked.
    for picture in placed(pictures):
        img = of(picture, images(html))[0]
        for url, width in (entry.split() for entry in img["srcset"].split(", ")):
            response = client.get(url, HTTP_ACCEPT="image/webp,image/*")
            assert response.status_code == 200, url
            assert response["Content-Type"] == "image/webp"
            served = Image.open(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
            assert served.format == "WEBP"
            assert served.width == int(width.removesuffix("w"))
    # A picture of the pitch the deck does not place (the replaced logo) is not there to be had.
    assert client.get(f"{route}{pictures['old_logo'].id}/?w=320").status_code == 404


def test_a_locked_links_pictures_are_404_until_its_password_is_given(
    client: Client, pitch: Pitch, owner: User, pictures: dict[str, Uploaded]
) -> None:
    link = services.share_link_create(pitch=pitch, user=owner, label="Locked", password="open sesame")
    url = f"/s/{link.token}/pictures/{pictures['logo'].id}/?w=160"
    assert client.get(url, HTTP_ACCEPT="image/webp").status_code == 404
    assert client.post(f"/s/{link.token}/", {"password": "open sesame"}).status_code == 302
    assert client.get(url, HTTP_ACCEPT="image/webp").status_code == 200
    assert Client().get(url, HTTP_ACCEPT="image/webp").status_code == 404  # another browser is still locked out


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("w=abc", "w"),
        ("w=0", "w"),
        ("w=99999", "w"),
        ("fmt=gif", "fmt"),
        ("ratio=7:3", "ratio"),
        ("v=" + "x" * 65, "v"),
    ],
)
def test_the_share_route_refuses_a_bad_query_with_400_naming_it(
    client: Client, pitch: Pitch, owner: User, pictures: dict[str, Uploaded], query: str, named: str
) -> None:
    link = services.share_link_create(pitch=pitch, user=owner, label="Acme Ventures")
    response = client.get(f"/s/{link.token}/pictures/{pictures['logo'].id}/?{query}")
    assert response.status_code == 400
    assert response.content.decode().startswith(f"{named}:")


def picture(width: int, height: int = 100, **fields: Any) -> DeckPicture:
    return DeckPicture(id=1, role="screenshot", alt="", width=width, height=height, url="/p/1/?v=abc", **fields)


def test_srcset_steps_through_the_servers_widths_up_to_the_pictures_own() -> None:
    assert web.srcset(picture(700)) == "/p/1/?v=abc&w=160 160w, /p/1/?v=abc&w=320 320w, /p/1/?v=abc&w=640 640w, " + (
        "/p/1/?v=abc&w=700 700w"
    )
    assert web.srcset(picture(120)) == "/p/1/?v=abc&w=120 120w"
    assert web.srcset(picture(640)).endswith("&w=320 320w, /p/1/?v=abc&w=640 640w")
    assert web.srcset(picture(5000)).endswith("&w=1920 1920w")  # the largest web width the server makes


def test_the_focal_point_is_the_object_position() -> None:
    assert web.object_position(picture(800, focal_x=0.25, focal_y=1.0)) == "25.0% 100.0%"


@pytest.mark.parametrize(
    ("name", "letters"),
    [("Ada Lovelace", "AL"), ("maya de la cruz", "MC"), ("Cher", "C"), ("王小明", "王"), ("  ", "")],
)
def test_a_person_without_a_headshot_shows_their_initials(name: str, letters: str) -> None:
    assert initials(name) == letters


def test_a_longer_statement_is_set_smaller_and_chinese_counts_double() -> None:
    assert [web.statement_size("x" * n) for n in (100, 200, 400)] == ["l", "m", "s"]
    assert web.statement_size("痛" * 100) == "m"


def test_the_text_beside_a_gallery_is_set_smaller_the_longer_its_blocks() -> None:
    def blocks(*texts: str) -> list[Block]:
        return [Block("text", heading="Our insight", text=text) for text in texts]

    assert web.column_size(blocks("x" * 300)) == "l"
    assert web.column_size(blocks("x" * 300, "x" * 200)) == "m"
    assert web.column_size(blocks("x" * 300, "x" * 400)) == "s"
