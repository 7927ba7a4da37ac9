"""Growth figures for a traction series: rates, compound growth, trend fits and labelled projections."""

import json
import math

import pytest

from pitchlab.pitches.growth import (
    Point,
    analyse,
    annualise,
    compound_growth,
    exponential_fit,
    growth_rates,
    linear_fit,
    next_period,
    project,
)


def months(values: list[float]) -> list[Point]:
    return [Point(period=f"2024-{month:02d}", value=value) for month, value in enumerate(values, start=1)]


# --- known series -----------------------------------------------------------------------------------------------


def test_exact_linear_series_gives_its_slope_and_intercept_and_is_fitted_linearly() -> None:
    report = analyse(months([10 + 5 * x for x in range(6)]))

    assert report.linear_fit.slope == pytest.approx(5)
    assert report.linear_fit.intercept == pytest.approx(10)
    assert report.linear_fit.rmse == pytest.approx(0, abs=1e-9)
    assert report.linear_fit.r_squared == pytest.approx(1)
    assert report.exponential_fit is not None
    assert report.exponential_fit.rmse > 1
    assert report.chosen_fit == "linear"
    assert [p.value for p in report.projections] == pytest.approx([40, 45, 50])


def test_exact_exponential_series_gives_log_slope_and_compound_growth_and_is_fitted_exponentially() -> None:
    n = 6
    report = analyse(months([100 * 1.2**x for x in range(n)]), periods_ahead=3)

    assert report.exponential_fit is not None
    assert report.exponential_fit.slope == pytest.approx(math.log(1.2))
    assert report.exponential_fit.intercept == pytest.approx(math.log(100))
    assert report.exponential_fit.growth_per_period == pytest.approx(0.2)
    assert report.exponential_fit.rmse == pytest.approx(0, abs=1e-9)
    assert report.compound_growth_per_period == pytest.approx(0.2)
    assert report.chosen_fit == "exponential"
    assert report.chosen is report.exponential_fit
    assert [p.index for p in report.projections] == [6, 7, 8]
    assert [p.value for p in report.projections] == pytest.approx([100 * 1.2**x for x in (n, n + 1, n + 2)])
    assert all(p.fit == "exponential" for p in report.projections)


def test_noisy_series_matches_hand_computed_least_squares() -> None:
    ys = [1.0, 3.0, 2.0, 5.0, 4.0]
    # x = 0..4, x̄ = 2, ȳ = 3; Sxx = 4+1+0+1+4 = 10; Sxy = (-2)(-2)+(-1)(0)+0+(1)(2)+(2)(1) = 8
    slope, intercept = 0.8, 1.4  # 8/10, 3 - 0.8·2
    fitted = [1.4, 2.2, 3.0, 3.8, 4.6]
    residuals = [y - f for y, f in zip(ys, fitted, strict=True)]
    assert residuals == pytest.approx([-0.4, 0.8, -1.0, 1.2, -0.6])
    expected_rmse = math.sqrt(sum(r * r for r in residuals) / len(ys))  # sqrt(3.6 / 5) = sqrt(0.72)
    expected_r_squared = 1 - 3.6 / 10  # SS_tot = 4+0+1+4+1 = 10

    fit = linear_fit(months(ys))

    assert fit.kind == "linear"
    assert fit.slope == pytest.approx(slope)
    assert fit.intercept == pytest.approx(intercept)
    assert fit.rmse == pytest.approx(expected_rmse)
    assert fit.rmse == pytest.approx(math.sqrt(0.72))
    assert fit.r_squared == pytest.approx(expected_r_squared)


