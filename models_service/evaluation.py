"""Evaluation of a classifier on a labelled set, in plain Python.

The report is shaped to become an experiment result in a pitch: :meth:`EvaluationReport.as_json`
gives a dict of plain lists, strings and numbers that ``json.dumps`` accepts as is.

Conventions, chosen to agree with scikit-learn's ``classification_report`` under ``zero_division=0``:

* the precision of a class that was never predicted is 0.0;
* the recall of a class with no support (never a true label) is 0.0;
* F1 is 0.0 when precision + recall is 0;
* macro averages are unweighted means over every label in ``labels``, so a label with no
  predictions or no support pulls the macro averages down.

Percentiles use linear interpolation between closest ranks, which is numpy's default
(``method="linear"``).

Every score carries a 95 % interval (``EvaluationReport.intervals``; the maths and the choice of method are in
:mod:`models_service.intervals`): a Wilson score interval for accuracy (one proportion: correct out of n); for
macro precision and recall the mean of the per-class Wilson intervals' ends (a macro average is not one
proportion); a percentile bootstrap for macro F1; and a Wilson interval for each class's precision and recall.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from models_service.intervals import BOOTSTRAP_RESAMPLES, Interval, bootstrap_macro_f1, macro_wilson, wilson

__all__ = [
    "ClassScore",
    "EvaluationInputError",
    "EvaluationReport",
    "evaluate",
    "percentile",
    "read_text_csv",
]

TEXT_COLUMN = "text"
LABEL_COLUMN = "label"


@dataclass(frozen=True)
class ClassScore:
    """Precision, recall and F1 of one label, with its support (how many samples truly have it)."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int
    # Derived from the counts above, so two scores are equal when their figures are (compare=False).
    precision_ci: Interval | None = field(default=None, compare=False)
    recall_ci: Interval | None = field(default=None, compare=False)

    def as_json(self) -> dict[str, Any]:
        """The score as a plain dict (with ``precision_ci`` / ``recall_ci`` when they exist)."""
        out: dict[str, Any] = {
            "label": self.label,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "support": self.support,
        }
        for name, interval in (("precision_ci", self.precision_ci), ("recall_ci", self.recall_ci)):
            if interval is not None:
                out[name] = interval.as_json()
        return out


@dataclass(frozen=True)
class EvaluationReport:
    """Metrics of one evaluation run.

    ``confusion[i][j]`` counts samples whose true label is ``labels[i]`` and whose predicted label is
    ``labels[j]`` (rows are true labels, columns predicted ones, both in ``labels`` order).
    """

    labels: tuple[str, ...]
    samples: int
    accuracy: float
    macro_precision: float
    macro_recall: float
    macro_f1: float
    per_class: tuple[ClassScore, ...]
    confusion: tuple[tuple[int, ...], ...]
    latency_ms_p50: float | None
    latency_ms_p95: float | None
    intervals: tuple[tuple[str, Interval], ...] = ()
    """95 % intervals by figure: "accuracy", "macro_precision", "macro_recall" (Wilson), "macro_f1" (bootstrap)."""

    def interval(self, metric: str) -> Interval | None:
        """The 95 % interval of ``metric`` ("accuracy", "macro_f1", …), or None when it has none."""
        return dict(self.intervals).get(metric)

    def as_json(self) -> dict[str, Any]:
        """The report as a plain, JSON-serialisable dict.

        The confusion matrix becomes ``{"labels": [...], "matrix": [[...], ...]}`` so that it carries
        its own axis labels.
        """
        return {
            "labels": list(self.labels),
            "samples": self.samples,
            "accuracy": self.accuracy,
            "macro_precision": self.macro_precision,
            "macro_recall": self.macro_recall,
            "macro_f1": self.macro_f1,
            "per_class": [score.as_json() for score in self.per_class],
            "confusion": {"labels": list(self.labels), "matrix": [list(row) for row in self.confusion]},
            "latency_ms_p50": self.latency_ms_p50,
            "latency_ms_p95": self.latency_ms_p95,
            "intervals": {metric: interval.as_json() for metric, interval in self.intervals},
        }


def _ratio(numerator: int, denominator: int) -> float:
    """``numerator / denominator``, or 0.0 when the denominator is 0 (sklearn's ``zero_division=0``)."""
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def _check_labels_sequence(name: str, values: object) -> None:
    # A bare string is a Sequence[str] to the type checker, but evaluating its characters is never meant.
    if isinstance(values, str | bytes):
        raise TypeError(f"{name} must be a sequence of labels, not a single string")


