"""95 % confidence intervals of classification metrics (pure; numpy only for the bootstrap).

Which interval each figure gets, and why (docs/metrics.md says the same for founders):

* **Accuracy — Wilson score interval.** Accuracy is one proportion: ``correct`` successes out of ``n``
  independent samples, which is exactly what the Wilson interval is for. Unlike the normal ("Wald") interval
  it stays inside [0, 1] and does not collapse to zero width at 0 % or 100 % (10/10 correct gives 72.2–100 %).
* **Macro precision and macro recall — Wilson per class, averaged.** A macro average is the unweighted mean
  of per-class proportions whose denominators differ, so it is not one proportion of n trials: a Wilson interval
  on it — or on the pooled ("micro") counts, which estimate a different quantity — would be wrong. Each class's
  precision (hits out of predicted as the class) and recall (hits out of truly the class) gets its own Wilson
  interval, and the macro interval is the mean of their low ends to the mean of their high ends. The classes'
  samples are disjoint, so this is conservative (at least 95 %: it is exact only if every class erred together).
  A class never predicted (precision 0 by convention) or never present (recall 0) gives no evidence and counts
  as [0, 1].
* **Macro F1 — percentile bootstrap.** F1 is a harmonic mean of two ratios, with no closed-form interval. The
  (true, predicted) pairs are resampled with replacement ``BOOTSTRAP_RESAMPLES`` times with the fixed seed
  ``BOOTSTRAP_SEED`` (the same set always gives the same interval), macro F1 is recomputed on each resample, and
  the interval runs from the 2.5th to the 97.5th percentile. A plain bootstrap cannot imagine an error the set
  did not contain (ten right answers out of ten resample to 100 %, 100 %), so the resamples are drawn from the
  observed cell shares smoothed by half a count per true class (``SMOOTHING``, spread over the class's row): a
  perfect small set then gets an honest width, and on a large set the smoothing vanishes. A resample of n
  pairs is a multinomial draw over the confusion matrix's cells, which is how it is drawn here: the cost
  depends on the number of labels, not on n (10,000 rows take a few milliseconds).
* **Per-class precision and recall — Wilson**, as each is one proportion.

A percentile bootstrap interval can, for a skewed statistic, sit slightly to one side of the figure measured on
the whole set; the interval reported is widened to include it, so it always holds the point estimate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "BOOTSTRAP_RESAMPLES",
    "BOOTSTRAP_SEED",
    "SMOOTHING",
    "Z95",
    "Interval",
    "bootstrap_macro_f1",
    "macro_scores",
    "macro_wilson",
    "wilson",
]

Z95 = 1.959963984540054
"""The standard normal quantile of 0.975: a two-sided 95 % interval."""
BOOTSTRAP_RESAMPLES = 2000
"""Resamples per bootstrap interval: the 2.5th/97.5th percentiles of 2,000 resamples move by well under a point
between seeds, which is finer than the figures are shown."""
BOOTSTRAP_SEED = 20_240_601
"""The bootstrap's fixed seed: the same labelled set always gives the same interval."""
SMOOTHING = 0.5
"""Pseudo-counts added to each true class's row of the confusion matrix before resampling (spread evenly over
its cells), so that a set with no errors does not resample to a zero-width interval."""

Method = Literal["wilson", "bootstrap"]
MacroMetric = Literal["macro_precision", "macro_recall", "macro_f1"]


