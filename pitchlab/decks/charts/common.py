"""Helpers every chart builder shares: text measuring and fitting, numbers, ticks, colours, words (pure).

Text is measured with a deliberately generous estimate (CJK, emoji and other wide characters count 1.0 × the
font size, every other character at least 0.55 ×), so a label that fits here fits in the real fonts too.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from pitchlab.core.numbers import compact as compact  # one formatter of numbers per language, shared
from pitchlab.decks.charts.ir import Line, Palette, Polyline, Shape

ELLIPSIS = "…"

_WORDS: dict[str, dict[str, str]] = {
    "traction": {"en": "Traction", "zh": "增长数据"},
    "actual": {"en": "actual", "zh": "实际"},
    "projection": {"en": "projection (RMSE {rmse})", "zh": "预测（RMSE {rmse}）"},
    "market": {"en": "Market size", "zh": "市场规模"},
    "market_growth": {"en": "Market growth {rate}% per year", "zh": "市场年增长率 {rate}%"},
    "source": {"en": "Source: {text}", "zh": "来源：{text}"},
    "competition": {"en": "Competitive positioning", "zh": "竞争定位"},
    "us": {"en": "us", "zh": "我们"},
    "named_us": {"en": "{name} (us)", "zh": "{name}（我们）"},
    "competitors": {"en": "competitors", "zh": "竞争对手"},
    "strengths": {"en": "Strengths: {text}", "zh": "优势：{text}"},
    "weaknesses": {"en": "Weaknesses: {text}", "zh": "劣势：{text}"},
    "performance": {"en": "Model results against the baseline", "zh": "模型与基线对比"},
    "model": {"en": "model", "zh": "模型"},
    "baseline": {"en": "baseline", "zh": "基线"},
    "scores": {"en": "Scores", "zh": "评分指标"},
    "others": {"en": "Other measures (each on its own scale)", "zh": "其他指标（各自比例）"},
    "lower_better": {"en": "lower is better", "zh": "越低越好"},
    "confusion": {"en": "Confusion matrix", "zh": "混淆矩阵"},
    "measured": {"en": "Measured by PitchLab", "zh": "PitchLab 实测"},
    "predicted": {"en": "predicted", "zh": "预测"},
    "true": {"en": "actual", "zh": "实际"},
    "risks": {"en": "Risk map", "zh": "风险矩阵"},
    "likelihood": {"en": "likelihood", "zh": "可能性"},
    "impact": {"en": "impact", "zh": "影响"},
    "more": {"en": "+{n} more", "zh": "另有 {n} 项"},
    "unscored": {"en": "{n} not yet scored", "zh": "{n} 项尚未评分"},
    "funds": {"en": "Use of funds", "zh": "资金用途"},
    "unallocated": {"en": "unallocated", "zh": "未分配"},
    "raising": {"en": "raising", "zh": "融资额"},
}


def word(key: str, lang: str, **values: object) -> str:
    """The chart word ``key`` in ``lang`` ("zh…" is Chinese, anything else English), with ``values`` filled in."""
    forms = _WORDS[key]
    template = forms["zh"] if lang.lower().startswith("zh") else forms["en"]
    return template.format(**values) if values else template


# --- text ---------------------------------------------------------------------------------------------------------

_NARROW_FACTOR = 0.55
_WIDE_FACTOR = 1.0


def _char_factor(ch: str) -> float:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0
    if unicodedata.east_asian_width(ch) in ("W", "F") or ord(ch) > 0xFFFF or unicodedata.category(ch) == "So":
        return _WIDE_FACTOR
    if ch in "mwMW@%":
        return 0.9
    if ch.isupper():
        return 0.7
    if ch.isdigit():
        return 0.62
    return _NARROW_FACTOR


def text_width(text: str, size: float) -> float:
    """The estimated advance width of ``text`` at font ``size`` (a generous estimate)."""
    return sum(_char_factor(ch) for ch in text) * size


def clean(value: object) -> str:
    """``value`` as one line of text: control characters dropped, runs of whitespace collapsed."""
    if value is None:
        return ""
    text = str(value)
    kept = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\u200d" else " " for ch in text)
    return " ".join(kept.split())


def fit_text(text: str, size: float, max_width: float) -> str:
    """``text`` cut and ended with "…" so that it is at most ``max_width`` wide at ``size`` ("" if nothing fits)."""
    text = clean(text)
    if text_width(text, size) <= max_width:
        return text
    budget = max_width - text_width(ELLIPSIS, size)
    if budget <= 0:
        return ""
    used = 0.0
    end = 0
    for index, ch in enumerate(text):
        used += _char_factor(ch) * size
        if used > budget:
            break
        end = index + 1
    head = text[:end].rstrip().rstrip("\u200d")
    return head + ELLIPSIS if head else ""


_TOKEN = re.compile(
    r"\s+|[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+"
)


def wrap_text(text: str, size: float, max_width: float, max_lines: int) -> list[str]:
    """``text`` broken into at most ``max_lines`` lines of ``max_width`` (at spaces, or between CJK characters).

    A word wider than a whole line is cut with "…", and so is the last line when the text does not fit.
    """
    pieces: list[tuple[str, str]] = []  # (separator before, piece)
    separator = ""
    for token in _TOKEN.findall(clean(text)):
        if token.isspace():
            separator = " "
        else:
            pieces.append((separator, token))
            separator = ""
    lines: list[str] = []
    index = 0
    while index < len(pieces) and len(lines) < max_lines:
        if len(lines) == max_lines - 1:
            rest = "".join(sep + piece for sep, piece in pieces[index:]).strip()
            lines.append(fit_text(rest, size, max_width))
            break
        line = pieces[index][1]
        index += 1
        if text_width(line, size) > max_width:
            lines.append(fit_text(line, size, max_width))
            continue
        while index < len(pieces) and text_width(line + "".join(pieces[index]), size) <= max_width:
            line += "".join(pieces[index])
            index += 1
        lines.append(line)
    return [line for line in lines if line]


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds Chinese, Japanese or Korean characters (which need a CJK font)."""
    return any(
        "\u2e80" <= ch <= "\u9fff"
        or "\uac00" <= ch <= "\ud7af"
        or "\uf900" <= ch <= "\ufaff"
        or "\uff00" <= ch <= "\uffef"
        or "\U00020000" <= ch <= "\U0002ffff"
        for ch in text
    )


