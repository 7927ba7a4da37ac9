"""Performance: the model against its baseline, per experiment row, and a confusion-matrix heatmap.

Rows whose model and baseline values both lie in 0..1 (and whose metric is not latency-like) are scores: grouped
bars on one 0–100% axis. Every other row (latency-like: the metric mentions "latency" or "ms"; or values above 1
or below 0) goes to a second panel where each row is a pair of horizontal bars on its own scale, with the values
written out and no shared axis, so 80 ms is never compared to an accuracy. Latency rows say "lower is better".
A result PitchLab measured itself (``"measured": true``) is starred, and the legend says what the star means.

Each bar is labelled with its model's name and metric ("Ticket router · accuracy"), never a bare "accuracy (2)".
A score with a 95 % interval (``ci_low``/``ci_high``) is drawn with its interval as a whisker and "n = …" under
its label; a small-sample figure (``pitches.metrics.is_small_sample``: n < 100 or wider than ±10 points) is drawn
as a pale, outlined bar — never a bare solid one — with its whisker and a "small sample" mark. A time is written
with its unit at a sensible precision ("14.0 ms").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pitchlab.core import numbers
from pitchlab.decks.charts.build_confusion import build_confusion, confusion_matrix
from pitchlab.decks.charts.common import (
    clean,
    fit_text,
    font,
    mix,
    number,
    raw_str,
    scale_of,
    text_width,
    word,
    wrap_text,
)
from pitchlab.decks.charts.ir import Drawing, Line, Palette, Rect, Shape, Text
from pitchlab.pitches.bounds import is_latency_metric
from pitchlab.pitches.metrics import format_interval, format_number, format_samples, interval_of, is_small_sample
from pitchlab.pitches.read_model import CanvasView

__all__ = ["build_confusion", "build_performance", "confusion_matrix", "is_latency", "percent"]

MEASURED_MARK = "*"  # no space before it: the star must not wrap onto a line of its own

_WORDS = {
    "small": {"en": "small sample", "zh": "样本量小"},
    "n": {"en": "n = {n}", "zh": "n = {n}"},
    "whisker": {"en": "whisker: 95% interval", "zh": "误差线：95% 置信区间"},
}


def _word(key: str, lang: str, **values: object) -> str:
    form = _WORDS[key]["zh" if lang.lower().startswith("zh") else "en"]
    return form.format(**values) if values else form


@dataclass(frozen=True)
class Result:
    label: str
    metric: str
    value: float
    raw: str
    baseline: float | None
    raw_baseline: str
    samples: int | None = None
    ci: tuple[float, float] | None = None
    small: bool = False
    unit: str = ""
    model: str = ""
    value_text: str = ""  # the figures as the pitch's language writes them (pitches.metrics, core.numbers)
    baseline_text: str = ""
    interval_text: str = ""  # "95% CI 49–94.3%", "" without an interval
    samples_text: str = ""  # "n = 2,000", "" without a sample count

    def notes(self, lang: str) -> list[tuple[str, str]]:
        """What is written under the label, each with its role: "n = 10", the interval as numbers and, for a
        small sample, the mark."""
        notes = [(self.samples_text, "n"), (self.interval_text, "interval-text")]
        notes.append((_word("small", lang) if self.small else "", "small-sample"))
        return [(text, role) for text, role in notes if text]


def is_latency(metric: str) -> bool:
    """Whether ``metric`` measures time (lower is better): it mentions "latency", "ms" or 延迟/时延/耗时."""
    return is_latency_metric(metric)  # the validator's own test, so a time it bounds at 0 is the time drawn here


def percent(value: float, lang: str = "en") -> str:
    """0.91 → "91%", 0.885 → "88.5%" (core.numbers.percent)."""
    return numbers.percent(value, lang)


def performance_results(canvas: CanvasView, lang: str = "en") -> list[Result]:
    """Each experiment of the canvas as a bar of the performance chart (value, baseline, interval, labels)."""
    results: list[Result] = []
    counts: dict[str, int] = {}
    for experiment in canvas.data.experiments:
        row = experiment.figures()  # what the metrics formatters read
        metric, value = clean(experiment.metric), number(experiment.value)
        if not metric or value is None:
            continue
        model = clean(experiment.model)
        name = f"{model} · {metric}" if model else metric
        counts[name] = counts.get(name, 0) + 1
        label = name if counts[name] == 1 else f"{name} ({counts[name]})"
        label += MEASURED_MARK if experiment.measured else ""
        baseline = number(experiment.baseline)
        raw_baseline = raw_str(experiment.baseline) if baseline is not None else ""
        samples = number(experiment.samples)
        unit = clean(experiment.unit)[:16]
        results.append(
            Result(
                label,
                metric,
                value,
                raw_str(experiment.value),
                baseline,
                raw_baseline,
                samples=int(samples) if samples is not None and samples >= 1 else None,
                ci=interval_of(row),
                small=is_small_sample(row),
                unit=unit,
                model=model,
                value_text=format_number(row, value, lang),
                baseline_text=format_number(row, baseline, lang) if baseline is not None else "",
                interval_text=format_interval(row, lang),
                samples_text=format_samples(row, lang),
            )
        )
    return results


def is_score(result: Result) -> bool:
    """Whether ``result`` is a score between 0 and 1 (drawn on the shared 0–100 % axis), not a latency or a unit."""
    values = [result.value] + ([result.baseline] if result.baseline is not None else []) + list(result.ci or ())
    return not is_latency(result.metric) and not result.unit and all(0 <= v <= 1 for v in values)


def build_performance(
    canvas: CanvasView, *, palette: Palette, width: float = 800, height: float = 450, lang: str = "en"
) -> Drawing | None:
    """Model-vs-baseline bars (scores as %, other measures each on their own scale); None without experiments."""
    results = performance_results(canvas, lang)
    if not results:
        return None
    k = scale_of(width, height)
    margin = 22 * k
    colours = {"model": palette.accent, "baseline": mix(palette.muted, palette.background, 0.45)}
    legend_size = font(12, k)
    shapes: list[Shape] = [Rect(0, 0, width, height, fill=palette.background)]
    x = margin
    for series in ("model", "baseline"):
        shapes.append(
            Rect(
                x,
                margin + legend_size * 0.1 - legend_size * 0.8,
                legend_size,
                legend_size,
                fill=colours[series],
                rx=2 * k,
            )
        )
        label = word(series, lang)
        shapes.append(
            Text(x + legend_size + 6 * k, margin + legend_size * 0.1, label, size=legend_size, fill=palette.ink)
        )
        x += legend_size + 6 * k + text_width(label, legend_size) + 22 * k
    if any(r.label.endswith(MEASURED_MARK) for r in results):
        note = fit_text(f"*{word('measured', lang)}", legend_size, max(0.0, width - margin - x))
        shapes.append(Text(x, margin + legend_size * 0.1, note, size=legend_size, fill=palette.muted))
        x += text_width(note, legend_size) + 22 * k
    if any(r.ci is not None for r in results) and x < width - margin:
        note = fit_text(_word("whisker", lang), legend_size, max(0.0, width - margin - x))
        shapes.append(Text(x, margin + legend_size * 0.1, note, size=legend_size, fill=palette.muted))
    scores = [r for r in results if is_score(r)]
    others = [r for r in results if not is_score(r)]
    top, bottom = margin + legend_size + 22 * k, height - margin
    gap = 36 * k
    inner = width - 2 * margin
    split = 0.58 if scores and others else (1.0 if scores else 0.0)
    score_w = (inner - (gap if scores and others else 0)) * split
    if scores:
        shapes += _scores_panel(scores, colours, palette, margin, top, score_w, bottom - top, k, lang)
    if others:
        left = margin + (score_w + gap if scores else 0)
        shapes += _others_panel(others, colours, palette, left, top, width - margin - left, bottom - top, k, lang)
    summary = "; ".join(
        f"{r.label}: {r.value_text}"
        + (f" vs {r.baseline_text}" if r.baseline is not None else "")
        + "".join(f", {note}" for note, _ in r.notes(lang))
        for r in results
    )
    return Drawing(
        kind="performance",
        width=width,
        height=height,
        shapes=tuple(shapes),
        title=f"{word('performance', lang)}: {', '.join(r.label for r in results)}",
        description=summary,
    )


def _bar_meta(result: Result, series: str) -> tuple[tuple[str, str], ...]:
    raw = result.raw if series == "model" else result.raw_baseline
    meta: tuple[tuple[str, str], ...] = (("metric", result.metric), ("series", series), ("value", raw))
    if series == "model":
        if result.ci is not None:
            meta += (("ci-low", f"{result.ci[0]:g}"), ("ci-high", f"{result.ci[1]:g}"))
        if result.samples:
            meta += (("n", str(result.samples)),)
        meta += (("small-sample", "true" if result.small else "false"),)
    return meta


def _name_lines(result: Result, size: float, width: float) -> list[str]:
    """A bar's label: the metric (and its star) on the first line, the model's name under it, each fitted, so
    that a long model name never hides which metric the bar is."""
    if not result.model:
        return wrap_text(result.label, size, width, 2)
    metric = result.label[len(result.model) + 3 :]  # the label is "<model> · <metric>[ (n)][*]"
    return [fit_text(metric, size, width), fit_text(result.model, size, width)]


def _fitted(text: str, size: float, width: float, k: float) -> tuple[str, float]:
    """``text`` at ``size``, or smaller (down to 7.5 pt) when that makes it fit, else cut with an ellipsis."""
    while text_width(text, size) > width and size > font(7.5, k):
        size = max(font(7.5, k), size - 0.5 * k)
    return fit_text(text, size, width), size


def _note_lines(notes: list[tuple[str, str]], size: float, width: float, k: float) -> list[tuple[str, float, str]]:
    """The notes under a bar, each fitted to ``width`` with its role; an interval too wide for one line at the
    smallest size is broken after its "95% CI" label, so its numbers are never cut with an ellipsis."""
    lines: list[tuple[str, float, str]] = []
    for text, role in notes:
        head, _, span = text.rpartition(" ")
        if role == "interval-text" and head and text_width(text, font(7.5, k)) > width:
            lines += [(*_fitted(head, size, width, k), role), (*_fitted(span, size, width, k), role)]
        else:
            lines.append((*_fitted(text, size, width, k), role))
    return lines


def _whisker(
    result: Result, centre: float, bar: float, to_y: Callable[[float], float], palette: Palette, k: float
) -> list[Shape]:
    """The 95 % interval as a vertical whisker with caps, centred on the model's bar."""
    if result.ci is None:
        return []
    low, high = to_y(result.ci[0]), to_y(result.ci[1])
    cap = max(4 * k, bar * 0.3)
    meta: tuple[tuple[str, str], ...] = (("role", "interval"), ("metric", result.metric))
    meta += (("low", f"{result.ci[0]:g}"), ("high", f"{result.ci[1]:g}"))
    return [
        Line(centre, high, centre, low, stroke=palette.ink, width=1.6 * k, meta=meta),
        Line(centre - cap / 2, high, centre + cap / 2, high, stroke=palette.ink, width=1.6 * k),
        Line(centre - cap / 2, low, centre + cap / 2, low, stroke=palette.ink, width=1.6 * k),
    ]