@dataclass(frozen=True)
class Interval:
    """A two-sided 95 % interval ``[low, high]`` of a figure in [0, 1], and how it was computed."""

    low: float
    high: float
    method: Method

    def as_json(self) -> dict[str, float | str]:
        """The interval as a plain dict: ``{"low", "high", "method"}``."""
        return {"low": self.low, "high": self.high, "method": self.method}


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def wilson(successes: int, n: int, *, z: float = Z95) -> Interval:
    """The Wilson score interval of ``successes`` out of ``n`` trials (95 % by default).

    ``centre ± half`` with ``centre = (p + z²/2n) / (1 + z²/n)`` and
    ``half = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n)``, where ``p = successes / n``. At p = 0 the low end is
    exactly 0, at p = 1 the high end exactly 1. Raises ValueError when n < 1 or successes lies outside 0..n.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1 (got {n})")
    if not 0 <= successes <= n:
        raise ValueError(f"successes must lie in 0..{n} (got {successes})")
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    low = 0.0 if successes == 0 else _clamp(centre - half)
    high = 1.0 if successes == n else _clamp(centre + half)
    # Rounding can leave p a hair outside [low, high] when the interval is very narrow; it never should be.
    return Interval(min(low, p), max(high, p), "wilson")


def macro_scores(confusion: Sequence[Sequence[int]]) -> dict[MacroMetric, float]:
    """Macro precision, recall and F1 of a confusion matrix (rows true, columns predicted), sklearn's
    ``zero_division=0`` conventions (as in :func:`models_service.evaluation.evaluate`)."""
    count = len(confusion)
    precisions: list[float] = []
    recalls: list[float] = []
    f1s: list[float] = []
    for i in range(count):
        hits = confusion[i][i]
        predicted = sum(confusion[r][i] for r in range(count))
        support = sum(confusion[i])
        precision = hits / predicted if predicted else 0.0
        recall = hits / support if support else 0.0
        precisions.append(precision)
        recalls.append(recall)
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return {
        "macro_precision": math.fsum(precisions) / count,
        "macro_recall": math.fsum(recalls) / count,
        "macro_f1": math.fsum(f1s) / count,
    }


def macro_wilson(confusion: Sequence[Sequence[int]]) -> dict[MacroMetric, Interval]:
    """Intervals of macro precision and macro recall: the mean of the per-class Wilson intervals' ends.

    A class never predicted (no precision to measure) or never present (no recall to measure) counts as [0, 1].
    Raises ValueError for an empty or non-square matrix.
    """
    count = _check_square(confusion)
    ends: dict[MacroMetric, list[tuple[float, float]]] = {"macro_precision": [], "macro_recall": []}
    for i in range(count):
        hits = confusion[i][i]
        for metric, total in (
            ("macro_precision", sum(confusion[r][i] for r in range(count))),
            ("macro_recall", sum(confusion[i])),
        ):
            interval = wilson(hits, total) if total else Interval(0.0, 1.0, "wilson")
            ends[metric].append((interval.low, interval.high))  # type: ignore[index]
    return {
        metric: Interval(
            _clamp(math.fsum(low for low, _ in pairs) / count),
            _clamp(math.fsum(high for _, high in pairs) / count),
            "wilson",
        )
        for metric, pairs in ends.items()
    }


def _check_square(confusion: Sequence[Sequence[int]]) -> int:
    count = len(confusion)
    if count == 0 or any(len(row) != count for row in confusion):
        raise ValueError("the confusion matrix must be square and not empty")
    if sum(map(sum, confusion)) < 1:
        raise ValueError("the confusion matrix holds no samples")
    return count


def bootstrap_macro_f1(
    confusion: Sequence[Sequence[int]],
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> Interval:
    """Percentile-bootstrap 95 % interval of the macro F1 of a confusion matrix (rows true, columns predicted).

    Each resample draws n = (sum of the matrix) (true, predicted) pairs with replacement — a multinomial draw
    over the cells, with the observed shares smoothed by ``SMOOTHING`` counts per true class the set contains
    (a class with no examples gets none, so no resample invents one) — and recomputes
    macro F1; the interval is their 2.5th to 97.5th percentile, widened to include the F1 of the whole set.
    Deterministic for a given ``seed``. Raises ValueError for an empty or non-square matrix, or resamples < 1.
    """
    import numpy as np

    count = _check_square(confusion)
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1 (got {resamples})")
    matrix = np.asarray(confusion, dtype=np.float64)
    n = int(matrix.sum())
    # A true class the set does not contain gets no pseudo-counts: resamples never invent its examples.
    present = matrix.sum(axis=1, keepdims=True) > 0
    smoothed = (matrix + np.where(present, SMOOTHING / count, 0.0)).reshape(-1)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n, smoothed / smoothed.sum(), size=resamples)
    draws = draws.reshape(resamples, count, count).astype(np.float64)
    hits = np.diagonal(draws, axis1=1, axis2=2)
    predicted = draws.sum(axis=1)
    support = draws.sum(axis=2)
    precision = np.divide(hits, predicted, out=np.zeros_like(hits), where=predicted > 0)
    recall = np.divide(hits, support, out=np.zeros_like(hits), where=support > 0)
    total = precision + recall
    f1 = np.divide(2 * precision * recall, total, out=np.zeros_like(total), where=total > 0).mean(axis=1)
    low, high = (float(value) for value in np.percentile(f1, [2.5, 97.5]))
    estimate = macro_scores(confusion)["macro_f1"]
    return Interval(_clamp(min(low, estimate)), _clamp(max(high, estimate)), "bootstrap")
