"""The pictures' image pipeline, pure: formats, EXIF rotation, stripping, colour, refusals by family, sizes."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms

from pitchlab.core.images import (
    AnimatedImage,
    CmykImage,
    DamagedImage,
    EmptyImage,
    ExtremeAspectImage,
    HighBitDepthImage,
    ImageRefused,
    ImageTooLarge,
    NotAnImage,
    TooManyPixels,
)
from pitchlab.pictures.images import (
    FULL,
    MASTER_MAX_SIDE,
    WIDTHS,
    Box,
    Fit,
    Fmt,
    Geometry,
    for_print,
    make_master,
    picture_limits,
    rendition,
    snap_width,
)
from tests.pictures.conftest import encoded

LIMITS = picture_limits(max_bytes=2_000_000, max_pixels=4_000_000)
ORIENTATION = 0x0112


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def metadata_left(data: bytes) -> set[str]:
    """What of EXIF, XMP, ICC or text the stored bytes still hold."""
    image = opened(data)
    found = {key for key in ("exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment") if image.info.get(key)}
    if len(image.getexif()):
        found.add("exif tags")
    if getattr(image, "text", None):  # PNG tEXt/iTXt chunks
        found.add("png text")
    for marker in (b"Exif\x00\x00", b"http://ns.adobe.com/xap", b"ICC_PROFILE", b"iCCP", b"eXIf", b"tEXt", b"iTXt"):
        if marker in data:
            found.add(marker.decode("latin-1"))
    return found


# ---------- every accepted format ----------


@pytest.mark.parametrize(
    ("fmt", "mode", "stored"),
    [
        ("PNG", "RGB", Fmt.PNG),
        ("PNG", "RGBA", Fmt.PNG),
        ("PNG", "L", Fmt.PNG),
        ("PNG", "P", Fmt.PNG),
        ("JPEG", "RGB", Fmt.JPEG),
        ("JPEG", "L", Fmt.JPEG),
        ("WEBP", "RGB", Fmt.PNG),
        ("WEBP", "RGBA", Fmt.PNG),
    ],
)
def test_each_format_is_taken_and_stored_as_png_or_jpeg(fmt: str, mode: str, stored: Fmt) -> None:
    colour = {"RGBA": (10, 200, 30, 120), "L": 90, "P": 3}.get(mode, (10, 200, 30))
    master = make_master(encoded(fmt, (64, 48), mode, colour), LIMITS)
    assert master.fmt is stored
    assert (master.width, master.height) == (64, 48)
    image = opened(master.data)
    assert image.format == stored.value.upper()
    assert image.mode == ("RGBA" if mode == "RGBA" else "RGB")  # palettes and greys become RGB, alpha is kept


def test_a_palette_with_a_transparent_colour_keeps_it_as_alpha() -> None:
    image = Image.new("P", (20, 20), 0)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    image.paste(1, (0, 0, 10, 20))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", transparency=1)
    stored = opened(make_master(buffer.getvalue(), LIMITS).data)
    assert stored.mode == "RGBA"
    assert stored.getpixel((2, 2))[3] == 0  # type: ignore[index]
    assert stored.getpixel((15, 2)) == (255, 0, 0, 255)


def test_an_alpha_channel_that_is_all_opaque_is_dropped() -> None:
    master = make_master(encoded("PNG", (30, 30), "RGBA", (1, 2, 3, 255)), LIMITS)
    assert opened(master.data).mode == "RGB"


# ---------- orientation and metadata ----------


def _photo_with_exif(orientation: int) -> bytes:
    """A 40×20 JPEG whose left quarter is blue, the rest red, with the camera's orientation, GPS and a profile."""
    image = Image.new("RGB", (40, 20), (220, 0, 0))
    image.paste((0, 0, 230), (0, 0, 10, 20))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}  # GPS
    buffer = io.BytesIO()
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(buffer, format="JPEG", exif=exif.tobytes(), icc_profile=profile, quality=95)
    return buffer.getvalue()