def _scores_panel(
    results: list[Result],
    colours: dict[str, str],
    palette: Palette,
    x: float,
    y: float,
    w: float,
    h: float,
    k: float,
    lang: str,
) -> list[Shape]:
    head, tick, value_size, label_size = font(13, k), font(10.5, k), font(11, k), font(11.5, k)
    note_size = font(10, k)
    shapes: list[Shape] = [
        Text(x, y + head, fit_text(word("scores", lang), head, w), size=head, fill=palette.ink, bold=True)
    ]
    plot_top = y + head + 14 * k + value_size
    plot_left = x + text_width("100%", tick) + 8 * k
    plot_w = x + w - plot_left
    group = plot_w / len(results)
    names = [_name_lines(r, label_size, group - 6 * k) for r in results]
    notes = [_note_lines(r.notes(lang), note_size, group - 4 * k, k) for r in results]
    line = label_size * 1.25
    plot_bottom = y + h - max(len(n) for n in names) * line - max(len(n) for n in notes) * note_size * 1.25 - 6 * k
    plot_h = plot_bottom - plot_top
    for step in range(5):
        value = step / 4
        ty = plot_bottom - value * plot_h
        shapes.append(Line(plot_left, ty, x + w, ty, stroke=palette.muted if step == 0 else palette.grid, width=1 * k))
        shapes.append(
            Text(plot_left - 6 * k, ty + tick * 0.35, percent(value, lang), size=tick, fill=palette.muted, anchor="end")
        )
    bar = min(group * 0.34, 56 * k)
    for i, (result, name) in enumerate(zip(results, names, strict=True)):
        centre = plot_left + group * (i + 0.5)
        pairs = [("model", result.value)] + ([("baseline", result.baseline)] if result.baseline is not None else [])
        for j, (series, value) in enumerate(pairs):
            left = centre - bar - 2 * k + j * (bar + 4 * k) if len(pairs) == 2 else centre - bar / 2
            top = plot_bottom - value * plot_h
            pale = series == "model" and result.small
            shapes.append(
                Rect(
                    left,
                    top,
                    bar,
                    plot_bottom - top,
                    fill=colours[series],
                    rx=2 * k,
                    opacity=0.35 if pale else 1.0,
                    stroke=colours[series] if pale else None,
                    stroke_width=1.5 * k,
                    meta=_bar_meta(result, series),
                )
            )
            if series == "model":
                shapes += _whisker(result, left + bar / 2, bar, lambda v: plot_bottom - v * plot_h, palette, k)
                if result.ci is not None:
                    top = min(top, plot_bottom - result.ci[1] * plot_h)
            text = result.value_text if series == "model" else result.baseline_text
            size = value_size if text_width(text, value_size) <= bar + 4 * k else font(9, k)
            if text_width(text, size) <= group / len(pairs):
                shapes.append(
                    Text(
                        left + bar / 2,
                        top - 5 * k,
                        text,
                        size=size,
                        fill=palette.ink,
                        anchor="middle",
                        bold=series == "model",
                    )
                )
        for j, text in enumerate(name):
            baseline = plot_bottom + label_size + 6 * k + j * line
            shapes.append(Text(centre, baseline, text, size=label_size, fill=palette.ink, anchor="middle"))
        below = plot_bottom + label_size + 6 * k + (len(name) - 1) * line
        for j, (text, size, role) in enumerate(notes[i]):
            small = role == "small-sample"
            shapes.append(
                Text(
                    centre,
                    below + (j + 1) * note_size * 1.25,
                    text,
                    size=size,
                    fill=palette.highlight if small else palette.muted,
                    anchor="middle",
                    bold=small,
                    meta=(("role", role),),
                )
            )
    return shapes


