"""The image heat map uses the web's one explanation convention: blue toward the label, orange against it."""

from __future__ import annotations

import base64
import io

from PIL import Image

from models_service.explain import HEATMAP_AGAINST, HEATMAP_TOWARD, heatmap_png


def test_cells_toward_the_label_are_blue_and_cells_against_it_are_orange() -> None:
    picture = Image.new("RGB", (80, 40), "white")
    png = heatmap_png(picture, [[1.0, -1.0]])  # left half pushed toward, right half against

    heat = Image.open(io.BytesIO(base64.b64decode(png))).convert("RGB")
    r, _, b = heat.getpixel((5, 20))  # type: ignore[misc]
    assert b > r + 60  # blue
    r2, g2, b2 = heat.getpixel((75, 20))  # type: ignore[misc]
    assert r2 > b2 + 60  # orange: red well above blue, green between
    assert b2 < g2 < r2
    assert HEATMAP_TOWARD == (37, 99, 235)  # the same numbers as static/pitchlab/demo/core.js's TOWARD_RGB
    assert HEATMAP_AGAINST == (234, 88, 12)