def _resolve_labels(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str] | None) -> tuple[str, ...]:
    if labels is None:
        return tuple(sorted(set(y_true) | set(y_pred)))
    _check_labels_sequence("labels", labels)
    resolved = tuple(labels)
    if not resolved:
        raise ValueError("labels must not be empty when given")
    seen: set[str] = set()
    for label in resolved:
        if label in seen:
            raise ValueError(f"labels lists {label!r} more than once")
        seen.add(label)
    for name, values in (("y_pred", y_pred), ("y_true", y_true)):
        for index, value in enumerate(values):
            if value not in seen:
                raise ValueError(
                    f"{name}[{index}] is {value!r}, which is not among the given labels {list(resolved)!r}"
                )
    return resolved


def _latency_percentiles(latencies_ms: Sequence[float] | None) -> tuple[float | None, float | None]:
    if latencies_ms is None or len(latencies_ms) == 0:
        return None, None
    for index, value in enumerate(latencies_ms):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"latencies_ms[{index}] is {value!r}; latencies must be finite and not negative")
    return percentile(latencies_ms, 50), percentile(latencies_ms, 95)


def evaluate(
    y_true: Sequence[str],
    y_pred: Sequence[str],
    *,
    labels: Sequence[str] | None = None,
    latencies_ms: Sequence[float] | None = None,
    resamples: int = BOOTSTRAP_RESAMPLES,
) -> EvaluationReport:
    """Score predictions ``y_pred`` against the true labels ``y_true``.

    ``labels`` fixes which labels are reported and in what order (it orders the per-class scores and
    both axes of the confusion matrix); by default it is the sorted union of the true and predicted
    labels. An explicit ``labels`` must hold every label that occurs in ``y_true`` and ``y_pred``, so
    the confusion matrix always accounts for every sample; it may hold labels that never occur, which
    then score 0.0 and lower the macro averages.

    Zero divisions follow sklearn's ``zero_division=0``: a label never predicted has precision 0.0, a
    label with no support has recall 0.0, and F1 is 0.0 when precision + recall is 0.

    ``latencies_ms`` (per prediction or per batch, in milliseconds) gives the p50 and p95 latencies;
    when it is None or empty they are None.

    Each score gets a 95 % interval (``intervals``): Wilson for accuracy and for each class's precision and
    recall, averaged per-class Wilson ends for macro precision and recall, and a percentile bootstrap of
    ``resamples`` resamples (fixed seed) for macro F1.

    Raises ValueError when the two sequences differ in length or are empty, when ``labels`` is empty
    or repeats a label, when a label in the data is missing from an explicit ``labels``, or when a
    latency is negative or not finite.
    """
    _check_labels_sequence("y_true", y_true)
    _check_labels_sequence("y_pred", y_pred)
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} labels but y_pred has {len(y_pred)}; they must be the same length")
    if not y_true:
        raise ValueError("cannot evaluate on no samples: y_true and y_pred are empty")
    resolved = _resolve_labels(y_true, y_pred, labels)
    index = {label: position for position, label in enumerate(resolved)}

    matrix = [[0] * len(resolved) for _ in resolved]
    for true_label, predicted_label in zip(y_true, y_pred, strict=True):
        matrix[index[true_label]][index[predicted_label]] += 1

    per_class: list[ClassScore] = []
    for position, label in enumerate(resolved):
        hits = matrix[position][position]
        support = sum(matrix[position])
        predicted = sum(row[position] for row in matrix)
        precision = _ratio(hits, predicted)
        recall = _ratio(hits, support)
        per_class.append(
            ClassScore(
                label,
                precision,
                recall,
                _f1(precision, recall),
                support,
                precision_ci=wilson(hits, predicted) if predicted else None,
                recall_ci=wilson(hits, support) if support else None,
            )
        )

    count = len(resolved)
    p50, p95 = _latency_percentiles(latencies_ms)
    correct = sum(matrix[i][i] for i in range(count))
    intervals = (
        ("accuracy", wilson(correct, len(y_true))),
        *macro_wilson(matrix).items(),
        ("macro_f1", bootstrap_macro_f1(matrix, resamples=resamples)),
    )
    return EvaluationReport(
        labels=resolved,
        samples=len(y_true),
        accuracy=sum(matrix[i][i] for i in range(count)) / len(y_true),
        macro_precision=math.fsum(score.precision for score in per_class) / count,
        macro_recall=math.fsum(score.recall for score in per_class) / count,
        macro_f1=math.fsum(score.f1 for score in per_class) / count,
        per_class=tuple(per_class),
        confusion=tuple(tuple(row) for row in matrix),
        latency_ms_p50=p50,
        latency_ms_p95=p95,
        intervals=tuple(intervals),
    )