def _others_panel(
    results: list[Result],
    colours: dict[str, str],
    palette: Palette,
    x: float,
    y: float,
    w: float,
    h: float,
    k: float,
    lang: str,
) -> list[Shape]:
    head, label_size, value_size = font(13, k), font(11.5, k), font(11, k)
    shapes: list[Shape] = [
        Text(x, y + head, fit_text(word("others", lang), head, w), size=head, fill=palette.ink, bold=True)
    ]
    top = y + head + 14 * k
    room = y + h - top
    bar_h = min(22 * k, max(4 * k, (room / len(results) - label_size - 18 * k) / 2))
    row_h = label_size + 8 * k + 2 * bar_h + 4 * k + 14 * k
    fits = max(1, int((room + 14 * k) // row_h))
    shown = results if len(results) <= fits else results[: max(1, fits - 1)]
    for i, result in enumerate(shown):
        ry = top + i * row_h
        # The metric and "lower is better" first, the model's name last: a long name is what gets cut.
        metric = result.label[len(result.model) + 3 :] if result.model else result.label
        title = metric + (f" ({word('lower_better', lang)})" if is_latency(result.metric) else "")
        title += f" · {result.model}" if result.model else ""
        shapes.append(
            Text(x, ry + label_size, fit_text(title, label_size, w), size=label_size, fill=palette.ink, bold=True)
        )
        pairs = [("model", result.value)] + ([("baseline", result.baseline)] if result.baseline is not None else [])
        texts = [result.value_text, result.baseline_text][: len(pairs)]
        # n, the interval and the small-sample mark follow the model's value, where they cannot be cut off with a
        # long title.
        texts[0] += "".join(f" · {note}" for note, _ in result.notes(lang))
        text_room = min(w * 0.75, max(text_width(t, value_size) for t in texts) + 8 * k)
        # The bars' lengths are relative, so the values are first scaled to at most 1 in size: 1e308 against
        # -1e308 would give an infinite span, and an infinity over an infinity is no length.
        unit = max(abs(v) for _, v in pairs) or 1.0
        pairs = [(series, v / unit) for series, v in pairs]
        low = min(0.0, *(v for _, v in pairs))
        high = max(0.0, *(v for _, v in pairs))
        span = (high - low) or 1.0
        track = max(4 * k, w - text_room - 2 * k)
        zero = x + (0 - low) / span * track
        for j, ((series, value), text) in enumerate(zip(pairs, texts, strict=True)):
            by = ry + label_size + 8 * k + j * (bar_h + 4 * k)
            end = x + (value - low) / span * track
            left, right = min(zero, end), max(zero, end)
            shapes.append(
                Rect(
                    left,
                    by,
                    max(right - left, 1 * k),
                    bar_h,
                    fill=colours[series],
                    rx=2 * k,
                    opacity=0.35 if series == "model" and result.small else 1.0,
                    stroke=colours[series] if series == "model" and result.small else None,
                    stroke_width=1.5 * k,
                    meta=_bar_meta(result, series),
                )
            )
            text, size = _fitted(text, min(value_size, font(bar_h * 0.9 / k, k)), x + w - right - 6 * k, k)
            shapes.append(
                Text(
                    right + 6 * k,
                    by + bar_h / 2 + size * 0.35,
                    text,
                    size=size,
                    fill=palette.ink,
                    bold=series == "model",
                    meta=(("role", "figure"),) if series == "model" else (),
                )
            )
    if len(shown) < len(results):
        text = word("more", lang, n=len(results) - len(shown))
        shapes.append(Text(x, top + len(shown) * row_h + label_size, text, size=label_size, fill=palette.muted))
    return shapes