def test_exponential_fit_rmse_is_measured_in_original_units() -> None:
    ys = [1.0, 3.0, 2.0, 5.0, 4.0]
    logs = [math.log(y) for y in ys]
    log_mean = sum(logs) / 5
    b = sum((x - 2) * (ly - log_mean) for x, ly in enumerate(logs)) / 10
    a = log_mean - 2 * b
    expected_rmse = math.sqrt(sum((y - math.exp(a + b * x)) ** 2 for x, y in enumerate(ys)) / 5)

    fit = exponential_fit(months(ys))

    assert fit is not None
    assert fit.slope == pytest.approx(b)
    assert fit.intercept == pytest.approx(a)
    assert fit.rmse == pytest.approx(expected_rmse)


def test_noisy_series_chooses_the_fit_with_lower_rmse() -> None:
    report = analyse(months([1.0, 3.0, 2.0, 5.0, 4.0]))

    assert report.exponential_fit is not None
    assert report.linear_fit.rmse < report.exponential_fit.rmse
    assert report.chosen_fit == "linear"
    assert [p.value for p in report.projections] == pytest.approx([5.4, 6.2, 7.0])


def test_exponential_fit_is_absent_when_a_value_is_not_positive() -> None:
    report = analyse(months([0.0, 5.0, 10.0]))

    assert exponential_fit(months([0.0, 5.0, 10.0])) is None
    assert report.exponential_fit is None
    assert report.chosen_fit == "linear"


def test_two_points_fit_exactly_and_tie_goes_to_linear() -> None:
    report = analyse(months([100.0, 150.0]))

    assert report.linear_fit.rmse == pytest.approx(0, abs=1e-9)
    assert report.exponential_fit is not None
    assert report.exponential_fit.rmse == pytest.approx(0, abs=1e-9)
    assert report.chosen_fit == "linear"


def test_constant_series_has_no_r_squared() -> None:
    fit = linear_fit(months([7.0, 7.0, 7.0]))

    assert fit.slope == pytest.approx(0)
    assert fit.r_squared is None


# --- growth rates -----------------------------------------------------------------------------------------------


def test_period_over_period_growth_rates() -> None:
    rates = growth_rates(months([100.0, 110.0, 99.0]))

    assert [(r.previous_period, r.period) for r in rates] == [("2024-01", "2024-02"), ("2024-02", "2024-03")]
    assert [r.rate for r in rates] == pytest.approx([0.1, -0.1])


def test_growth_from_zero_or_negative_previous_value_is_none() -> None:
    rates = growth_rates(months([0.0, 10.0, -5.0, 5.0, 10.0]))

    assert rates[0].rate is None  # from 0
    assert rates[1].rate == pytest.approx(-1.5)  # from 10 to -5
    assert rates[2].rate is None  # from -5
    assert rates[3].rate == pytest.approx(1.0)


def test_compound_growth_per_period() -> None:
    assert compound_growth(months([100.0, 50.0, 400.0])) == pytest.approx(1.0)  # ×4 over 2 periods = ×2 each
    assert compound_growth(months([100.0, 120.0, 0.0])) == pytest.approx(-1.0)


def test_compound_growth_is_none_when_undefined() -> None:
    assert compound_growth(months([0.0, 10.0])) is None
    assert compound_growth(months([-1.0, 10.0])) is None
    assert compound_growth(months([10.0, -1.0])) is None
    assert compound_growth(months([10.0])) is None


def test_annualise_monthly_rate() -> None:
    assert annualise(0.01, 12) == pytest.approx(0.1268, abs=5e-5)
    assert annualise(0.01, 12) == pytest.approx(1.01**12 - 1)
    assert annualise(0.0, 12) == 0


@pytest.mark.parametrize(("rate", "periods_per_year"), [(0.01, 0), (-1.5, 12), (math.nan, 12)])
def test_annualise_rejects_impossible_input(rate: float, periods_per_year: int) -> None:
    with pytest.raises(ValueError, match=r"periods_per_year|growth rate"):
        annualise(rate, periods_per_year)


# --- bad input --------------------------------------------------------------------------------------------------


