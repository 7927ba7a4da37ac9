"""The drawing every chart is made of: a few shapes in a box, top-left origin, y downwards (pure).

A chart is defined once, as a ``Drawing`` built from the pitch's data; ``svg.py`` writes it as SVG
for the browser and ``pdf.py`` draws the same shapes as vector graphics on a reportlab canvas.
``meta`` travels to SVG as ``data-*`` attributes, so tests (and people) can find the data points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Meta = tuple[tuple[str, str], ...]
Anchor = Literal["start", "middle", "end"]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str | None = None
    stroke_width: float = 1.0
    rx: float = 0.0
    opacity: float = 1.0
    meta: Meta = ()


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float = 1.0
    dash: tuple[float, ...] = ()
    meta: Meta = ()


@dataclass(frozen=True)
class Polyline:
    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float = 2.0
    dash: tuple[float, ...] = ()
    meta: Meta = ()


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: str
    stroke: str | None = None
    stroke_width: float = 1.0
    meta: Meta = ()


@dataclass(frozen=True)
class Wedge:
    """A pie slice from ``start`` to ``end`` degrees, clockwise from 12 o'clock."""

    cx: float
    cy: float
    r: float
    start: float
    end: float
    fill: str
    meta: Meta = ()


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline
    text: str
    size: float = 12.0
    fill: str = "#14161f"
    anchor: Anchor = "start"
    bold: bool = False
    meta: Meta = ()


Shape = Rect | Line | Polyline | Circle | Wedge | Text


@dataclass(frozen=True)
class Drawing:
    kind: str
    width: float
    height: float
    shapes: tuple[Shape, ...]
    title: str = ""
    description: str = ""
    meta: Meta = field(default=())


@dataclass(frozen=True)
class Palette:
    """Colours a chart is drawn with; each deck theme has one."""

    background: str = "#ffffff"
    ink: str = "#14161f"
    muted: str = "#667085"
    grid: str = "#e4e7ec"
    accent: str = "#4f46e5"
    highlight: str = "#f97316"
    series: tuple[str, ...] = ("#4f46e5", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6")
    heat: tuple[str, ...] = ("#ecfdf3", "#fef0c7", "#fedf89", "#fdb022", "#f97066", "#d92d20")
