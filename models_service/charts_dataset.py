"""A generated image data set: small pictures of bar, line, pie and scatter charts, drawn with Pillow.

Each picture is drawn at four times its final size with random colours, counts, positions and line widths on a
white-ish background (sometimes with axes, sometimes not, whatever the kind), then scaled down and given a little
pixel noise, so the task is learnable but not trivial. Every picture has its own random generator seeded from
``(seed, label, index)``: the same seed gives the same pictures, and a larger ``n_per_class`` only adds pictures.
``size`` is only the resolution: widths and radii scale with it, so a large picture shrunk looks like a small one.

About half the pictures (``PITCHLAB_SHARE``) are drawn in the style of PitchLab's own deck charts instead
(:mod:`models_service.charts_pitchlab`): a founder's first try is a chart from their own deck, and a model that had
only seen the plain pictures called the deck's donut a scatter chart.
"""

from __future__ import annotations

import colorsys
import random
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image, ImageDraw

LABELS = ("bar", "line", "pie", "scatter")
STYLES = ("plain", "pitchlab")
PITCHLAB_SHARE = 0.5
SCALE = 4  # drawn this many times larger, then scaled down: smooth edges like a real chart's thumbnail

Colour = tuple[int, int, int]
Box = tuple[float, float, float, float]  # left, top, right, bottom


def generate(n_per_class: int, *, seed: int, size: int = 32) -> tuple[list[Image.Image], list[str]]:
    """``n_per_class`` RGB pictures of each chart kind, ``size``×``size`` pixels, and their labels, kinds
    interleaved (bar, line, pie, scatter, bar, ...)."""
    if n_per_class < 0 or size < 8:
        raise ValueError("n_per_class must be at least 0 and size at least 8")
    images: list[Image.Image] = []
    labels: list[str] = []
    for index in range(n_per_class):
        for label in LABELS:
            images.append(draw(label, _rng(seed, label, index), size))
            labels.append(label)
    return images, labels


def style_of(seed: int, label: str, index: int) -> str:
    """The style :func:`generate` draws its ``index``-th ``label`` picture in, for ``seed``."""
    return _style(_rng(seed, label, index))


def _rng(seed: int, label: str, index: int) -> random.Random:
    return random.Random(f"{seed}/{label}/{index}")  # noqa: S311 (not crypto)


def _style(rng: random.Random) -> str:
    """The first draw of a picture's generator picks its style."""
    return STYLES[1] if rng.random() < PITCHLAB_SHARE else STYLES[0]


def write_folder(root: Path, n_per_class: int, seed: int, *, size: int = 32) -> Path:
    """Write the generated set as ``root/<label>/<i>.png``, one folder per label (the evaluation zip layout)."""
    images, labels = generate(n_per_class, seed=seed, size=size)
    counts = dict.fromkeys(LABELS, 0)
    for image, label in zip(images, labels, strict=True):
        folder = root / label
        folder.mkdir(parents=True, exist_ok=True)
        image.save(folder / f"{counts[label]}.png")
        counts[label] += 1
    return root


def draw(label: str, rng: random.Random, size: int = 32, style: str | None = None) -> Image.Image:
    """One picture of a ``label`` chart drawn with ``rng``, in ``style`` (one of ``STYLES``; by default chosen with
    ``rng``, PitchLab's with probability ``PITCHLAB_SHARE``)."""
    from PIL import Image, ImageDraw

    if label not in LABELS:
        raise ValueError(f"unknown chart kind {label!r}; the kinds are {', '.join(LABELS)}")
    if style is None:
        style = _style(rng)
    if style == "pitchlab":
        from models_service.charts_pitchlab import draw_pitchlab

        # Drawn 16:9 and squeezed into the square, as the image processor squeezes a real chart.
        wide = draw_pitchlab(label, rng, size * SCALE)
        return _noisy(wide.resize((size, size), Image.Resampling.LANCZOS), rng)
    if style != "plain":
        raise ValueError(f"unknown style {style!r}; the styles are {', '.join(STYLES)}")
    canvas = size * SCALE
    background = tuple(rng.randint(232, 255) for _ in range(3))
    image = Image.new("RGB", (canvas, canvas), background)
    pen = ImageDraw.Draw(image)
    unit = canvas / 128  # widths and radii are given for a 128-pixel canvas, so any size shows the same chart
    margin = rng.uniform(0.06, 0.16) * canvas
    box = (
        margin + rng.uniform(-0.04, 0.04) * canvas,
        margin + rng.uniform(-0.04, 0.04) * canvas,
        canvas - margin + rng.uniform(-0.04, 0.04) * canvas,
        canvas - margin + rng.uniform(-0.04, 0.04) * canvas,
    )
    if rng.random() < (0.15 if label == "pie" else 0.7):
        _axes(pen, rng, box, unit)
    if label == "bar":
        _bars(pen, rng, box)
    elif label == "line":
        _lines(pen, rng, box, unit)
    elif label == "pie":
        _pie(pen, rng, box, background, unit)
    elif label == "scatter":
        _scatter(pen, rng, box, unit)
    else:
        raise ValueError(f"unknown chart kind {label!r}; the kinds are {', '.join(LABELS)}")
    small = image.resize((size, size), Image.Resampling.LANCZOS)
    return _noisy(small, rng)