def percentile(values: Iterable[float], q: float) -> float:
    """The ``q``-th percentile (0 ≤ q ≤ 100) of ``values`` by linear interpolation between closest ranks.

    With the values sorted as ``x[0] ≤ … ≤ x[n-1]``, the percentile sits at rank ``(n - 1) * q / 100``
    and is interpolated linearly between the two values around it — numpy's default
    ``np.percentile(values, q)`` (``method="linear"``). Raises ValueError for no values, a value that
    is NaN, or ``q`` outside [0, 100].
    """
    ordered = sorted(float(value) for value in values)
    if not ordered:
        raise ValueError("percentile of no values is undefined")
    if any(math.isnan(value) for value in ordered):
        raise ValueError("percentile values must not be NaN")
    if not 0 <= q <= 100:
        raise ValueError(f"q must be between 0 and 100 (got {q!r})")
    rank = (len(ordered) - 1) * q / 100
    lower = math.floor(rank)
    upper = min(lower + 1, len(ordered) - 1)
    fraction = rank - lower
    if fraction == 0:
        return ordered[lower]
    return ordered[lower] + (ordered[upper] - ordered[lower]) * fraction


class EvaluationInputError(ValueError):
    """A labelled set could not be read; ``line`` is the 1-based line of the file the message is about."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.detail = message


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise EvaluationInputError(line, f"not valid UTF-8 (bad byte at offset {error.start})") from None


def read_text_csv(data: bytes | str, *, max_rows: int = 50_000) -> tuple[list[str], list[str]]:
    """Read a labelled text set from CSV and return ``(texts, labels)`` in file order.

    The first non-blank line is a header naming a ``text`` and a ``label`` column, in either order
    (case and surrounding spaces are ignored; other columns are allowed and ignored). ``data`` is
    UTF-8, with or without a byte-order mark, as bytes or already-decoded text. Fields follow RFC 4180
    quoting, so quoted text may hold commas, quotes (doubled) and newlines. Blank lines are skipped.
    Labels are stripped of surrounding spaces; texts are kept as written.

    Raises :class:`EvaluationInputError`, whose ``line`` (and message) names the offending line, for:
    invalid UTF-8, a malformed quoted field, a header without both columns, a row with the wrong
    number of fields, an empty text or label, more than ``max_rows`` data rows, or fewer than two
    distinct labels.
    """
    if max_rows < 1:
        raise ValueError(f"max_rows must be at least 1 (got {max_rows})")
    reader = csv.reader(io.StringIO(_decode(data), newline=""), strict=True)
    texts: list[str] = []
    labels: list[str] = []
    header: list[str] | None = None
    text_at = label_at = 0
    line = 0
    while True:
        line = reader.line_num + 1  # where the next record starts
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise EvaluationInputError(line, f"malformed CSV in the record starting here ({error})") from None
        if not row:
            continue
        if header is None:
            header = [name.strip().lower() for name in row]
            missing = [name for name in (TEXT_COLUMN, LABEL_COLUMN) if name not in header]
            if missing:
                raise EvaluationInputError(
                    line,
                    f"header must name the columns 'text' and 'label' but lacks {' and '.join(map(repr, missing))}"
                    f" (found {row!r})",
                )
            for name in (TEXT_COLUMN, LABEL_COLUMN):
                if header.count(name) > 1:
                    raise EvaluationInputError(line, f"header names the column {name!r} more than once")
            text_at, label_at = header.index(TEXT_COLUMN), header.index(LABEL_COLUMN)
            continue
        if len(row) != len(header):
            hint = "; quote text that contains commas" if len(row) > len(header) else ""
            raise EvaluationInputError(
                line, f"expected {len(header)} fields as in the header but found {len(row)}{hint}"
            )
        if len(texts) >= max_rows:
            raise EvaluationInputError(line, f"too many rows: at most {max_rows} are allowed")
        text, label = row[text_at], row[label_at].strip()
        if not text.strip():
            raise EvaluationInputError(line, "empty text")
        if not label:
            raise EvaluationInputError(line, "empty label")
        texts.append(text)
        labels.append(label)
    if header is None:
        raise EvaluationInputError(1, "no header: expected a first line naming the columns 'text' and 'label'")
    last_line = max(reader.line_num, 1)
    if not texts:
        raise EvaluationInputError(last_line, "no data rows after the header; at least 2 distinct labels are needed")
    distinct = sorted(set(labels))
    if len(distinct) < 2:
        raise EvaluationInputError(
            last_line, f"every row has the label {distinct[0]!r}; at least 2 distinct labels are needed"
        )
    return texts, labels