def test_exif_orientation_6_is_applied_before_the_tag_is_dropped() -> None:
    master = make_master(_photo_with_exif(6), LIMITS)
    assert (master.width, master.height) == (20, 40)  # turned a quarter clockwise
    stored = opened(master.data)
    blue, red = stored.getpixel((10, 4)), stored.getpixel((10, 30))
    assert isinstance(blue, tuple)
    assert isinstance(red, tuple)
    assert (blue[0] < 60, blue[2] > 180) == (True, True), blue  # the blue left edge is now at the top
    assert (red[0] > 180, red[2] < 60) == (True, True), red
    assert ORIENTATION not in stored.getexif()


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_no_exif_xmp_or_icc_is_left_in_the_stored_file(orientation: int) -> None:
    original = _photo_with_exif(orientation)
    assert metadata_left(original)  # the check sees what is there
    assert metadata_left(make_master(original, LIMITS).data) == set()


def test_png_text_xmp_and_profile_are_stripped() -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Jane Founder")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta xmlns:x='adobe:ns:meta/'>http://ns.adobe.com/xap/1.0/</x:xmpmeta>")
    buffer = io.BytesIO()
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGBA", (16, 16), (0, 0, 255, 128)).save(buffer, format="PNG", pnginfo=info, icc_profile=profile)
    assert metadata_left(buffer.getvalue())
    assert metadata_left(make_master(buffer.getvalue(), LIMITS).data) == set()


@pytest.mark.parametrize("profile", ["srgb", "unreadable"])
def test_a_colour_profile_is_applied_then_dropped(profile: str) -> None:
    """An sRGB profile leaves the pixels as they are; one littleCMS cannot read is ignored (pixels taken as
    sRGB). Either way the stored file has no profile left. (No wide-gamut profile ships with the test machine.)"""
    icc = (
        ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        if profile == "srgb"
        else b"\x00\x00\x02\x00not a profile" + bytes(200)
    )
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 255, 0)).save(buffer, format="PNG", icc_profile=icc)
    master = make_master(buffer.getvalue(), LIMITS)
    assert metadata_left(master.data) == set()
    assert opened(master.data).getpixel((1, 1)) == (0, 255, 0)


def test_a_large_photo_is_stored_at_most_master_max_side_wide() -> None:
    roomy = picture_limits(max_bytes=10**8, max_pixels=10**8)
    master = make_master(encoded("JPEG", (MASTER_MAX_SIDE * 2, 1000), "RGB", "blue"), roomy)
    assert (master.width, master.height) == (MASTER_MAX_SIDE, 500)


def test_the_same_image_gives_the_same_digest() -> None:
    data = encoded("PNG", (50, 50), "RGB", "green")
    assert make_master(data, LIMITS).digest == make_master(data, LIMITS).digest


# ---------- refusals, by family ----------


def _animated(fmt: str) -> bytes:
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "blue", "green")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format=fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def _png_claiming(width: int, height: int, bits: int = 8, colour_type: int = 2) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, bits, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def _sixteen_bit(mode: str) -> bytes:
    buffer = io.BytesIO()
    if mode == "I;16":
        Image.new("I;16", (10, 10), 1000).save(buffer, format="PNG")
        return buffer.getvalue()
    # Pillow writes only 8-bit RGB; a 16-bit RGB(A) PNG is written by hand (colour type 2 or 6, 16 bits).
    import struct
    import zlib

    channels = 4 if mode == "RGBA" else 3
    raw = b"".join(b"\x00" + b"\x12\x34" * channels * 4 for _ in range(4))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 4, 4, 16, 6 if channels == 4 else 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


