"""A ``Drawing`` as a standalone, accessible SVG document (pure, deterministic).

Numbers are written with at most two decimals, ``meta`` becomes ``data-*`` attributes and every text is
XML-escaped (characters XML cannot hold are dropped), so the same drawing always gives the same string.
"""

from __future__ import annotations

import math
import re

from pitchlab.decks.charts.ir import Circle, Drawing, Line, Meta, Polyline, Rect, Shape, Wedge

SVG_NS = "http://www.w3.org/2000/svg"
FONT_FAMILY = "Noto Sans, DejaVu Sans, Droid Sans Fallback, sans-serif"

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NOT_NAME = re.compile(r"[^a-z0-9-]+")


def num(value: float) -> str:
    """``value`` with at most two decimals and no trailing zeros ("12", "12.5", "0.33"; never "-0")."""
    if not math.isfinite(value):
        return "0"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def escape(text: str) -> str:
    """``text`` safe inside an XML element or a double-quoted attribute."""
    text = _NOT_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _attrs(pairs: list[tuple[str, str | None]], meta: Meta = ()) -> str:
    parts = [f'{name}="{escape(value)}"' for name, value in pairs if value is not None]
    seen = {name for name, _ in pairs}
    for key, value in meta:
        name = "data-" + (_NOT_NAME.sub("-", key.lower()).strip("-") or "x")
        if name not in seen:
            seen.add(name)
            parts.append(f'{name}="{escape(value)}"')
    return " ".join(parts)


def _dash(dash: tuple[float, ...]) -> str | None:
    return " ".join(num(d) for d in dash) if dash else None


def wedge_path(w: Wedge) -> str:
    """The SVG path of a pie slice (a full circle when it spans 360°)."""
    sweep = w.end - w.start
    if sweep >= 359.999:
        return (
            f"M {num(w.cx - w.r)} {num(w.cy)} A {num(w.r)} {num(w.r)} 0 1 1 {num(w.cx + w.r)} {num(w.cy)} "
            f"A {num(w.r)} {num(w.r)} 0 1 1 {num(w.cx - w.r)} {num(w.cy)} Z"
        )
    x1, y1 = point_on(w.cx, w.cy, w.r, w.start)
    x2, y2 = point_on(w.cx, w.cy, w.r, w.end)
    large = 1 if sweep > 180 else 0
    return f"M {num(w.cx)} {num(w.cy)} L {num(x1)} {num(y1)} A {num(w.r)} {num(w.r)} 0 {large} 1 {num(x2)} {num(y2)} Z"


def point_on(cx: float, cy: float, r: float, degrees: float) -> tuple[float, float]:
    """The point at ``degrees`` clockwise from 12 o'clock on the circle (y downwards)."""
    angle = math.radians(degrees)
    return cx + r * math.sin(angle), cy - r * math.cos(angle)


def _shape(shape: Shape) -> str:
    if isinstance(shape, Rect):
        attrs = [
            ("x", num(shape.x)),
            ("y", num(shape.y)),
            ("width", num(max(0.0, shape.w))),
            ("height", num(max(0.0, shape.h))),
            ("fill", shape.fill),
            ("stroke", shape.stroke),
            ("stroke-width", num(shape.stroke_width) if shape.stroke else None),
            ("rx", num(shape.rx) if shape.rx else None),
            ("opacity", num(shape.opacity) if shape.opacity < 1 else None),
        ]
        return f"<rect {_attrs(attrs, shape.meta)}/>"
    if isinstance(shape, Line):
        attrs = [
            ("x1", num(shape.x1)),
            ("y1", num(shape.y1)),
            ("x2", num(shape.x2)),
            ("y2", num(shape.y2)),
            ("stroke", shape.stroke),
            ("stroke-width", num(shape.width)),
            ("stroke-dasharray", _dash(shape.dash)),
        ]
        return f"<line {_attrs(attrs, shape.meta)}/>"
    if isinstance(shape, Polyline):
        attrs = [
            ("points", " ".join(f"{num(x)},{num(y)}" for x, y in shape.points)),
            ("fill", "none"),
            ("stroke", shape.stroke),
            ("stroke-width", num(shape.width)),
            ("stroke-linejoin", "round"),
            ("stroke-linecap", "round"),
            ("stroke-dasharray", _dash(shape.dash)),
        ]
        return f"<polyline {_attrs(attrs, shape.meta)}/>"
    if isinstance(shape, Circle):
        attrs = [
            ("cx", num(shape.cx)),
            ("cy", num(shape.cy)),
            ("r", num(max(0.0, shape.r))),
            ("fill", shape.fill),
            ("stroke", shape.stroke),
            ("stroke-width", num(shape.stroke_width) if shape.stroke else None),
        ]
        return f"<circle {_attrs(attrs, shape.meta)}/>"
    if isinstance(shape, Wedge):
        return f"<path {_attrs([('d', wedge_path(shape)), ('fill', shape.fill)], shape.meta)}/>"
    attrs = [
        ("x", num(shape.x)),
        ("y", num(shape.y)),
        ("font-size", num(shape.size)),
        ("fill", shape.fill),
        ("text-anchor", shape.anchor),
        ("font-weight", "bold" if shape.bold else None),
    ]
    return f"<text {_attrs(attrs, shape.meta)}>{escape(shape.text)}</text>"


def to_svg(drawing: Drawing) -> str:
    """The drawing as an SVG document with a ``<title>``, ``<desc>`` and one element per shape."""
    width, height = num(drawing.width), num(drawing.height)
    root = _attrs(
        [
            ("xmlns", SVG_NS),
            ("viewBox", f"0 0 {width} {height}"),
            ("width", width),
            ("height", height),
            ("role", "img"),
            ("aria-label", drawing.title or drawing.kind),
            ("font-family", FONT_FAMILY),
            ("data-kind", drawing.kind),
        ],
        drawing.meta,
    )
    lines = [f"<svg {root}>", f"<title>{escape(drawing.title or drawing.kind)}</title>"]
    if drawing.description:
        lines.append(f"<desc>{escape(drawing.description)}</desc>")
    lines += [_shape(shape) for shape in drawing.shapes]
    lines.append("</svg>")
    return "\n".join(lines) + "\n"
