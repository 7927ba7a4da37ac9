"""The generated charts in PitchLab's own deck style: drawn deterministically, in both themes, with the right labels."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from models_service.charts_dataset import LABELS, PITCHLAB_SHARE, STYLES, draw, generate, style_of
from models_service.charts_pitchlab import HEIGHT, THEMES, draw_pitchlab


def _pixels(image: Any) -> Any:
    import numpy as np

    return np.asarray(image, dtype=np.float32)


def test_about_half_the_generated_pictures_are_in_pitchlabs_style_for_every_kind() -> None:
    styles = Counter((label, style_of(0, label, index)) for index in range(200) for label in LABELS)
    for label in LABELS:
        share = styles[(label, "pitchlab")] / 200
        assert abs(share - PITCHLAB_SHARE) < 0.1, (label, share)
        assert styles[(label, "pitchlab")] + styles[(label, "plain")] == 200


def test_generate_draws_each_picture_in_the_style_style_of_names() -> None:
    images, labels = generate(6, seed=5)
    for position, (image, label) in enumerate(zip(images, labels, strict=True)):
        index = position // len(LABELS)
        again = draw(label, random.Random(f"5/{label}/{index}"), 32)
        assert image.tobytes() == again.tobytes()
        rng = random.Random(f"5/{label}/{index}")
        rng.random()  # the style's draw
        explicit = draw(label, rng, 32, style=style_of(5, label, index))
        assert explicit.tobytes() == image.tobytes()


@pytest.mark.parametrize("label", LABELS)
def test_a_pitchlab_style_chart_is_deterministic_in_its_seed(label: str) -> None:
    first = draw(label, random.Random(f"x/{label}"), 32, style="pitchlab")
    again = draw(label, random.Random(f"x/{label}"), 32, style="pitchlab")
    other = draw(label, random.Random(f"y/{label}"), 32, style="pitchlab")
    assert (first.mode, first.size) == ("RGB", (32, 32))
    assert first.tobytes() == again.tobytes()
    assert first.tobytes() != other.tobytes()


@pytest.mark.parametrize("label", LABELS)
def test_a_pitchlab_style_chart_is_drawn_wide_like_a_deck_chart(label: str) -> None:
    wide = draw_pitchlab(label, random.Random(f"w/{label}"), 180)
    assert wide.height == 180
    assert 480 / HEIGHT * 180 - 1 <= wide.width <= 800 / HEIGHT * 180 + 1


def test_both_deck_themes_appear_with_their_own_background() -> None:
    """The light theme's white page and the dark theme's navy one, as the deck exports them."""
    backgrounds: Counter[object] = Counter()
    for index in range(40):
        picture = draw_pitchlab(LABELS[index % 4], random.Random(f"t/{index}"), 90)
        backgrounds[picture.getpixel((1, picture.height - 2))] += 1
    light = tuple(int(THEMES[0].background[i : i + 2], 16) for i in (1, 3, 5))
    dark = tuple(int(THEMES[1].background[i : i + 2], 16) for i in (1, 3, 5))
    assert backgrounds[light] >= 15
    assert backgrounds[dark] >= 5
    assert backgrounds[light] + backgrounds[dark] == 40


def test_the_deck_donut_has_a_hole_in_the_page_colour_and_the_positioning_map_does_not() -> None:
    """What tells the deck's pie from its scatter: a ring of colour around the page colour, at the chart's left."""
    holes = 0
    for index in range(20):
        rng = random.Random(f"d/{index}")
        picture = draw_pitchlab("pie", rng, 225)
        background = picture.getpixel((0, 0))
        row = [picture.getpixel((x, picture.height // 2)) for x in range(picture.width)]
        coloured = [x for x, pixel in enumerate(row) if pixel != background]
        assert coloured, "a pie has colour across its middle"
        holes += any(row[x] == background for x in range(coloured[0], coloured[0] + 150) if x < len(row))
    assert holes >= 12  # most are donuts, as the deck draws them; a plain pie now and then


def test_a_larger_pitchlab_style_picture_shrunk_looks_like_the_small_one() -> None:
    from PIL import Image

    for label in LABELS:
        small = draw(label, random.Random(f"s/{label}"), 32, style="pitchlab")
        large = draw(label, random.Random(f"s/{label}"), 128, style="pitchlab")
        other = draw(label, random.Random(f"o/{label}"), 32, style="pitchlab")
        shrunk = large.resize((32, 32), Image.Resampling.BILINEAR)
        near = float(abs(_pixels(small) - _pixels(shrunk)).mean())
        far = float(abs(_pixels(small) - _pixels(other)).mean())
        assert near < 14, (label, near)
        assert near < far, (label, near, far)


def test_an_unknown_style_or_kind_is_refused() -> None:
    assert STYLES == ("plain", "pitchlab")
    with pytest.raises(ValueError, match="unknown style"):
        draw("bar", random.Random(0), 32, style="sketch")
    with pytest.raises(ValueError, match="unknown chart kind"):
        draw("radar", random.Random(0), 32, style="pitchlab")


def test_most_positioning_maps_leave_the_right_of_the_picture_to_the_notes_panel() -> None:
    """As the deck draws a competition chart with strengths and weaknesses: the map in the left 56 %, so its dashed
    vertical quadrant line (the column richest in the muted colour) lies in the left third; otherwise in the middle."""
    import numpy as np

    left_third = middle = 0
    for index in range(40):
        picture = draw_pitchlab("scatter", random.Random(f"p/{index}"), 225)
        theme = next(t for t in THEMES if picture.getpixel((1, picture.height - 2)) == _rgb(t.background))
        pixels = np.asarray(picture)
        rows = pixels[round(picture.height * 0.15) : round(picture.height * 0.8)]
        muted = (rows == np.array(_rgb(theme.muted), dtype=np.uint8)).all(axis=2).sum(axis=0)
        column = int(muted.argmax()) / picture.width
        left_third += column < 1 / 3
        middle += 0.4 < column < 0.6
    assert left_third + middle >= 36
    assert 16 <= left_third <= 34  # about 65 % carry the panel


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def test_the_deck_style_pictures_use_the_decks_own_colours() -> None:
    """models_service may not import pitchlab, so the deck's palettes are copied into charts_pitchlab.py: this
    fails when a deck theme changes colour and the sample's training pictures would no longer look like it."""
    from pitchlab.decks.themes import DARK, LIGHT

    for copied, deck in zip(THEMES, (LIGHT.palette, DARK.palette), strict=True):
        for name in ("background", "ink", "muted", "grid", "highlight", "series"):
            assert getattr(copied, name) == getattr(deck, name), name
