"""Hostile uploads through the web API: each refused with the reason in words, no row, no file left behind.

Already covered elsewhere (not repeated here):
- tests/models_service/test_artefacts.py — the artefact checks one by one (``..``, absolute, drive, backslash,
  symlink members; too many files; a 2 MiB ratio bomb; declared sizes; duplicates; pickle names and pickles in
  disguise; torch zips; foreign weights; ``auto_map`` in config.json and tokenizer_config.json;
  ``trust_remote_code``; code files; hidden files; nesting; corrupt zips);
- tests/models_service/test_install.py — the worker's install task: pickle weights, auto_map, ``../``, code,
  not base64, oversize;
- tests/demos/test_demo_api.py — through the web API: ``pytorch_model.bin``, ``auto_map``, ``../``, not a zip,
  too large; images: empty, a PDF, a 30000×30000 and a 6000×6000 PNG header, 50 MB (predict).

Added here, end to end: real zip bombs expanding to gigabytes (by ratio, by declared size, and one whose
header lies about its size), absolute paths, symlinks, ``trust_remote_code``, .pt/.pkl weights, a pickle named
model.safetensors, a zip inside the zip, a PNG that is also a zip; decompression-bomb images as a curated
example and through a public audience link; a PNG/zip polyglot as an image; pitch imports that are HTML, a zip
or JSON nested too deeply; CSV cells that look like spreadsheet formulas; the image-evaluation zip's checks.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from pitchlab.demos.models import DemoExample, DemoModel
from pitchlab.demos.services import audience_link_open, read_examples_csv
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create
from tests.conftest import InferenceWorker

MiB = 1 << 20

# ---------- building hostile zips by hand (zipfile cannot write a member whose header lies) ----------


def _zeros_deflated(mib: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``mib`` MiB of zeros, and its CRC-32, made in well under a second.

    One MiB is compressed with a full flush (a self-contained, byte-aligned piece) and repeated.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = compressor.compress(b"\0" * MiB) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    chunk = b"\0" * MiB
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    return piece * mib + b"\x03\x00", crc  # \x03\x00: an empty final block


class RawZip:
    """A zip written member by member, with whatever sizes, names and modes the test wants."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.central = bytearray()
        self.count = 0

    def add(
        self,
        name: str,
        content: bytes | None = None,
        *,
        deflated: tuple[bytes, int, int] | None = None,  # (raw deflate, crc, real size)
        declare: int | None = None,
        mode: int = 0o100644,
    ) -> RawZip:
        if deflated is None:
            assert content is not None
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            deflated = (compressor.compress(content) + compressor.flush(), zlib.crc32(content), len(content))
        raw, crc, size = deflated
        size = size if declare is None else declare
        encoded = name.encode()
        offset = len(self.data)
        self.data += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(raw), size, len(encoded), 0)
        self.data += encoded + raw
        self.central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            (3 << 8) | 20,  # made on Unix: the external attributes carry the file's mode
            20,
            0,
            8,
            0,
            0x21,
            crc,
            len(raw),
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            mode << 16,
            offset,
        )
        self.central += encoded
        self.count += 1
        return self

    def add_folder(self, folder: Path, prefix: str = "model/") -> RawZip:
        for path in sorted(folder.iterdir()):
            self.add(prefix + path.name, path.read_bytes())
        return self

    def bytes(self, prefix: bytes = b"") -> bytes:
        """The zip; with ``prefix`` (a PNG, say) in front, offsets shifted so it still opens as a zip."""
        shift = len(prefix)
        central = bytearray(self.central)
        position = 0
        while position < len(central):  # shift each central record's local-header offset
            name_length, extra_length, comment_length = struct.unpack_from("<HHH", central, position + 28)
            (offset,) = struct.unpack_from("<I", central, position + 42)
            struct.pack_into("<I", central, position + 42, offset + shift)
            position += 46 + name_length + extra_length + comment_length
        end = struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, self.count, self.count, len(central), shift + len(self.data), 0
        )
        return prefix + bytes(self.data) + bytes(central) + end