def _colour(rng: random.Random) -> Colour:
    """A saturated-enough colour that stands out from a white-ish background."""
    r, g, b = colorsys.hsv_to_rgb(rng.random(), rng.uniform(0.45, 1.0), rng.uniform(0.35, 0.9))
    return round(r * 255), round(g * 255), round(b * 255)


def _axes(pen: ImageDraw.ImageDraw, rng: random.Random, box: Box, unit: float) -> None:
    left, top, right, bottom = box
    grey = rng.randint(60, 170)
    width = round(rng.randint(1, 4) * unit)
    pen.line([(left, top), (left, bottom), (right, bottom)], fill=(grey, grey, grey), width=width)
    if rng.random() < 0.3:  # light grid lines
        light = rng.randint(200, 225)
        for step in range(1, rng.randint(2, 5)):
            y = bottom - (bottom - top) * step / 5
            pen.line([(left, y), (right, y)], fill=(light, light, light), width=max(1, round(unit)))


def _bars(pen: ImageDraw.ImageDraw, rng: random.Random, box: Box) -> None:
    left, top, right, bottom = box
    count = rng.randint(2, 8)
    slot = (right - left) / count
    fill = rng.uniform(0.45, 0.9)
    one_colour = rng.random() < 0.6
    colour = _colour(rng)
    horizontal = rng.random() < 0.2
    for index in range(count):
        share = rng.uniform(0.15, 1.0)
        start = index * slot + slot * (1 - fill) / 2
        end = start + slot * fill
        if horizontal:
            slot_h = (bottom - top) / count
            shape = (
                left,
                top + index * slot_h + slot_h * (1 - fill) / 2,
                left + (right - left) * share,
                top + index * slot_h + slot_h * (1 + fill) / 2,
            )
        else:
            shape = (left + start, bottom - (bottom - top) * share, left + end, bottom)
        pen.rectangle(shape, fill=colour if one_colour else _colour(rng))


def _lines(pen: ImageDraw.ImageDraw, rng: random.Random, box: Box, unit: float) -> None:
    left, top, right, bottom = box
    points = rng.randint(4, 12)
    for _ in range(rng.randint(1, 3)):
        level = rng.uniform(0.2, 0.8)
        trend = rng.uniform(-0.5, 0.5)
        values = []
        for index in range(points):
            level += trend / points + rng.uniform(-0.18, 0.18)
            level = min(max(level, 0.02), 0.98)
            values.append((left + (right - left) * index / (points - 1), bottom - (bottom - top) * level))
        colour = _colour(rng)
        width = round(rng.randint(2, 9) * unit)
        pen.line(values, fill=colour, width=width, joint="curve")
        if rng.random() < 0.3:
            radius = width + rng.randint(1, 4) * unit
            for x, y in values:
                pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)


def _pie(pen: ImageDraw.ImageDraw, rng: random.Random, box: Box, background: tuple[int, ...], unit: float) -> None:
    left, top, right, bottom = box
    radius = min(right - left, bottom - top) / 2 * rng.uniform(0.7, 1.0)
    cx = (left + right) / 2 + rng.uniform(-0.1, 0.1) * radius
    cy = (top + bottom) / 2 + rng.uniform(-0.1, 0.1) * radius
    shares = [rng.uniform(0.2, 1.0) for _ in range(rng.randint(2, 7))]
    angle = rng.uniform(0, 360)
    outline = tuple(background) if rng.random() < 0.5 else None
    for share in shares:
        sweep = 360 * share / sum(shares)
        pen.pieslice(
            (cx - radius, cy - radius, cx + radius, cy + radius),
            angle,
            angle + sweep,
            fill=_colour(rng),
            outline=outline,
            width=round(rng.randint(1, 4) * unit),
        )
        angle += sweep
    if rng.random() < 0.3:  # a doughnut
        hole = radius * rng.uniform(0.35, 0.6)
        pen.ellipse((cx - hole, cy - hole, cx + hole, cy + hole), fill=tuple(background))


def _scatter(pen: ImageDraw.ImageDraw, rng: random.Random, box: Box, unit: float) -> None:
    left, top, right, bottom = box
    slope = rng.uniform(-1, 1)
    spread = rng.uniform(0.1, 0.5)
    for _ in range(rng.randint(1, 3)):
        colour = _colour(rng)
        radius = rng.uniform(2, 7) * unit
        for _ in range(rng.randint(8, 40)):
            x = rng.random()
            y = min(max(0.5 + slope * (x - 0.5) + rng.gauss(0, spread / 2), 0.0), 1.0)
            px, py = left + (right - left) * x, bottom - (bottom - top) * y
            if rng.random() < 0.8:
                pen.ellipse((px - radius, py - radius, px + radius, py + radius), fill=colour)
            else:
                pen.rectangle((px - radius, py - radius, px + radius, py + radius), fill=colour)


def _noisy(image: Image.Image, rng: random.Random) -> Image.Image:
    """Add a little Gaussian pixel noise (sigma up to 6 of 255)."""
    from PIL import Image

    sigma = rng.uniform(0, 6)
    if sigma < 0.5:
        return image
    data = bytes(min(255, max(0, round(value + rng.gauss(0, sigma)))) for value in image.tobytes())
    return Image.frombytes("RGB", image.size, data)
