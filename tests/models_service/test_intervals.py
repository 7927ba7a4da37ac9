"""The 95 % intervals of measured metrics (models_service.intervals): known values and properties."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models_service.evaluation import evaluate
from models_service.intervals import Interval, bootstrap_macro_f1, macro_scores, macro_wilson, wilson

# -- Wilson against published values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe (1998), "Two-sided confidence intervals for the single proportion", table I (method 3).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # Ten right answers out of ten: the interval reaches down to 72.2 %, not a bare 100 %.
        (10, 10, 0.7225, 1.0),
    ],
)
def test_wilson_matches_published_intervals(successes: int, n: int, low: float, high: float) -> None:
    interval = wilson(successes, n)
    assert interval.method == "wilson"
    assert interval.low == pytest.approx(low, abs=1e-4)
    assert interval.high == pytest.approx(high, abs=1e-4)


@pytest.mark.parametrize(("successes", "n"), [(0, 0), (-1, 5), (6, 5)])
def test_wilson_refuses_impossible_counts(successes: int, n: int) -> None:
    with pytest.raises(ValueError, match="must"):
        wilson(successes, n)


@given(n=st.integers(1, 100_000), data=st.data())
def test_wilson_holds_the_estimate_inside_zero_to_one(n: int, data: st.DataObject) -> None:
    successes = data.draw(st.integers(0, n))
    interval = wilson(successes, n)
    assert 0.0 <= interval.low <= successes / n <= interval.high <= 1.0


@given(p=st.fractions(0, 1), n=st.integers(1, 2000))
def test_wilson_narrows_as_n_grows(p: object, n: int) -> None:
    # The same share measured on ten times the samples gives a narrower interval.
    from fractions import Fraction

    assert isinstance(p, Fraction)
    small, large = wilson(round(p * n), n), wilson(round(p * n) * 10, n * 10)
    assert large.high - large.low < small.high - small.low


# -- confusion matrices ------------------------------------------------------------------------------------------

matrices = st.integers(2, 5).flatmap(
    lambda k: st.lists(st.lists(st.integers(0, 40), min_size=k, max_size=k), min_size=k, max_size=k).filter(
        lambda m: sum(map(sum, m)) > 0
    )
)


@settings(max_examples=60, deadline=None)
@given(matrix=matrices)
def test_macro_intervals_hold_the_estimate_inside_zero_to_one(matrix: list[list[int]]) -> None:
    point: dict[str, float] = {str(key): value for key, value in macro_scores(matrix).items()}
    intervals: dict[str, Interval] = {str(key): value for key, value in macro_wilson(matrix).items()}
    intervals["macro_f1"] = bootstrap_macro_f1(matrix, resamples=300)
    for metric, interval in intervals.items():
        assert 0.0 <= interval.low <= point[metric] + 1e-12, metric
        assert point[metric] - 1e-12 <= interval.high <= 1.0, metric


@settings(max_examples=40, deadline=None)
@given(matrix=matrices)
def test_macro_intervals_narrow_as_the_set_grows(matrix: list[list[int]]) -> None:
    bigger = [[cell * 20 for cell in row] for row in matrix]
    for metric, interval in macro_wilson(matrix).items():
        wide = macro_wilson(bigger)[metric]
        assert wide.high - wide.low <= interval.high - interval.low + 1e-12, metric
    if sum(map(sum, matrix)) < 30:
        return  # on a handful of samples a percentile bootstrap is too coarse to compare widths
    small, large = bootstrap_macro_f1(matrix, resamples=400), bootstrap_macro_f1(bigger, resamples=400)
    assert large.high - large.low <= small.high - small.low + 0.02  # resampling noise, not a trend


@pytest.mark.parametrize(
    "matrix",
    [
        [[30, 0, 0], [0, 0, 0], [0, 0, 0]],  # one class only: the found case
        [[0, 0, 0], [0, 12, 3], [0, 0, 0]],  # the one class is not the first
        [[20, 5, 0, 0], [4, 18, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],  # two of four classes absent
    ],
)
def test_a_class_the_set_lacks_gets_no_invented_examples(matrix: list[list[int]]) -> None:
    """Resamples of a set without a class never contain that class, so a bigger set is never wider."""
    bigger = [[cell * 20 for cell in row] for row in matrix]
    small, large = bootstrap_macro_f1(matrix, resamples=400), bootstrap_macro_f1(bigger, resamples=400)
    assert large.high - large.low < small.high - small.low
    absent = sum(1 for row in matrix if not sum(row))
    # An absent class's F1 is 0 in every resample, so macro F1 can never exceed the share of present classes.
    assert small.high <= (len(matrix) - absent) / len(matrix) + 1e-12


def test_a_perfect_small_set_still_gets_an_honest_width() -> None:
    """Ten right answers out of ten: no figure is reported as a bare 100 %."""
    report = evaluate(["a", "b"] * 5, ["a", "b"] * 5)
    for metric, interval in report.intervals:
        assert interval.high == 1.0, metric
        assert interval.low < 0.9, metric


def test_the_bootstrap_is_deterministic_and_fast_on_ten_thousand_rows() -> None:
    import random

    rng = random.Random(7)
    truth = [rng.choice("abcde") for _ in range(10_000)]
    predicted = [t if rng.random() < 0.8 else rng.choice("abcde") for t in truth]
    started = time.perf_counter()
    first = evaluate(truth, predicted)
    assert time.perf_counter() - started < 2.0
    assert first.intervals == evaluate(truth, predicted).intervals
    f1 = first.interval("macro_f1")
    assert f1 is not None
    assert f1.method == "bootstrap"
    # About ±0.8 points at n = 10,000 and 80 % accuracy.
    assert 0.005 < f1.high - f1.low < 0.03
    accuracy = first.interval("accuracy")
    assert accuracy is not None
    assert math.isclose(accuracy.high - accuracy.low, 2 * 1.96 * math.sqrt(0.84 * 0.16 / 10_000), rel_tol=0.1)


def test_a_class_never_predicted_counts_as_no_evidence() -> None:
    # "c" is never predicted: its precision is 0 by convention, and its interval [0, 1].
    matrix = [[5, 0, 0], [0, 5, 0], [2, 3, 0]]
    precision = macro_wilson(matrix)["macro_precision"]
    a = wilson(5, 7)
    b = wilson(5, 8)
    assert precision.low == pytest.approx((a.low + b.low + 0) / 3)
    assert precision.high == pytest.approx((a.high + b.high + 1) / 3)