REFUSALS: list[tuple[str, bytes, type[ImageRefused], str]] = [
    ("empty", b"", EmptyImage, "empty"),
    ("too many bytes", encoded("PNG", (2000, 1500), "RGB", "red", compress_level=0), ImageTooLarge, "limit is 2 MB"),
    ("text", b"hello, this is not a picture", NotAnImage, "PNG, JPEG or WebP"),
    ("gif", encoded("GIF", (20, 20), "P", 3), NotAnImage, "PNG, JPEG or WebP"),
    ("bmp", encoded("BMP"), NotAnImage, "PNG, JPEG or WebP"),
    ("svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>', NotAnImage, "PNG, JPEG or WebP"),
    ("truncated png", encoded("PNG", (64, 64))[:60], DamagedImage, "damaged"),
    ("truncated jpeg", encoded("JPEG", (64, 64))[:200], DamagedImage, "damaged"),
    ("3000×2000 header", _png_claiming(3000, 2000), TooManyPixels, "3,000×2,000 pixels; the limit is 4 megapixels"),
    ("bomb", _png_claiming(50_000, 50_000), TooManyPixels, "far too many pixels"),
    ("animated png", _animated("PNG"), AnimatedImage, "animated (3 frames)"),
    ("animated webp", _animated("WEBP"), AnimatedImage, "animated (3 frames)"),
    ("cmyk jpeg", encoded("JPEG", (20, 20), "CMYK", (0, 100, 100, 0)), CmykImage, "CMYK"),
    ("16-bit grey png", _sixteen_bit("I;16"), HighBitDepthImage, "16 bits per channel"),
    ("16-bit rgb png", _sixteen_bit("RGB"), HighBitDepthImage, "16 bits per channel"),
    ("16-bit rgba png", _sixteen_bit("RGBA"), HighBitDepthImage, "16 bits per channel"),
    ("banner 9:1", encoded("PNG", (900, 100)), ExtremeAspectImage, "more than 8 times its shorter side"),
    ("strip 1:40", encoded("JPEG", (10, 400)), ExtremeAspectImage, "more than 8 times its shorter side"),
]


@pytest.mark.parametrize(("data", "family", "words"), [row[1:] for row in REFUSALS], ids=[row[0] for row in REFUSALS])
def test_each_refusal_is_its_family_with_the_reason_and_the_field(
    data: bytes, family: type[ImageRefused], words: str
) -> None:
    with pytest.raises(ImageRefused) as refused:
        make_master(data, LIMITS)
    assert type(refused.value) is family
    assert words in refused.value.message
    assert refused.value.extra["field"] == "file"
    assert refused.value.extra["fields"] == {"file": [refused.value.message]}
    assert refused.value.extra["code"] == family.code


def test_a_banner_of_exactly_8_to_1_is_taken() -> None:
    assert make_master(encoded("PNG", (800, 100)), LIMITS).width == 800


# ---------- sizes ----------


@given(st.integers(min_value=1, max_value=100_000))
def test_widths_snap_up_to_the_few_sizes(requested: int) -> None:
    snapped = snap_width(requested)
    assert snapped in WIDTHS
    assert snapped >= requested or snapped == WIDTHS[-1]
    assert all(width < requested for width in WIDTHS if width < snapped)


@settings(max_examples=40, deadline=None)
@given(
    width=st.integers(min_value=8, max_value=300),
    shape=st.floats(min_value=0.2, max_value=5.0),
    left=st.floats(min_value=0, max_value=0.5),
    top=st.floats(min_value=0, max_value=0.5),
    span_x=st.floats(min_value=0.05, max_value=0.5),
    span_y=st.floats(min_value=0.05, max_value=0.5),
    focal=st.tuples(st.floats(min_value=0, max_value=1), st.floats(min_value=0, max_value=1)),
    ratio=st.sampled_from([None, 1.0, 16 / 9, 0.75]),
)
def test_a_rendition_is_inside_its_crop_box_and_never_enlarged(
    width: int,
    shape: float,
    left: float,
    top: float,
    span_x: float,
    span_y: float,
    focal: tuple[float, float],
    ratio: float | None,
) -> None:
    height = max(8, round(width * shape))
    master = make_master(encoded("PNG", (width, height)), picture_limits(max_bytes=10**7, max_pixels=10**7))
    box = Box(left, top, left + span_x, top + span_y)
    out = opened(rendition(master.data, Geometry(box, *focal), width=160, fmt=Fmt.WEBP, aspect=ratio))
    crop_w, crop_h = box.pixels(master.width, master.height)[2:]
    crop_w -= box.pixels(master.width, master.height)[0]
    crop_h -= box.pixels(master.width, master.height)[1]
    assert out.format == "WEBP"
    assert out.width <= min(160, crop_w)
    assert out.height <= crop_h
    if ratio is not None and out.width > 4 and out.height > 4:
        assert abs(out.width / out.height - ratio) < 0.5


def test_cover_cuts_around_the_focal_point() -> None:
    """A 300×100 picture, red on its left third and blue on its right third, cut square around each side."""
    image = Image.new("RGB", (300, 100), (0, 160, 0))
    image.paste((230, 0, 0), (0, 0, 100, 100))
    image.paste((0, 0, 230), (200, 0, 300, 100))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    master = make_master(buffer.getvalue(), LIMITS)
    left, fmt = for_print(master.data, Geometry(focal_x=0.0), width_px=50, height_px=50, fit=Fit.COVER)
    right, _ = for_print(master.data, Geometry(focal_x=1.0), width_px=50, height_px=50, fit=Fit.COVER)
    assert fmt is Fmt.JPEG
    assert opened(left).size == (50, 50)
    assert opened(left).getpixel((25, 25))[0] > 180  # type: ignore[index]
    assert opened(right).getpixel((25, 25))[2] > 180  # type: ignore[index]


def test_contain_keeps_the_whole_logo_and_its_transparency() -> None:
    master = make_master(encoded("PNG", (400, 100), "RGBA", (0, 0, 0, 128)), LIMITS)
    data, fmt = for_print(master.data, Geometry(), width_px=100, height_px=100, fit=Fit.CONTAIN)
    assert fmt is Fmt.PNG
    assert opened(data).size == (100, 25)
    assert opened(data).mode == "RGBA"


def test_print_never_enlarges_a_small_picture() -> None:
    master = make_master(encoded("JPEG", (40, 30)), LIMITS)
    data, _ = for_print(master.data, Geometry(), width_px=2000, height_px=1500, fit=Fit.COVER)
    assert opened(data).size == (40, 30)


@pytest.mark.parametrize(
    ("crop", "size"),
    [(FULL, (300, 200)), (Box(0.5, 0.5, 1.0, 1.0), (300, 200)), (Box(0.0, 0.0, 0.2, 0.2), (150, 100))],
)
def test_a_large_jpeg_is_decoded_scaled_down_yet_cut_the_same_and_never_short_of_pixels(
    crop: Box, size: tuple[int, int]
) -> None:
    """A 2400×1600 JPEG whose four quarters are red, green, blue and white: the print cut (decoded at 1/2..1/8)
    gives the asked size, and the same colours where a full decode puts them."""
    image = Image.new("RGB", (2400, 1600), (220, 20, 20))
    image.paste((20, 200, 20), (1200, 0, 2400, 800))
    image.paste((20, 20, 220), (0, 800, 1200, 1600))
    image.paste((250, 250, 250), (1200, 800, 2400, 1600))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    master = make_master(buffer.getvalue(), LIMITS)
    data, fmt = for_print(master.data, Geometry(crop=crop), width_px=size[0], height_px=size[1], fit=Fit.COVER)
    out = opened(data)
    assert fmt is Fmt.JPEG
    assert out.size == size
    with Image.open(io.BytesIO(master.data)) as full:
        full.load()
        left, top, right, bottom = crop.pixels(full.width, full.height)
        expected = full.crop((left, top, right, bottom)).resize(size)
    width, height = size
    for x, y in ((5, 5), (width - 5, 5), (5, height - 5), (width - 5, height - 5), (width // 4, height // 4)):
        got, want = out.getpixel((x, y)), expected.getpixel((x, y))
        assert isinstance(got, tuple)
        assert isinstance(want, tuple)
        assert max(abs(a - b) for a, b in zip(got, want, strict=True)) < 40, (x, y, got, want)
