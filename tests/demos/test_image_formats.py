"""Every image entry point takes exactly what its message names: PNG, JPEG and WebP, judged by content
(issue 15 §6: BMP and GIF were accepted although the message said otherwise)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from models_service.errors import ServiceError
from models_service.predictors import image as service_image
from pitchlab.core.exceptions import ApplicationError
from pitchlab.demos.inputs import check_image
from pitchlab.demos.models import AudienceLink, DemoExample, DemoModel
from pitchlab.pitches.models import Pitch

ACCEPTED = ["PNG", "JPEG", "WEBP"]
REFUSED = ["GIF", "BMP", "TIFF", "ICO", "PPM", "TGA", "PCX", "DIB", "SGI"]
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
PSD_HEADER = b"8BPS\x00\x01" + b"\x00" * 6 + b"\x00\x03\x00\x00\x00\x10\x00\x00\x00\x10\x00\x08\x00\x03"


def encoded(fmt: str, size: tuple[int, int] = (32, 24)) -> bytes:
    buffer = io.BytesIO()
    mode = "RGB" if fmt not in ("GIF", "PCX") else "P"
    Image.new(mode, size, 3 if mode == "P" else "red").save(buffer, format=fmt)
    return buffer.getvalue()


def refused_files() -> list[tuple[str, bytes]]:
    return [(fmt, encoded(fmt)) for fmt in REFUSED] + [("SVG", SVG), ("PSD", PSD_HEADER)]


# ---------- the web side's check, by content ----------


@pytest.mark.parametrize("fmt", ACCEPTED)
def test_png_jpeg_and_webp_are_accepted_and_become_png(fmt: str) -> None:
    out = check_image(encoded(fmt))
    assert Image.open(io.BytesIO(out)).format == "PNG"


@pytest.mark.parametrize(("fmt", "data"), refused_files(), ids=[name for name, _ in refused_files()])
def test_every_other_format_is_refused_with_the_message(fmt: str, data: bytes) -> None:
    with pytest.raises(ApplicationError) as refused:
        check_image(data)
    assert "PNG, JPEG or WebP" in refused.value.message
    assert refused.value.extra["field"] == "image"
    assert refused.value.extra["code"] == "not_an_image"


# ---------- the inference side, which decodes clients' bytes too ----------


@pytest.mark.parametrize("fmt", ACCEPTED)
def test_models_service_accepts_the_same_three(fmt: str) -> None:
    assert service_image.decode(encoded(fmt), max_bytes=10**7, max_pixels=10**7).size == (32, 24)


@pytest.mark.parametrize(("fmt", "data"), refused_files(), ids=[name for name, _ in refused_files()])
def test_models_service_refuses_the_rest(fmt: str, data: bytes) -> None:
    with pytest.raises(ServiceError) as refused:
        service_image.decode(data, max_bytes=10**7, max_pixels=10**7)
    assert "PNG, JPEG or WebP" in str(refused.value)


# ---------- over HTTP: examples, the founder's live call, the audience's ----------


@pytest.fixture
def image_model(pitch: Pitch) -> DemoModel:
    return DemoModel.objects.create(
        pitch=pitch,
        name="Chart reader",
        kind="image",
        source="examples",
        status="ready",
        artefact="sample-image",
        labels=["bar", "line"],
    )


def _upload(data: bytes, name: str, content_type: str) -> dict[str, Any]:
    return {"image": SimpleUploadedFile(name, data, content_type=content_type)}


# A GIF named like a PNG and declared image/png is still a GIF: the name and the declared type count for nothing.
DISGUISES = [("photo.png", "image/png"), ("photo.jpg", "image/jpeg"), ("photo.webp", "image/webp")]


@pytest.mark.django_db
@pytest.mark.parametrize(("fmt", "data"), refused_files()[:4] + refused_files()[-2:], ids=lambda v: str(v)[:8])
@pytest.mark.parametrize(("name", "content_type"), DISGUISES)
def test_an_example_in_another_format_is_400_and_stores_nothing(
    client_of: APIClient,
    image_model: DemoModel,
    settings: Any,
    tmp_path: Path,
    fmt: str,
    data: bytes,
    name: str,
    content_type: str,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    response = client_of.post(
        f"/api/demo-models/{image_model.pk}/examples/", _upload(data, name, content_type), format="multipart"
    )
    assert response.status_code == 400, response.content[:300]
    assert "PNG, JPEG or WebP" in response.json()["message"]
    assert not DemoExample.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_live_calls_refuse_other_formats_before_anything_is_queued(
    client_of: APIClient, image_model: DemoModel, fmt: str, make_user: Callable[..., Any]
) -> None:
    data = encoded(fmt)
    founder = client_of.post(
        f"/api/demo-models/{image_model.pk}/predict/", _upload(data, "x.png", "image/png"), format="multipart"
    )
    assert founder.status_code == 400
    assert "PNG, JPEG or WebP" in founder.json()["message"]
    link = AudienceLink.objects.create(demo_model=image_model, token="b" * 24)
    audience = APIClient().post(f"/d/{link.token}/predict/", _upload(data, "x.jpg", "image/jpeg"), format="multipart")
    assert audience.status_code == 400
    assert "PNG, JPEG or WebP" in audience.json()["message"]