def test_duplicate_period_is_rejected_by_name() -> None:
    points = [Point("2024-02", 1.0), Point("2024-03", 2.0), Point("2024-03", 3.0)]

    with pytest.raises(ValueError, match=r"duplicate period '2024-03'"):
        analyse(points)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_value_is_rejected_naming_its_period(bad: float) -> None:
    points = [Point("2024-01", 1.0), Point("2024-02", bad), Point("2024-03", 3.0)]

    with pytest.raises(ValueError, match=r"'2024-02' must be a finite number"):
        analyse(points)


def test_single_point_is_rejected_as_too_few_to_fit() -> None:
    with pytest.raises(ValueError, match=r"At least 2 data points .* got 1"):
        analyse([Point("2024-01", 10.0)])
    with pytest.raises(ValueError, match=r"At least 2 data points"):
        linear_fit([Point("2024-01", 10.0)])


@pytest.mark.parametrize("periods_ahead", [0, -1, 121])
def test_periods_ahead_out_of_range_is_rejected(periods_ahead: int) -> None:
    with pytest.raises(ValueError, match=r"periods_ahead must be .* 1 to 120"):
        analyse(months([1.0, 2.0, 3.0]), periods_ahead=periods_ahead)
    with pytest.raises(ValueError, match=r"periods_ahead must be .* 1 to 120"):
        project(months([1.0, 2.0, 3.0]), periods_ahead)


def test_plain_pairs_are_accepted_as_points() -> None:
    report = analyse([("Q1", 10.0), ("Q2", 15), ("Q3", 20.0)])

    assert report.points == (Point("Q1", 10.0), Point("Q2", 15.0), Point("Q3", 20.0))


# --- projections ------------------------------------------------------------------------------------------------


def test_projections_are_flagged_and_labelled_with_rmse() -> None:
    projections = project(months([1.0, 3.0, 2.0, 5.0, 4.0]), 2)

    assert len(projections) == 2
    assert all(p.projected for p in projections)
    assert [p.label for p in projections] == ["projection (RMSE 0.849)"] * 2
    assert [p.period for p in projections] == ["2024-06", "2024-07"]


def test_projection_label_shows_large_rmse_with_one_decimal() -> None:
    ys = [1000.0, 3000.0, 2000.0, 5000.0, 4000.0]  # the noisy series ×1000: RMSE = 1000·sqrt(0.72) ≈ 848.5

    projections = project(months(ys), 1)

    assert projections[0].label == "projection (RMSE 848.5)"


def test_projection_reaches_up_to_120_periods() -> None:
    projections = project(months([10.0, 15.0, 20.0]), 120)

    assert len(projections) == 120
    assert projections[-1].index == 122
    assert projections[-1].value == pytest.approx(10 + 5 * 122)


# --- JSON -------------------------------------------------------------------------------------------------------


def test_report_as_json_is_plain_and_serialisable() -> None:
    report = analyse(months([0.0, 10.0, 12.0]), periods_ahead=2)

    data = report.as_json()
    round_tripped = json.loads(json.dumps(data, allow_nan=False))

    assert round_tripped == data
    assert data["chosen_fit"] == "linear"
    assert data["exponential_fit"] is None
    assert data["growth_rates"][0] == {"period": "2024-02", "previous_period": "2024-01", "rate": None}
    assert data["linear_fit"]["slope"] == pytest.approx(6.0)
    assert data["projections"][0]["projected"] is True
    assert data["projections"][0]["label"].startswith("projection (RMSE ")


@pytest.mark.parametrize(
    ("last", "step", "expected"),
    [
        ("2024-11", 1, "2024-12"),
        ("2024-11", 3, "2025-02"),
        ("2025-Q4", 1, "2026-Q1"),
        ("2025 q2", 2, "2025-Q4"),
        ("2025", 2, "2027"),
        ("week 7", 1, "week 7 +1"),
    ],
)
def test_projected_periods_continue_the_founders_labels(last: str, step: int, expected: str) -> None:
    assert next_period(last, step) == expected
