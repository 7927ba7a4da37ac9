"""HTML, JSON, CSS and JavaScript go out gzipped to a client that accepts it; fonts, images and byte ranges never."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.http import FileResponse, HttpResponse
from django.test import Client, RequestFactory, override_settings

from pitchlab.core.compression import TextGZipMiddleware
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import
from pitchlab.sharing import services as sharing

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
STATIC = Path(settings.BASE_DIR) / "static"


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("founder")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_import(owner=owner, document=template_document("support_nlp"))


@pytest.fixture
def founder(client: Client, owner: User) -> Client:
    client.force_login(owner)
    return client


def _pages(pitch: Pitch, owner: User) -> list[str]:
    token = sharing.share_link_create(pitch=pitch, user=owner).token
    return [
        "/",  # the dashboard
        f"/pitches/{pitch.pk}/",  # the editor
        f"/pitches/{pitch.pk}/deck/",
        f"/pitches/{pitch.pk}/deck/?lang=zh",
        f"/pitches/{pitch.pk}/present/",
        f"/pitches/{pitch.pk}/share/",
        f"/s/{token}/",  # the public share page
    ]


def test_every_page_is_gzipped_and_reads_the_same(founder: Client, pitch: Pitch, owner: User) -> None:
    for path in _pages(pitch, owner):
        plain = founder.get(path)
        packed = founder.get(path, headers=GZIP)
        assert plain.status_code == packed.status_code == 200, path
        assert "Content-Encoding" not in plain, path
        assert packed["Content-Encoding"] == "gzip", path
        assert "Accept-Encoding" in packed["Vary"], path
        html = gzip.decompress(packed.content).decode()
        # The same page, less the per-response CSRF token: same length give or take the token's spelling.
        assert "<html" in html, path
        assert abs(len(html) - len(plain.content.decode())) <= 2, path
        assert len(packed.content) < len(plain.content) / 2, path  # (gzip adds up to 100 random bytes: BREACH)


def test_api_json_is_gzipped(founder: Client, pitch: Pitch, owner: User) -> None:
    pitch_import(owner=owner, document=template_document("medical_imaging"))  # a list long enough to be worth it
    for path in (
        "/api/pitches/",
        "/api/templates/",
        f"/api/pitches/{pitch.pk}/canvas/",
        f"/api/pitches/{pitch.pk}/checks/",
        "/api/schema/?format=json",
    ):
        plain = founder.get(path)
        packed = founder.get(path, headers=GZIP)
        assert plain.status_code == packed.status_code == 200, path
        assert "Content-Encoding" not in plain, path
        assert packed.get("Content-Encoding") == "gzip", (path, len(plain.content))
        assert json.loads(gzip.decompress(packed.content)) == json.loads(plain.content), path


def test_an_error_in_json_is_gzipped_too(founder: Client) -> None:
    response = founder.get("/api/pitches/999999/", headers=GZIP)
    assert response.status_code == 404
    body = gzip.decompress(response.content) if response.has_header("Content-Encoding") else response.content
    assert json.loads(body)  # short bodies (under 200 bytes) may go out plain: nothing to win


def _debug_client() -> Client:
    """A client whose WhiteNoise is set up as under `make run` (debug on: the source files, through the finders)."""
    return Client()


@override_settings(DEBUG=True, WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
@pytest.mark.parametrize(
    "name", ["pitchlab/fonts.css", "pitchlab/deck.css", "pitchlab/deck.js", "pitchlab/app.css", "pitchlab/favicon.svg"]
)
def test_static_text_is_gzipped_under_make_run(name: str) -> None:
    response = _debug_client().get(f"/static/{name}", headers=GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == (STATIC / name).read_bytes()  # type: ignore[attr-defined]


@override_settings(DEBUG=True, WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
@pytest.mark.parametrize(
    "name", ["fonts/web/pl-sans-400-latin.woff2", "fonts/web/pl-cjk-00.woff2", "fonts/NotoSans-Bold.ttf"]
)
def test_fonts_go_out_as_they_are(name: str) -> None:
    response = _debug_client().get(f"/static/{name}", headers=GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content) == (STATIC / name).read_bytes()  # type: ignore[attr-defined]


def _through_middleware(response: HttpResponse | FileResponse) -> HttpResponse | FileResponse:
    request = RequestFactory().get("/anything", headers=GZIP)
    result = TextGZipMiddleware(lambda _request: response)(request)
    assert isinstance(result, HttpResponse | FileResponse)
    return result


@pytest.mark.parametrize(
    ("content_type", "compressed"),
    [
        ("text/html; charset=utf-8", True),
        ("application/json", True),
        ("application/problem+json", True),
        ("application/vnd.oai.openapi+json", True),
        ("text/css", True),
        ("application/javascript", True),
        ("image/svg+xml", True),
        ("image/png", False),
        ("font/woff2", False),
        ("application/pdf", False),
        ("application/zip", False),
        ("application/octet-stream", False),
    ],
)
def test_only_text_is_compressed(content_type: str, compressed: bool) -> None:
    body = b"PitchLab " * 200
    result = _through_middleware(HttpResponse(body, content_type=content_type))
    assert result.has_header("Content-Encoding") is compressed
    assert (gzip.decompress(result.content) if compressed else result.content) == body


def test_a_byte_range_is_never_compressed() -> None:
    response = HttpResponse(b"x" * 1000, content_type="text/css", status=206)
    response["Content-Range"] = "bytes 0-999/5000"
    result = _through_middleware(response)
    assert "Content-Encoding" not in result
    assert result.content == b"x" * 1000


def test_a_streamed_text_response_is_compressed_chunk_by_chunk(tmp_path: Path) -> None:
    """A streamed body (WhiteNoise's files in debug mode) is compressed as it goes, without a Content-Length."""
    source = tmp_path / "big.css"
    source.write_bytes(b".slide { color: red; }\n" * 5000)
    result = _through_middleware(FileResponse(source.open("rb"), content_type="text/css"))
    assert result["Content-Encoding"] == "gzip"
    assert "Content-Length" not in result
    assert isinstance(result, FileResponse)
    assert gzip.decompress(b"".join(result.streaming_content)) == source.read_bytes()  # type: ignore[arg-type]