def png(size: tuple[int, int] = (16, 12)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A 16×12 PNG whose header says ``width``×``height`` (a decompression bomb's calling card), CRC fixed."""
    data = bytearray(png())
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF)
    return bytes(data)


def test_the_hand_made_zips_are_real_zips(tmp_path: Path) -> None:
    """The bombs below are what they claim: a few MB of zip that really expands to gigabytes."""
    deflated, crc = _zeros_deflated(64)
    data = RawZip().add("zeros.bin", deflated=(deflated, crc, 64 * MiB)).bytes(prefix=png())
    assert len(data) < MiB
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("zeros.bin")
        assert info.file_size == 64 * MiB
        with archive.open(info) as member:
            total = sum(len(chunk) for chunk in iter(lambda: member.read(MiB), b""))
    assert total == 64 * MiB  # read through to the end: the CRC matched
    assert Image.open(io.BytesIO(data)).size == (16, 12)  # and the same bytes are a PNG


# ---------- model zips through the web API, refused by the real inference worker ----------


@pytest.fixture(scope="module")
def bombs() -> dict[str, tuple[bytes, int, int]]:
    deflated_2g, crc_2g = _zeros_deflated(2048)
    deflated_300m, crc_300m = _zeros_deflated(300)
    return {"2 GiB": (deflated_2g, crc_2g, 2048 * MiB), "300 MiB": (deflated_300m, crc_300m, 300 * MiB)}


def _symlink(z: RawZip) -> RawZip:
    return z.add("model/linked.txt", b"/etc/passwd", mode=0o120777)


def _trust_remote_code(z: RawZip, folder: Path) -> RawZip:
    config = json.loads((folder / "config.json").read_text())
    config["trust_remote_code"] = True
    z = RawZip()
    for path in sorted(folder.iterdir()):
        z.add(f"model/{path.name}", json.dumps(config).encode() if path.name == "config.json" else path.read_bytes())
    return z


UPLOADS: dict[str, tuple[Any, str, tuple[str, ...]]] = {
    # name: (how to spoil the zip of a good model, the refusal's code, words its message must hold)
    "zip bomb by ratio (300 MiB of zeros in 300 KB)": (
        lambda z, f, b: z.add("model/notes.txt", deflated=b["300 MiB"]),
        "zip_bomb",
        ("model/notes.txt", "zip bomb"),
    ),
    "zip bomb by declared size (2 GiB)": (
        lambda z, f, b: z.add("model/extra.safetensors", deflated=b["2 GiB"]),
        "too_large",
        ("model/extra.safetensors", "2,147,483,648 bytes uncompressed"),
    ),
    "zip bomb whose header lies (says 1 KB, holds 2 GiB)": (
        lambda z, f, b: z.add("model/readme.txt", deflated=b["2 GiB"], declare=1000),
        "bad_zip",
        ("not a readable zip", "readme.txt"),
    ),
    "absolute path": (lambda z, f, b: z.add("/tmp/evil.txt", b"x"), "unsafe_path", ("'/tmp/evil.txt'", "unsafe")),
    "zip-slip through the top folder": (
        lambda z, f, b: z.add("model/../../evil.txt", b"x"),
        "unsafe_path",
        ("model/../../evil.txt",),
    ),
    "symbolic link": (lambda z, f, b: _symlink(z), "link", ("model/linked.txt", "symbolic link")),
    "trust_remote_code": (lambda z, f, b: _trust_remote_code(z, f), "custom_code", ("trust_remote_code",)),
    "a .pt checkpoint": (
        lambda z, f, b: z.add("model/model.pt", b"PK\x03\x04torch"),
        "pickle_weights",
        ("model.pt", "safetensors"),
    ),
    "a .pkl file": (lambda z, f, b: z.add("model/head.pkl", b"\x80\x04K\x01."), "pickle_weights", ("head.pkl",)),
    "a zip inside the zip": (
        lambda z, f, b: z.add("model/more.dat", RawZip().add("a.txt", b"a").bytes()),
        "pickle_weights",
        ("more.dat", "zip archive"),
    ),
}


@pytest.fixture
def founder_api(db: None) -> tuple[APIClient, Pitch]:
    owner = User.objects.create_user("founder", "founder@example.com", "a-long enough passphrase")
    client = APIClient()
    client.force_authenticate(owner)
    return client, pitch_create(owner=owner, name="Acme AI")


def _everything_in(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def _upload(client: APIClient, pitch: Pitch, data: bytes) -> Any:
    return client.post(
        f"/api/pitches/{pitch.pk}/demo-models/",
        {"source": "upload", "name": "Hostile", "file": SimpleUploadedFile("model.zip", data)},
        format="multipart",
    )


@pytest.mark.slow
@pytest.mark.parametrize(("spoil", "code", "words"), list(UPLOADS.values()), ids=list(UPLOADS))
def test_a_hostile_model_zip_is_refused_with_its_reason_and_leaves_nothing(
    worker_up: InferenceWorker,
    founder_api: tuple[APIClient, Pitch],
    demo_models_dir: Path,
    bombs: dict[str, tuple[bytes, int, int]],
    spoil: Any,
    code: str,
    words: tuple[str, ...],
) -> None:
    client, pitch = founder_api
    folder = demo_models_dir / "sample-text"
    data = spoil(RawZip().add_folder(folder), folder, bombs).bytes()
    assert len(data) < 5 * MiB  # tiny, whatever it expands to
    before = _everything_in(demo_models_dir)
    response = _upload(client, pitch, data)
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["extra"]["code"] == code, body
    for word in words:
        assert word in body["message"], body["message"]
    assert not DemoModel.objects.exists()
    assert _everything_in(demo_models_dir) == before  # nothing unpacked, not even a staging folder


@pytest.mark.slow
def test_a_png_that_is_also_a_zip_is_judged_by_its_zip_content(
    worker_up: InferenceWorker, founder_api: tuple[APIClient, Pitch], demo_models_dir: Path
) -> None:
    """A polyglot model upload: the PNG in front changes nothing, the zip behind is checked like any other."""
    client, pitch = founder_api
    folder = demo_models_dir / "sample-text"
    data = RawZip().add_folder(folder).add("model/pytorch_model.bin", b"\x80\x04K\x01.").bytes(prefix=png())
    assert Image.open(io.BytesIO(data)).format == "PNG"
    before = _everything_in(demo_models_dir)
    response = _upload(client, pitch, data)
    assert response.status_code == 400, response.content[:300]
    assert response.json()["extra"]["code"] == "pickle_weights"
    assert "pytorch_model.bin" in response.json()["message"]
    assert not DemoModel.objects.exists()
    assert _everything_in(demo_models_dir) == before


# ---------- images: curated examples and the public audience link (checked before anything is queued) ----------


@pytest.fixture
def image_model(founder_api: tuple[APIClient, Pitch]) -> DemoModel:
    _, pitch = founder_api
    return DemoModel.objects.create(
        pitch=pitch,
        name="Chart reader",
        kind="image",
        source="examples",
        status="ready",
        artefact="sample-image",
        labels=["bar", "line"],
    )


def _image(data: bytes, name: str = "photo.png") -> dict[str, Any]:
    return {"image": SimpleUploadedFile(name, data, content_type="image/png")}


HOSTILE_IMAGES = {
    "a 50000×50000 PNG header": (png_claiming(50_000, 50_000), "far too many pixels"),
    "a 6000×6000 PNG header (over the 25 MP limit, under Pillow's own)": (
        png_claiming(6000, 6000),
        "6,000×6,000 pixels; the limit is 25 megapixels",
    ),
    "HTML named photo.png": (b"<html><script>alert(1)</script></html>", "not an image PitchLab can read"),
    "a zip named photo.png": (RawZip().add("a.txt", b"a").bytes(), "not an image PitchLab can read"),
    "a truncated PNG": (png((400, 300))[:200], "damaged"),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "words"), list(HOSTILE_IMAGES.values()), ids=list(HOSTILE_IMAGES))
def test_a_hostile_image_example_is_refused_and_stores_nothing(
    founder_api: tuple[APIClient, Pitch], image_model: DemoModel, settings: Any, tmp_path: Path, data: bytes, words: str
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    client, _ = founder_api
    response = client.post(f"/api/demo-models/{image_model.pk}/examples/", _image(data), format="multipart")
    assert response.status_code == 400, response.content[:300]
    assert words in response.json()["message"]
    assert not DemoExample.objects.exists()
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.*"))


@pytest.mark.django_db
def test_a_decompression_bomb_through_a_public_audience_link_is_refused_before_it_is_queued(
    image_model: DemoModel,
) -> None:
    token = audience_link_open(demo_model=image_model).token
    anonymous = APIClient(REMOTE_ADDR="198.51.100.7")
    response = anonymous.post(f"/d/{token}/predict/", _image(png_claiming(50_000, 50_000)), format="multipart")
    assert response.status_code == 400, response.content[:300]  # not 503: nothing was sent to a worker
    assert "far too many pixels" in response.json()["message"]


@pytest.mark.django_db
def test_a_png_zip_polyglot_example_is_stored_as_a_clean_png(
    founder_api: tuple[APIClient, Pitch], image_model: DemoModel, settings: Any, tmp_path: Path
) -> None:
    """A PNG with a zip behind it is accepted as the picture it shows; what is stored and served is a PNG
    PitchLab drew itself, with nothing of the zip left."""
    settings.MEDIA_ROOT = tmp_path / "media"
    client, _ = founder_api
    polyglot = RawZip().add("evil.html", b"<script>alert(1)</script>").bytes(prefix=png((40, 30)))
    assert zipfile.is_zipfile(io.BytesIO(polyglot))
    response = client.post(f"/api/demo-models/{image_model.pk}/examples/", _image(polyglot), format="multipart")
    assert response.status_code == 201, response.content[:300]
    stored = DemoExample.objects.get().image.read()
    assert stored.startswith(b"\x89PNG")
    assert not zipfile.is_zipfile(io.BytesIO(stored))
    assert b"evil.html" not in stored
    served = client.get(response.json()["image_url"])
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"


# ---------- pitch imports ----------


def _import_page(client: Any, data: bytes, name: str = "pitch.json") -> Any:
    return client.post("/pitches/import/", {"document": SimpleUploadedFile(name, data, "application/json")})


IMPORTS = {
    "HTML named .json": (b"<!doctype html><script>alert(1)</script>", "not valid JSON"),
    "a zip named .json": (RawZip().add("a.json", b"{}").bytes(), "not valid JSON"),
    "JSON nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "JSON that is not a PitchLab document": (b'{"format": "something else"}', "not a PitchLab pitch"),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "words"), list(IMPORTS.values()), ids=list(IMPORTS))
def test_a_hostile_pitch_import_is_refused_with_the_reason(
    client: Any, founder_api: tuple[APIClient, Pitch], data: bytes, words: str
) -> None:
    api, pitch = founder_api
    client.force_login(pitch.owner)
    response = _import_page(client, data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert "<script>alert(1)" not in response.content.decode()
    assert Pitch.objects.count() == 1
    if data.startswith(b"{") or data.startswith(b"["):
        refused = api.post("/api/pitches/import/", data, content_type="application/json")
        assert refused.status_code == 400, refused.content[:300]
        assert Pitch.objects.count() == 1


@pytest.mark.django_db
def test_every_json_api_answers_a_deeply_nested_body_with_400(founder_api: tuple[APIClient, Pitch]) -> None:
    api, pitch = founder_api
    deep = b"[" * 50_000 + b"]" * 50_000
    for method, url in (
        ("patch", f"/api/pitches/{pitch.pk}/"),
        ("put", f"/api/pitches/{pitch.pk}/canvas/story.purpose/"),
        ("post", "/api/pitches/import/"),
    ):
        response = getattr(api, method)(url, deep, content_type="application/json")
        assert response.status_code == 400, (url, response.content[:300])
        assert "nested too deeply" in response.json()["message"]


# ---------- CSV: cells that look like spreadsheet formulas ----------


FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", '=HYPERLINK("http://evil.example","x")']


def test_formula_cells_in_a_training_csv_stay_literal_text() -> None:
    """PitchLab reads CSV with the csv module and never evaluates a cell; no page or export writes CSV back
    (the pitch export and the data archive are JSON), so a formula has nowhere to run. The cells are kept
    as typed, and the templates escape them like any text."""
    raw = "text,label\n" + "".join(f'"{cell.replace(chr(34), chr(34) * 2)}",billing\n' for cell in FORMULAS)
    rows = read_examples_csv(raw.encode())
    assert [row["text"] for row in rows] == FORMULAS


@pytest.mark.django_db
def test_formula_cells_in_pasted_traction_are_not_numbers(founder_api: tuple[APIClient, Pitch]) -> None:
    api, pitch = founder_api
    text = "period,metric,value\n2024-01,users,=1+1\n2024-02,users,=cmd|' /C calc'!A0\n2024-03,users,12\n"
    response = api.post(f"/api/pitches/{pitch.pk}/traction/parse/", {"text": text}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [row["value"] for row in body["rows"]] == [12]  # "=1+1" was not worked out to 2
    assert [error["line"] for error in body["errors"]] == [2, 3]


# ---------- the image-evaluation zip (read by the inference worker) ----------


def test_the_evaluation_zip_of_an_image_model_refuses_bombs_slips_and_links() -> None:
    from models_service.artefacts import ArtefactRefused, read_labelled_images

    deflated, crc = _zeros_deflated(200)
    cases = {
        "zip_bomb": RawZip().add("bar/a.png", deflated=(deflated, crc, 200 * MiB)),
        "too_large": RawZip().add("bar/a.png", png()).add("line/b.png", deflated=(deflated, crc, 200 * MiB)),
        "unsafe_path": RawZip().add("../bar/a.png", png()),
        "link": RawZip().add("bar/a.png", b"/etc/passwd", mode=0o120777),
        "bad_zip": RawZip().add("line/b.png", png()).add("bar/a.png", deflated=(deflated, crc, 200 * MiB), declare=100),
    }
    for code, archive in cases.items():
        limit = 100 * MiB if code == "too_large" else 500 * MiB
        with pytest.raises(ArtefactRefused) as caught:
            read_labelled_images(archive.bytes(), max_images=100, max_bytes=limit)
        assert caught.value.code == code, (code, str(caught.value))
        assert str(caught.value)


def test_a_decompression_bomb_inside_the_evaluation_zip_is_refused_by_the_worker() -> None:
    from models_service.errors import ServiceError
    from models_service.predictors.image import decode

    with pytest.raises(ServiceError) as caught:
        decode(png_claiming(50_000, 50_000), max_bytes=8_000_000, max_pixels=25_000_000)
    assert "pixels" in caught.value.message
