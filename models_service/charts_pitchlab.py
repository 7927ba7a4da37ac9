"""Charts drawn the way PitchLab's own decks draw them, for the generated data set (Pillow only).

A founder's first try of the sample image model is a chart from their own deck, so the data set has pictures in
that style: the deck's light and dark themes' colours, its 16:9 box with a title, legends and text, and its kinds —
traction lines with a dashed projection over a shaded band (``line``), model-against-baseline and traction bars with
value labels (``bar``), the use-of-funds donut with its legend (``pie``), and the competitive positioning map with
its quadrant lines and named dots (``scatter``). The colours are copied from ``pitchlab/decks/themes.py``, since
models_service must not import pitchlab; the shapes follow ``pitchlab/decks/charts/build_*.py``.

Everything is laid out in the deck's own 800×450 coordinates and scaled to the canvas, so any resolution draws the
same chart; the caller squeezes the 16:9 picture into a square, as the image processor does with a real chart.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image, ImageFont

HEIGHT = 450.0  # the deck's chart box is 800×450


@dataclass(frozen=True)
class Theme:
    background: str
    ink: str
    muted: str
    grid: str
    surface: str
    series: tuple[str, ...]
    highlight: str


THEMES = (
    Theme(
        background="#ffffff",
        ink="#14161f",
        muted="#5d6475",
        grid="#e4e7ec",
        surface="#f4f5fa",
        series=("#4f46e5", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6"),
        highlight="#f97316",
    ),
    Theme(
        background="#0b1020",
        ink="#eef0f7",
        muted="#9ba4bb",
        grid="#252d45",
        surface="#151c31",
        series=("#8b93ff", "#38bdf8", "#34d399", "#fbbf24", "#f87171", "#c084fc"),
        highlight="#fb923c",
    ),
)
WORDS = (
    "accuracy", "F1", "recall", "latency", "users", "MRR", "revenue", "paying teams", "projection", "actual",
    "model", "baseline", "Engineering", "Sales and marketing", "Compute", "Operations", "Security", "2026-01",
    "2026-04", "2026-07", "Q3", "Time to deploy", "Accuracy on own data", "In-house rules", "Helpdesk suite",
    "raising", "2.5M USD", "45%", "30%", "10%", "27.1K", "91%", "Traction", "Scores", "Other measures",
)  # fmt: skip


class Pen:
    """Draws in the deck's coordinates (``HEIGHT`` tall) on a canvas of any size."""

    def __init__(self, image: Image.Image, width: float, theme: Theme, rng: random.Random) -> None:
        from PIL import ImageDraw

        self.draw = ImageDraw.Draw(image)
        self.unit = image.height / HEIGHT
        self.width = width
        self.theme = theme
        self.rng = rng
        self._fonts: dict[int, ImageFont.FreeTypeFont | ImageFont.ImageFont] = {}

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return x * self.unit, y * self.unit

    def rect(self, x: float, y: float, w: float, h: float, fill: str) -> None:
        self.draw.rectangle((*self.xy(x, y), *self.xy(x + w, y + h)), fill=fill)

    def line(self, points: list[tuple[float, float]], colour: str, width: float, dash: bool = False) -> None:
        pixels = max(1, round(width * self.unit))
        scaled = [self.xy(x, y) for x, y in points]
        if not dash:
            self.draw.line(scaled, fill=colour, width=pixels, joint="curve")
            return
        for (x1, y1), (x2, y2) in itertools.pairwise(scaled):
            steps = max(1, int(math.hypot(x2 - x1, y2 - y1) / (6 * self.unit)))
            for step in range(0, steps, 2):
                a, b = step / steps, min(1.0, (step + 1) / steps)
                start = (x1 + (x2 - x1) * a, y1 + (y2 - y1) * a)
                self.draw.line([start, (x1 + (x2 - x1) * b, y1 + (y2 - y1) * b)], fill=colour, width=pixels)

    def circle(self, x: float, y: float, r: float, fill: str | None, outline: str | None = None) -> None:
        (cx, cy), radius = self.xy(x, y), r * self.unit
        width = max(1, round(2 * self.unit))
        self.draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=fill, outline=outline, width=width)

    def wedge(self, x: float, y: float, r: float, start: float, end: float, fill: str) -> None:
        """A slice clockwise from ``start`` to ``end`` degrees, 0 at 12 o'clock (as the deck draws them)."""
        (cx, cy), radius = self.xy(x, y), r * self.unit
        self.draw.pieslice((cx - radius, cy - radius, cx + radius, cy + radius), start - 90, end - 90, fill=fill)

    def font(self, size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        from PIL import ImageFont

        pixels = max(1, round(size * self.unit))
        font = self._fonts.get(pixels)
        if font is None:
            font = self._fonts[pixels] = ImageFont.load_default(size=pixels)
        return font

    def measure(self, size: float, words: str) -> float:
        """The width of ``words`` at ``size``, in deck units, without drawing them."""
        left, _, right, _ = self.font(size).getbbox(words)
        return float(right - left) / self.unit

    def text(self, x: float, y: float, size: float, colour: str | None = None, words: str | None = None) -> float:
        """A label with its baseline at ``y``; returns its width in deck units."""
        font = self.font(size)
        label = words if words is not None else self.rng.choice(WORDS)
        left, _, right, _ = self.draw.textbbox((0, 0), label, font=font)
        self.draw.text(self.xy(x, y - size), label, fill=colour or self.theme.muted, font=font)
        return (right - left) / self.unit


def draw_pitchlab(label: str, rng: random.Random, height: int) -> Image.Image:
    """One ``label`` chart in PitchLab's deck style, ``height`` pixels tall and about 16:9 wide (before squeezing)."""
    from PIL import Image

    theme = THEMES[0] if rng.random() < 0.65 else THEMES[1]
    width = 800.0 if rng.random() < 0.7 else rng.uniform(480, 800)  # sometimes a narrower crop of the slide
    image = Image.new("RGB", (round(height * width / HEIGHT), height), theme.background)
    pen = Pen(image, width, theme, rng)
    if label == "bar":
        _bars(pen)
    elif label == "line":
        _traction(pen)
    elif label == "pie":
        _donut(pen)
    elif label == "scatter":
        _positioning(pen)
    else:
        raise ValueError(f"unknown chart kind {label!r}")
    return image


def _title(pen: Pen, x: float, y: float) -> None:
    pen.text(x, y, pen.rng.uniform(11, 15), pen.theme.ink)


def _y_grid(pen: Pen, left: float, top: float, right: float, bottom: float) -> None:
    ticks = pen.rng.randint(3, 5)
    for index in range(ticks + 1):
        y = bottom - (bottom - top) * index / ticks
        pen.line([(left, y), (right, y)], pen.theme.grid, 1)
        pen.text(left - 30, y + 4, 9, words=pen.rng.choice(("0", "25%", "50%", "10K", "20K", "40", "80")))


def _bars(pen: Pen) -> None:
    """Model against baseline (grouped, a grey second series), or traction per period (one series)."""
    rng, theme = pen.rng, pen.theme
    right_panel = rng.random() < 0.4
    left, top = 50.0, 70.0
    right = (pen.width * 0.62 if right_panel else pen.width - 20) - 10
    bottom = HEIGHT - 50
    _title(pen, 14, 24)
    grouped = rng.random() < 0.6
    if grouped:  # the legend: model, baseline
        pen.rect(14, 40, 10, 10, theme.series[0])
        pen.text(30, 50, 10, words="model")
        pen.rect(90, 40, 10, 10, _mix(theme.muted, theme.background, 0.45))
        pen.text(106, 50, 10, words="baseline")
    _y_grid(pen, left, top, right, bottom)
    groups = rng.randint(2, 4) if grouped else rng.randint(4, 10)
    slot = (right - left) / groups
    baseline = _mix(theme.muted, theme.background, 0.45)
    colours = [theme.series[0], baseline] if grouped else [theme.series[rng.randrange(len(theme.series))]]
    for index in range(groups):
        bar = slot * (0.3 if grouped else 0.6)
        start = left + index * slot + (slot - bar * len(colours)) / 2
        for k, colour in enumerate(colours):
            value = rng.uniform(0.6, 0.98) if grouped and k == 0 else rng.uniform(0.1, 0.95)
            x, height = start + k * bar, (bottom - top) * value
            pen.rect(x + 2, bottom - height, bar - 4, height, colour)
            pen.text(x + 4, bottom - height - 4, 10, theme.ink, words=f"{round(value * 100)}%")
        pen.text(left + index * slot + slot / 3, bottom + 18, 10)
    if right_panel:  # "Other measures": a short horizontal bar per measure
        x0 = pen.width * 0.64
        pen.text(x0, 80, 11, theme.ink, words="Other measures")
        for row in range(rng.randint(1, 3)):
            y = 110 + row * 50
            pen.text(x0, y, 9, words="latency (lower is better)")
            pen.rect(x0, y + 6, 20, 10, theme.series[0])
            pen.rect(
                x0, y + 22, (pen.width - x0 - 30) * rng.uniform(0.5, 1), 10, _mix(theme.muted, theme.background, 0.45)
            )


def _mix(a: str, b: str, share: float) -> str:
    """``a`` blended with ``share`` of ``b`` (the deck's baseline grey is its muted colour half into the page)."""
    first, second = (tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in (a, b))
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(first, second, strict=True))


