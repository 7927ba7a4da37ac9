"""What each native PowerPoint chart of a pitch shows, as plain data (pure: no python-pptx objects).

Built from the canvas with the chart builders' own readers (``traction_series``/``panels_of``, the performance
``Result`` rows, ``confusion_experiment``, the risk scores), so the .pptx shows the figures the PDF draws. Colours
are roles (``Paint``), resolved against the deck's palette only when drawn, since one chart serves every theme.

Every category and series name is a cleaned string and every number a finite float, so the chart's XML and its
embedded workbook are always valid. Data a chart type cannot hold becomes a table: a doughnut with a negative
share, or with no share above zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from pitchlab.core.numbers import money
from pitchlab.decks.charts.build_confusion import caption_lines, confusion_counts, confusion_experiment
from pitchlab.decks.charts.build_performance import MEASURED_MARK, Result, is_latency, is_score, performance_results
from pitchlab.decks.charts.build_risks import risk_score
from pitchlab.decks.charts.common import ELLIPSIS, clean, number, word
from pitchlab.decks.charts.traction_series import panels_of, traction_series
from pitchlab.pitches.read_model import CanvasView

LABEL_LIMIT = 255  # Excel's limit on a chart's category or series name taken from a cell
MAX_PANELS = 4  # bar panels of one performance chart (the scores and three other units); the rest are dropped
MAX_CELL_TITLES = 4  # risk titles written in one heat-map cell before "+N more"
SHORT = 80  # characters of a name shown beside a plot (a legend's, a point's, a slice's)
CATEGORY = 60  # characters of a bar's category name under the plot

Role = Literal["series", "accent", "highlight", "baseline", "grid", "muted", "heat", "share", "ink", "background"]

_WORDS = {
    "projection": {"en": "{metric} (projection)", "zh": "{metric}（预测）"},
    "projection_rmse": {"en": "{metric} (projection, RMSE {rmse})", "zh": "{metric}（预测，RMSE {rmse}）"},
    "share": {"en": "share", "zh": "占比"},
    "use": {"en": "use", "zh": "用途"},
    "per_year": {"en": "{name}: {rate}% per year", "zh": "{name}：年增长 {rate}%"},
}


def _word(key: str, lang: str, **values: object) -> str:
    return _WORDS[key]["zh" if lang.lower().startswith("zh") else "en"].format(**values)


def label(value: object, fallback: str = "?", limit: int = LABEL_LIMIT) -> str:
    """``value`` as a category or series name: one clean line, never empty, cut with "…" past ``limit``
    characters (Excel's 255 at most; shorter where a long name would crowd the plot out of its chart)."""
    text = clean(value) or fallback
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


@dataclass(frozen=True)
class Paint:
    """A colour by its role in the deck's palette: the ``index``-th series colour, the heat of a score, a share's
    shade of the accent, or a fixed role (accent, highlight, …); ``lighten`` moves it towards the background."""

    role: Role
    index: int = 0
    share: float = 0.0
    lighten: float = 0.0


@dataclass(frozen=True)
class Series:
    """One series of a category chart: a value (or None, a gap) per category."""

    name: str
    values: tuple[float | None, ...]
    paint: Paint
    dashed: bool = False  # a projection: dashed line, hollow markers
    point_paints: tuple[Paint | None, ...] = ()  # per point (bars, slices); None keeps the series' colour


@dataclass(frozen=True)
class Panel:
    """One category chart: a title, its categories and series, how its numbers are written."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    number_format: str = "General"
    label_format: str = ""  # data labels on every point in this format; "" for none
    axis_min: float | None = None
    axis_max: float | None = None


@dataclass(frozen=True)
class LineChart:
    """Traction: a line chart (with markers) per panel, stacked in the frame."""

    kind: str
    panels: tuple[Panel, ...]


@dataclass(frozen=True)
class BarChart:
    """Market and performance: clustered bars, one chart per panel; ``horizontal`` bars for the panels after the
    first when ``side_by_side`` (performance: scores on the left, every other measure on the right)."""

    kind: str
    panels: tuple[Panel, ...]
    caption: tuple[str, ...] = ()
    side_by_side: bool = False


@dataclass(frozen=True)
class Point:
    """One company on the positioning map (its own series, so the label names it)."""

    name: str
    x: float
    y: float
    us: bool = False


@dataclass(frozen=True)
class ScatterChart:
    """Competition: an XY scatter on the founder's two axes, the startup highlighted and larger."""

    kind: str
    title: str
    x_title: str
    y_title: str
    points: tuple[Point, ...]
    low: float = 0.0
    high: float = 10.0
    notes: tuple[tuple[str, str, str], ...] = ()  # each company's (name, strengths, weaknesses), as the PDF lists


@dataclass(frozen=True)
class DoughnutChart:
    """Use of funds: one series of shares, a colour per slice, the amount raised in the title."""

    kind: str
    panel: Panel


@dataclass(frozen=True)
class Cell:
    """A table cell: its lines of text and its fill."""

    lines: tuple[str, ...]
    paint: Paint
    bold: bool = False


@dataclass(frozen=True)
class TableChart:
    """Confusion matrix, risk heat map, or data a chart type cannot hold: a table with filled cells."""

    kind: str
    title: str
    rows: tuple[tuple[Cell, ...], ...]  # the first row and column are headers
    caption: tuple[str, ...] = ()


NativeChart = LineChart | BarChart | ScatterChart | DoughnutChart | TableChart


def _header(text: str) -> Cell:
    return Cell((text,), Paint("background"), bold=True)


# --- traction -----------------------------------------------------------------------------------------------------


def traction_chart(canvas: CanvasView, lang: str) -> LineChart | None:
    """Each panel's metrics as solid series, their projections as dashed series from the last actual point."""
    series = traction_series(canvas)
    if not series:
        return None
    colours = {s.metric: index for index, s in enumerate(series)}
    panels = []
    for panel in panels_of(series):
        lead = panel[0]
        periods = tuple(label(p) for p in lead.periods) + tuple(label(p.period) for p in lead.projections)
        n_actual, n_slots = len(lead.periods), len(periods)
        drawn: list[Series] = []
        for s in panel:
            paint = Paint("series", colours[s.metric])
            drawn.append(Series(label(s.metric, limit=SHORT), tuple(s.values) + (None,) * (n_slots - n_actual), paint))
            if s.projections:
                ahead = tuple(float(f"{p.value:.6g}") for p in s.projections)  # a figure to read in the data
                values = (None,) * (n_actual - 1) + (s.values[-1],) + ahead
                key, extra = ("projection_rmse", {"rmse": s.rmse}) if s.rmse else ("projection", {})
                name = label(_word(key, lang, metric=label(s.metric, limit=SHORT), **extra))
                drawn.append(Series(name, values + (None,) * (n_slots - len(values)), paint, dashed=True))
        title = " · ".join(s.metric for s in panel) + (f" ({lead.unit})" if lead.unit else "")
        panels.append(Panel(title, periods, tuple(drawn), short_format(lang)))
    return LineChart("traction", tuple(panels))


# --- market -------------------------------------------------------------------------------------------------------


def _quoted(text: str) -> str:
    """``text`` as a literal in an Excel number format (its own quotes dropped)."""
    return '"' + text.replace('"', "").replace("\\", "") + '"' if text else ""


def short_format(lang: str) -> str:
    """An Excel number format that writes an axis' large figures short (35K, 1.2M; 百万 in Chinese), as the PDF's
    axes do; the workbook keeps the founder's figures whole."""
    if lang.lower().startswith("zh"):
        return f"[>=1000000000]#,##0,,{_quoted('百万')};[>=1000000]#,##0.0,,{_quoted('百万')};General"
    return f"[>=1000000]#,##0.0,,{_quoted('M')};[>=10000]#,##0,{_quoted('K')};General"


def money_format(currency: str, lang: str) -> str:
    """An Excel number format that writes large sums short, in the deck's language, with the currency.

    English: 18B / 36M / 2,400; Chinese: in millions (百万, as Chinese financial statements count) above a million,
    whole from a thousand millions (18,000 百万).
    The values stay whole in the workbook, so "Edit data" shows the founder's figures.
    """
    unit = f" {currency}" if currency else ""
    if lang.lower().startswith("zh"):
        million = _quoted("百万" + unit)
        return f"[>=1000000000]#,##0,,{million};[>=1000000]#,##0.0,,{million};#,##0{_quoted(unit)}"
    return (
        f"[>=1000000000]#,##0.0,,,{_quoted('B' + unit)};[>=1000000]#,##0.0,,{_quoted('M' + unit)};#,##0{_quoted(unit)}"
    )


def market_chart(canvas: CanvasView, lang: str) -> BarChart | None:
    """TAM, SAM and SOM as columns (the sizes the PDF draws: given and not negative), labelled with their sums;
    the sources and the growth rate go in the caption."""
    market = canvas.data.market
    currency = clean(market.currency)
    categories: list[str] = []
    values: list[float | None] = []
    caption: list[str] = []
    for level, entry in market.sizes:
        value = number(entry.value)
        if value is None or value < 0:
            continue
        year = clean(entry.year) if entry.year else ""
        categories.append(label(f"{level.upper()} {year}".strip()))
        values.append(value)
        if clean(entry.source):
            caption.append(
                f"{level.upper()}: {money(value, currency, lang)} · {word('source', lang, text=clean(entry.source))}"
            )
    if not categories:
        return None
    growth = number(market.growth_rate)
    if growth is not None:
        caption.append(word("market_growth", lang, rate=f"{growth:g}"))
    fmt = money_format(currency, lang)
    tints = tuple(Paint("accent", lighten=amount) for amount in (0.6, 0.3, 0.0)[-len(categories) :])
    series = Series(label(currency or word("market", lang)), tuple(values), Paint("accent"), point_paints=tints)
    panel = Panel(word("market", lang), tuple(categories), (series,), number_format=fmt, label_format=fmt, axis_min=0)
    return BarChart("market", (panel,), caption=tuple(caption))


# --- competition --------------------------------------------------------------------------------------------------


def competition_chart(canvas: CanvasView, lang: str, company: str) -> ScatterChart | None:
    """Every competitor with both scores as its own series; the startup (flagged ``us``, else named like
    ``company``) named "<name> (us)" and highlighted, as the PDF does."""
    competitors = canvas.data.competitors
    rows = [
        (label(item.name, limit=SHORT), number(item.x), number(item.y), item.us)
        for item in competitors.items
        if clean(item.name) and number(item.x) is not None and number(item.y) is not None
    ]
    if not rows:
        return None
    star = next((i for i, row in enumerate(rows) if row[3]), None)
    own = clean(company).casefold()
    if star is None and own:
        star = next((i for i, row in enumerate(rows) if row[0].casefold() == own), None)
    points = []
    for index, (name, x, y, _) in enumerate(rows):
        assert x is not None
        assert y is not None
        us = index == star
        points.append(Point(label(word("named_us", lang, name=name)) if us else name, x, y, us))
    points.sort(key=lambda p: not p.us)  # the startup first, as the PDF lists it
    # The axes run 0–10 as the PDF's map, widened in steps of 5 for a score outside, so 5 (the quadrants' line)
    # stays a gridline.
    low = 5.0 * math.floor(min(0.0, *(p.x for p in points), *(p.y for p in points)) / 5)
    high = 5.0 * math.ceil(max(10.0, *(p.x for p in points), *(p.y for p in points)) / 5)
    x_axis, y_axis = clean(competitors.x_axis), clean(competitors.y_axis)
    title = f"{word('competition', lang)}: {x_axis or 'x'} × {y_axis or 'y'}"
    notes = tuple(
        (
            label(word("named_us", lang, name=label(item.name, limit=SHORT)) if item.us else item.name, limit=SHORT),
            word("strengths", lang, text=clean(item.strengths)) if clean(item.strengths) else "",
            word("weaknesses", lang, text=clean(item.weaknesses)) if clean(item.weaknesses) else "",
        )
        for item in competitors.items
        if clean(item.name) and (clean(item.strengths) or clean(item.weaknesses))
    )
    axes = (label(x_axis, ""), label(y_axis, ""))
    return ScatterChart("competition", label(title), *axes, tuple(points), low, high, notes)


# --- performance --------------------------------------------------------------------------------------------------


def _name(result: Result) -> str:
    """A bar's category: its metric (and star) first, then the model, so a long model name never hides the metric
    (the label is "<model> · <metric>[ (n)][*]", as ``build_performance`` writes it)."""
    if not result.model:
        return label(result.label, limit=CATEGORY)
    return label(f"{_metric(result)} · {result.model}", limit=CATEGORY)


def _metric(result: Result) -> str:
    """The metric part of a bar's label (with its n and star), without the model."""
    return result.label[len(result.model) + 3 :] if result.model else result.label


def _names(results: list[Result]) -> tuple[str, ...]:
    """The bars' categories: the metric alone where it names one bar (the table beside the chart names the model,
    as the PDF's short labels do), else the metric and the model, so no two bars read the same."""
    metrics = [_metric(r) for r in results]
    return tuple(
        label(metric, limit=CATEGORY) if metrics.count(metric) == 1 else _name(result)
        for metric, result in zip(metrics, results, strict=True)
    )


def _bars(title: str, results: list[Result], lang: str, *, score: bool) -> Panel:
    model = tuple(r.value for r in results)
    pale = tuple(Paint("accent", lighten=0.6) if r.small else None for r in results)
    series = [Series(label(word("model", lang)), model, Paint("accent"), point_paints=pale)]
    if any(r.baseline is not None for r in results):
        series.append(Series(label(word("baseline", lang)), tuple(r.baseline for r in results), Paint("baseline")))
    if score:
        return Panel(title, _names(results), tuple(series), "0%", "0%", 0.0, 1.0)
    unit = results[0].unit or ("ms" if all(is_latency(r.metric) for r in results) else "")
    fmt = f"#,##0.##{_quoted(' ' + unit) if unit else ''}"
    return Panel(title, _names(results), tuple(series), fmt, fmt)


def performance_chart(canvas: CanvasView, lang: str) -> BarChart | None:
    """Scores (0–1) as clustered columns on one 0–100% axis; every other measure grouped by its unit (latency by
    itself), each group its own bar chart on its own scale, "lower is better" in a latency's title."""
    results = performance_results(canvas, lang)
    if not results:
        return None
    panels: list[Panel] = []
    scores = [r for r in results if is_score(r)]
    if scores:
        panels.append(_bars(word("scores", lang), scores, lang, score=True))
    groups: dict[tuple[str, bool], list[Result]] = {}
    for result in results:
        if not is_score(result):
            groups.setdefault((result.unit.casefold(), is_latency(result.metric)), []).append(result)
    for (unit, latency), members in groups.items():
        metrics = {r.metric for r in members}
        title = members[0].metric if len(metrics) == 1 else (unit or word("others", lang))
        if latency:
            title += f" ({word('lower_better', lang)})"
        panels.append(_bars(title, members, lang, score=False))
    caption = (
        (f"{MEASURED_MARK}{word('measured', lang)}",) if any(r.label.endswith(MEASURED_MARK) for r in results) else ()
    )
    return BarChart("performance", tuple(panels[:MAX_PANELS]), caption=caption, side_by_side=True)


# --- use of funds ------------------------------------------------------------------------------------------------


def _percent_text(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") + "%"


def funds_chart(canvas: CanvasView, lang: str) -> DoughnutChart | TableChart | None:
    """The shares as a doughnut (an "unallocated" slice when they add up to less than 100), the amount raised in
    the title; a table of the lines when a share is negative or none is above zero."""
    items = [(label(row.label, limit=SHORT), number(row.percent)) for row in canvas.ask.use_of_funds]
    shares = [(name, value) for name, value in items if value is not None]
    if not shares:
        return None
    amount = number(canvas.ask.amount)
    title = word("funds", lang)
    if amount is not None and amount > 0:
        title += f" · {word('raising', lang)} {money(amount, clean(canvas.ask.currency), lang)}"
    if any(value < 0 for _, value in shares) or not any(value > 0 for _, value in shares):
        head = (_header(_word("use", lang)), _header(_word("share", lang)))
        body = tuple(
            (Cell((name,), Paint("background")), Cell((_percent_text(value),), Paint("background")))
            for name, value in shares
        )
        return TableChart("funds", label(title), (head, *body))
    names = [name for name, _ in shares]
    values = [value for _, value in shares]
    paints: list[Paint | None] = [Paint("series", index) for index in range(len(shares))]
    total = sum(values)
    if total < 100 - 0.01:
        names.append(label(word("unallocated", lang)))
        values.append(100 - total)
        paints.append(Paint("grid"))
    series = Series(label(word("funds", lang)), tuple(values), Paint("series"), point_paints=tuple(paints))
    return DoughnutChart("funds", Panel(label(title), tuple(names), (series,), 'General"%"', 'General"%"'))


# --- heat maps ---------------------------------------------------------------------------------------------------


def confusion_table(canvas: CanvasView, lang: str) -> TableChart | None:
    """Actual classes down, predicted across; each count shaded by its share of its row, the diagonal bold."""
    row = confusion_experiment(canvas)
    if row is None:
        return None
    labels, counts = confusion_counts(row)
    corner = _header(f"{word('true', lang)} ↓ · {word('predicted', lang)} →")
    head = (corner, *(_header(label(name)) for name in labels))
    body = []
    for i, (name, cells) in enumerate(zip(labels, counts, strict=True)):
        total = sum(cells)
        body.append(
            (
                _header(label(name)),
                *(
                    Cell(
                        (f"{count:,.0f}" if count.is_integer() else f"{count:,g}",),
                        Paint("share", share=count / total if total else 0.0),
                        bold=i == j,
                    )
                    for j, count in enumerate(cells)
                ),
            )
        )
    head_text, source = caption_lines(row, lang)
    return TableChart("confusion", label(head_text), (head, *body), caption=(source,) if source else ())


def risks_table(canvas: CanvasView, lang: str) -> TableChart | None:
    """Impact 5 to 1 down, likelihood 1 to 5 across (the PDF's heat map: likelihood along, impact up), each cell
    coloured by likelihood × impact and holding its risks' titles (the most severe first; past four, "+N more")."""
    cells: dict[tuple[int, int], list[str]] = {}
    unscored = 0
    for risk in canvas.risks:
        likelihood, impact = risk_score(risk.likelihood), risk_score(risk.impact)
        if likelihood is None or impact is None:
            unscored += 1
            continue
        cells.setdefault((likelihood, impact), []).append(label(risk.title))
    if not cells:
        return None
    corner = _header(f"{word('impact', lang)} ↓ · {word('likelihood', lang)} →")
    rows: list[tuple[Cell, ...]] = [(corner, *(_header(str(likelihood)) for likelihood in range(1, 6)))]
    for impact in range(5, 0, -1):
        row = [_header(str(impact))]
        for likelihood in range(1, 6):
            titles = cells.get((likelihood, impact), [])
            shown = titles if len(titles) <= MAX_CELL_TITLES else titles[: MAX_CELL_TITLES - 1]
            more = (word("more", lang, n=len(titles) - len(shown)),) if len(shown) < len(titles) else ()
            row.append(Cell((*shown, *more), Paint("heat", index=likelihood * impact)))
        rows.append(tuple(row))
    caption = (word("unscored", lang, n=unscored),) if unscored else ()
    scored = sum(len(titles) for titles in cells.values())
    return TableChart("risks", f"{word('risks', lang)}: {scored}", tuple(rows), caption=caption)
