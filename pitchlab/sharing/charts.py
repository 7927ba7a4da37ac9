"""Time per slide of a share link as a horizontal bar chart (pure), drawn with the deck's chart code.

The shapes are the deck's ``Drawing`` (decks/charts/ir.py) and ``to_svg`` writes them, so the chart is
escaped and sized like every other chart: slide titles are text the founder typed and never become markup.
One row per slide: the title on the left (cut with "…" to fit), a bar for the total seconds, and the total
and the average per visit on the right.
"""

from __future__ import annotations

from collections.abc import Sequence

from pitchlab.decks.charts.common import fit_text
from pitchlab.decks.charts.ir import Drawing, Line, Palette, Rect, Shape, Text
from pitchlab.decks.charts.svg import to_svg
from pitchlab.sharing.analytics import SlideStat

WIDTH = 640.0
NARROW = 360.0  # the phone variant: the same rows, less room for titles
ROW = 26.0
TOP = 14.0
BOTTOM = 12.0
FONT = 12.0


def seconds_text(seconds: float) -> str:
    """12.5 → "12.5 s", 75 → "1 min 15 s", 0 → "0 s"."""
    if seconds < 60:
        return f"{seconds:.1f}".rstrip("0").rstrip(".") + " s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def dwell_chart(
    stats: Sequence[SlideStat],
    *,
    width: float = WIDTH,
    palette: Palette | None = None,
    title: str = "Time per slide",
    average: str | None = "avg",
) -> Drawing:
    """One bar per slide, as long as its total seconds relative to the longest; a slide nobody saw has no bar.

    ``average`` is the word before the average per visit ("avg 12 s"), in the page's language; None leaves the
    average out (a phone's narrow chart: the table under it has the averages).
    """
    palette = palette or Palette()
    height = TOP + ROW * max(1, len(stats)) + BOTTOM
    label_w = round(width * 0.3)
    bar_left = label_w + 10
    bar_w = width - bar_left - (160 if average else 80)  # room for "12 min 5 s · avg 32.5 s"
    longest = max((stat.total_seconds for stat in stats), default=0.0)
    shapes: list[Shape] = [Rect(0, 0, width, height, fill=palette.background)]
    shapes.append(Line(bar_left, TOP - 4, bar_left, height - BOTTOM + 2, stroke=palette.grid))
    for i, stat in enumerate(stats):
        top = TOP + i * ROW
        baseline = top + ROW / 2 + FONT * 0.35
        label = fit_text(stat.title, FONT, label_w)
        fill = palette.ink if stat.in_deck else palette.muted
        shapes.append(Text(label_w, baseline, label, size=FONT, fill=fill, anchor="end"))
        length = bar_w * stat.total_seconds / longest if longest > 0 else 0.0
        meta = (
            ("slide", stat.key),
            ("seconds", f"{stat.total_seconds:g}"),
            ("average", f"{stat.average_seconds:g}"),
            ("visits", str(stat.visits)),
        )
        if length > 0:
            shapes.append(Rect(bar_left, top + 5, max(2.0, length), ROW - 10, fill=palette.accent, rx=3, meta=meta))
        value = seconds_text(stat.total_seconds)
        if stat.visits and average:
            value += f" · {average} {seconds_text(stat.average_seconds)}"
        value_left = bar_left + max(2.0, length) + 6
        value = fit_text(value, FONT - 1, width - value_left - 4)
        shapes.append(Text(value_left, baseline, value, size=FONT - 1, fill=palette.muted))
    described = "; ".join(f"{stat.title}: {seconds_text(stat.total_seconds)}" for stat in stats)
    return Drawing(kind="dwell", width=width, height=height, shapes=tuple(shapes), title=title, description=described)


def dwell_chart_svg(
    stats: Sequence[SlideStat], *, width: float = WIDTH, title: str = "Time per slide", average: str | None = "avg"
) -> str:
    return to_svg(dwell_chart(stats, width=width, title=title, average=average))