def _traction(pen: Pen) -> None:
    """One or two traction panels: actual values as a line with dots, then a dashed projection over a shaded band."""
    rng, theme = pen.rng, pen.theme
    panels = 1 if rng.random() < 0.4 else 2
    span = (pen.width - 20) / panels
    for panel in range(panels):
        x0 = 10 + panel * span
        left, right, top, bottom = x0 + 45, x0 + span - 15, 80.0, HEIGHT - 45
        _title(pen, x0 + 5, 22)
        colour = theme.series[(panel + rng.randrange(2)) % len(theme.series)]
        pen.line([(x0 + 5, 40), (x0 + 25, 40)], colour, 2)
        pen.text(x0 + 30, 44, 9, words="actual")
        pen.line([(x0 + 80, 40), (x0 + 100, 40)], colour, 2, dash=True)
        pen.text(x0 + 105, 44, 9, words="projection (RMSE 2.8)")
        points = rng.randint(6, 14)
        ahead = rng.randint(2, 4)
        band = left + (right - left) * (points - 1) / (points + ahead - 1)
        pen.rect(band, top, right - band, bottom - top, theme.surface)
        _y_grid(pen, left, top, right, bottom)
        pen.line([(left, bottom), (right, bottom)], theme.muted, 1)
        growth = rng.uniform(0.02, 0.2)
        level = rng.uniform(0.03, 0.2)
        values = []
        for _ in range(points + ahead):
            values.append(level)
            level = level * (1 + growth) + rng.uniform(-0.01, 0.03)
        top_value = max(values) * rng.uniform(1.0, 1.2)
        xy = [
            (left + (right - left) * i / (points + ahead - 1), bottom - (bottom - top) * v / top_value)
            for i, v in enumerate(values)
        ]
        pen.line(xy[:points], colour, rng.uniform(2, 3.5))
        pen.line(xy[points - 1 :], colour, 2, dash=True)
        for x, y in xy[:points]:
            pen.circle(x, y, 3, colour)
        for x, y in xy[points:]:
            pen.circle(x, y, 3.5, theme.background, colour)
        pen.text(xy[points - 1][0] - 20, xy[points - 1][1] - 8, 9, colour)
        for tick in range(rng.randint(3, 5)):
            pen.text(left + (right - left) * tick / 4 - 15, bottom + 16, 9)