# --- numbers ------------------------------------------------------------------------------------------------------


def number(value: object) -> float | None:
    """``value`` as a finite float, or None (booleans, text that is no number, NaN and infinities are None)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        if isinstance(value, int | float):
            result = float(value)
        elif isinstance(value, str):
            result = float(value.strip())
        else:
            return None
    except (ValueError, OverflowError):  # OverflowError: an int of 400 digits, stored before the canvas' bounds
        return None
    return result if math.isfinite(result) else None


def raw_str(value: object) -> str:
    """The value as the founder typed it, for ``meta`` ("6" for 6, "0.91" for 0.91)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(value)
    return str(value).strip() if isinstance(value, str) else str(value)


AXIS_LIMIT = 1e300
"""The furthest an axis reaches from 0: its span, steps and ticks then stay finite floats."""
_TINY_SPAN = 1e-290  # below this a span's fifth is subnormal and has no logarithm worth the name


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 × 10^k) from at most ``low`` and 0 to at least ``high`` and 0.

    Always at least two distinct ticks, for any input: an empty or subnormal range gets 0 to 1, and a range past
    ±``AXIS_LIMIT`` (or an infinite or NaN end) is cut to it, so the callers can divide by the span.
    """
    low = max(-AXIS_LIMIT, min(low, 0.0)) if not math.isnan(low) else 0.0
    high = min(AXIS_LIMIT, max(high, 0.0)) if not math.isnan(high) else 0.0
    if high - low < _TINY_SPAN:
        high = low + 1.0
    raw = (high - low) / max(1, count)
    exponent = math.floor(math.log10(raw))
    power = 10.0**exponent
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * 0.999)
    start = math.floor(low / step + 1e-9)
    stop = math.ceil(high / step - 1e-9)
    # Rounded to the step's own decimals (plus ten), so 0.1 × 3 reads 0.3 and a step of 1e-15 is not rounded to 0.
    decimals = min(320, max(10, 10 - exponent))
    ticks = [round(i * step, decimals) + 0.0 for i in range(start, max(stop, start + 1) + 1)]
    return ticks


# --- colours ------------------------------------------------------------------------------------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    text = colour.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    try:
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    except ValueError:
        return 0, 0, 0


def mix(colour: str, other: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0..1) of the way towards ``other``, as #rrggbb."""
    a, b = _rgb(colour), _rgb(other)
    t = min(1.0, max(0.0, amount))
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))


def luminance(colour: str) -> float:
    """Perceived brightness of ``colour`` from 0 (black) to 1 (white)."""
    r, g, b = _rgb(colour)
    return (0.299 * r + 0.587 * g + 0.114 * b) / 255


def on_colour(fill: str, palette: Palette) -> str:
    """A readable text colour on ``fill``: the palette's ink or background, whichever contrasts more with it."""
    shade = luminance(fill)
    return max((palette.ink, palette.background), key=lambda colour: abs(luminance(colour) - shade))


def series_colour(palette: Palette, index: int) -> str:
    """The ``index``-th series colour; after the palette's colours run out, lighter tints of them, in turn."""
    colours = palette.series or (palette.accent,)
    cycle, position = divmod(index, len(colours))
    colour = colours[position]
    return colour if cycle == 0 else mix(colour, palette.background, min(0.75, 0.4 * cycle))


# --- layout ---


def arrow(x1: float, y1: float, x2: float, y2: float, colour: str, width: float, head: float) -> list[Shape]:
    """A drawn arrow from (x1, y1) to (x2, y2), horizontal or vertical, with a chevron head (no font needed)."""
    if x1 == x2:
        step = head if y2 > y1 else -head
        tip = ((x2 - head, y2 - step), (x2, y2), (x2 + head, y2 - step))
    else:
        step = head if x2 > x1 else -head
        tip = ((x2 - step, y2 - head), (x2, y2), (x2 - step, y2 + head))
    return [Line(x1, y1, x2, y2, stroke=colour, width=width), Polyline(tip, stroke=colour, width=width)]


# --- sizes ------------------------------------------------------------------------------------------------------


def scale_of(width: float, height: float) -> float:
    """How much the fonts and spacings designed for 800 × 450 are scaled for this size."""
    return max(0.25, min(width / 800, height / 450))


def font(size: float, scale: float) -> float:
    return max(6.0, round(size * scale, 2))


def rows_of(value: Any) -> list[dict[str, Any]]:
    """The dict items of ``value`` when it is a list (anything else is no rows)."""
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def section(canvas: Any, *path: str) -> Any:
    """The value at ``path`` in ``canvas``, or None when any step is missing or not a dict."""
    node = canvas
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
