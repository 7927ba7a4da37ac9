"""Pictures a founder would upload, made up here (no file is shipped): camera-like photos, product screenshots
and a logo with transparency. Used by the deck benchmark and the themes contact sheet."""

from __future__ import annotations

import io
import random


def photo(width: int, height: int, seed: int) -> bytes:
    """A camera-like JPEG: smooth light and colour with fine grain, so it compresses as photos do."""
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    small = Image.new("RGB", (16, 12))
    small.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(16 * 12)])
    base = small.resize((width, height), Image.Resampling.BICUBIC)
    grain = Image.effect_noise((width, height), 24).convert("RGB").filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    Image.blend(base, grain, 0.18).save(out, "JPEG", quality=92)
    return out.getvalue()


def screenshot(width: int, height: int, seed: int) -> bytes:
    """A product-screenshot-like PNG: flat panels, bars and rows of text-like strokes."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), (246, 247, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 72), fill=(30, 41, 59))
    draw.rectangle((0, 72, 300, height), fill=(226, 232, 240))
    for row in range(20):
        y = 110 + row * 64
        draw.rectangle((340, y, 340 + rng.randrange(300, width - 400), y + 14), fill=(100, 116, 139))
        draw.rectangle((340, y + 24, 340 + rng.randrange(200, 900), y + 34), fill=(148, 163, 184))
    for bar in range(12):
        x = 1500 + bar * 80
        draw.rectangle((x, height - 120 - rng.randrange(100, 600), x + 50, height - 120), fill=(13, 148, 136))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def logo() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (1200, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 380, 380), fill=(13, 148, 136, 255))
    draw.rectangle((440, 140, 1160, 260), fill=(15, 23, 42, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