def _donut(pen: Pen) -> None:
    """The use-of-funds donut: slices in the series colours, the amount in the hole, a legend on the right."""
    rng, theme = pen.rng, pen.theme
    r = rng.uniform(150, 195)
    cx = rng.uniform(r + 20, max(r + 20, pen.width * 0.4))
    cy = HEIGHT / 2 + rng.uniform(-10, 10)
    shares = [rng.uniform(0.05, 1.0) for _ in range(rng.randint(2, 6))]
    start = 0.0 if rng.random() < 0.7 else rng.uniform(0, 360)
    angle = start
    for index, share in enumerate(shares):
        sweep = 360 * share / sum(shares)
        pen.wedge(cx, cy, r, angle, angle + sweep, theme.series[index % len(theme.series)])
        middle = math.radians(angle + sweep / 2)
        ring = r * 0.78
        pen.text(cx + ring * math.sin(middle) - 10, cy - ring * math.cos(middle) + 4, 10, "#ffffff", f"{share:.0%}")
        angle += sweep
    if rng.random() < 0.85:  # the deck draws a donut; a plain pie now and then
        hole = r * rng.uniform(0.55, 0.68)
        pen.circle(cx, cy, hole, theme.background)
        pen.text(cx - 20, cy - 10, 10, words="raising")
        pen.text(cx - 45, cy + 16, rng.uniform(16, 22), theme.ink, words=rng.choice(("2.5M USD", "4M EUR", "800K")))
    legend = cx + r + rng.uniform(30, 60)
    for index in range(len(shares)):
        y = HEIGHT / 2 - len(shares) * 16 + index * 32
        pen.circle(legend, y, 6, theme.series[index % len(theme.series)])
        pen.text(legend + 14, y + 5, 11, theme.ink, f"{round(100 * shares[index] / sum(shares))}%")
        pen.text(legend + 50, y + 5, 11)


def _positioning(pen: Pen) -> None:
    """The competitive positioning map as ``build_competition`` draws it: a framed plane on two long bold axis titles,
    faint quarter lines, dashed quadrant lines at 5, the best quadrant shaded, three to six named dots (the startup's
    bigger, in the highlight colour, with a legend) and, most often, the strengths-and-weaknesses panel on the right
    that takes 44 % of the width. Few dots, long labels and the text panel are what tell it from a line chart."""
    rng, theme = pen.rng, pen.theme
    panel = rng.random() < 0.65
    map_right = pen.width * 0.56 if panel else pen.width
    left, top, right, bottom = 43.0, 46.0, map_right - 22, HEIGHT - 60
    pen.line([(26, 32), (26, 20)], theme.ink, 1.5)  # the y-axis title's arrow
    pen.text(34, 30, 12, theme.ink, words=_phrase(rng, AXES, 2))
    pen.draw.rectangle((*pen.xy(left, top), *pen.xy(right, bottom)), fill=theme.background, outline=theme.grid)
    mid_x, mid_y = (left + right) / 2, (top + bottom) / 2
    if rng.random() < 0.9:
        pen.rect(mid_x, top, right - mid_x, mid_y - top, _mix(theme.series[0], theme.background, 0.9))
    for share in (0.25, 0.75):
        pen.line([(left + (right - left) * share, top), (left + (right - left) * share, bottom)], theme.grid, 1)
        pen.line([(left, top + (bottom - top) * share), (right, top + (bottom - top) * share)], theme.grid, 1)
    pen.line([(mid_x, top), (mid_x, bottom)], theme.muted, 1, dash=True)
    pen.line([(left, mid_y), (right, mid_y)], theme.muted, 1, dash=True)
    for share, tick in ((0.0, "0"), (0.5, "5"), (1.0, "10")):
        pen.text(left + (right - left) * share - 4, bottom + 14, 9, words=tick)
        pen.text(left - 14, bottom - (bottom - top) * share + 4, 9, words=tick)
    star = rng.random() < 0.5
    pen.text(max(left + (130 if star else 0), right - 260), HEIGHT - 20, 12, theme.ink, words=_phrase(rng, AXES, 2))
    if star:  # the legend: "● us  ● competitors"
        pen.circle(left + 4, HEIGHT - 25, 5, theme.highlight)
        pen.text(left + 14, HEIGHT - 20, 10, words="us")
        pen.circle(left + 44, HEIGHT - 25, 5, theme.series[0])
        pen.text(left + 54, HEIGHT - 20, 10, words="competitors")
    names = [_phrase(rng, NAMES, rng.randint(1, 3)) for _ in range(rng.randint(3, 6))]
    for index, name in enumerate(names):
        x = left + (right - left) * rng.uniform(0.05, 0.95)
        y = top + (bottom - top) * rng.uniform(0.05, 0.95)
        own = star and index == 0
        pen.circle(x, y, 11 if own else 7, theme.highlight if own else theme.series[0], outline=theme.background)
        label = (name + " (us)" if own else name)[: rng.randint(14, 30)]
        width = pen.measure(12, label)
        x_label = x + 14 if x + 14 + width < map_right - 6 or x - 14 - width < 6 else x - 14 - width
        pen.text(x_label, y + 4, 12, theme.ink, words=label)
    if panel:
        y = 30.0
        for name in names:
            if y > HEIGHT - 40:
                break
            pen.circle(map_right + 8, y - 4, 3.5, theme.series[0])
            pen.text(map_right + 16, y, 11, theme.ink, words=name)
            for _ in range(rng.randint(2, 5)):
                y += 14
                line = _phrase(rng, NOTES, rng.randint(3, 6))
                while " " in line and map_right + 4 + pen.measure(10, line) > pen.width - 20:
                    line = line.rsplit(" ", 1)[0]  # wrapped to the panel, as the deck does
                pen.text(map_right + 4, y, 10, words=line)
            y += 22


def _phrase(rng: random.Random, words: tuple[str, ...], count: int) -> str:
    return " ".join(rng.choice(words) for _ in range(count))


AXES = (
    "Accuracy on own data", "Time to deploy", "(10 = live the same day)", "Clinical evidence", "and certification",
    "Price", "Ease of integration", "Coverage", "准确率", "部署速度", "Data advantage",
)  # fmt: skip
NAMES = (
    "Lumen", "Support AI", "Helpdesk suite", "built-in AI tagging", "Enterprise", "conversational-AI platforms",
    "In-house keyword rules", "ClearScan Health", "Academic and", "open-source models", "PACS vendors", "智能客服",
)  # fmt: skip
NOTES = (
    "Strengths:", "Weaknesses:", "learns each customer's", "own queues", "from 500 resolved tickets;", "live in one",
    "afternoon", "small brand;", "generic categories;", "cannot learn custom queues", "bundled into higher tiers",
    "优势：", "劣势：", "validated on local studies;", "integration projects", "out of reach for small teams",
)  # fmt: skip
