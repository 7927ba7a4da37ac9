"""Validation of each canvas unit, with field-level messages (DRF serializers, no persistence)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

if TYPE_CHECKING:
    from pitchlab.pitches.models import Pitch

from pitchlab.pitches import bounds
from pitchlab.pitches.bounds import (
    ASK_AMOUNT,
    COMPETITOR_SCORE,
    CONFUSION_COUNT,
    DATE_MAX,
    DATE_MIN,
    EXPERIMENT_LATENCY,
    EXPERIMENT_SCORE,
    EXPERIMENT_VALUE,
    FUND_PERCENT,
    MARKET_GROWTH_RATE,
    MARKET_SIZE,
    RISK_LEVEL,
    ROW_CAPS,
    SAMPLES,
    SMALLEST,
    TRACTION_VALUE,
    YEAR,
    Bound,
    format_bound,
)
from pitchlab.pitches.canvas import (
    ASK_UNITS,
    BUSINESS_STATUSES,
    DECK_THEMES,
    RISK_CATEGORIES,
    RISK_RESPONSES,
    STORY_FIELDS,
    TARGET_MINUTES,
    TEXT_LIMIT,
)
from pitchlab.pitches.metrics import CI_METHODS

SHORT = 200
MAX_ROWS = 1000
"""The most rows of a list the bounds do not name (``bounds.ROW_CAPS`` names the canvas' lists)."""


def text(limit: int = TEXT_LIMIT, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=limit, allow_blank=True, required=False, default="", trim_whitespace=False, **kwargs
    )


def short(**kwargs: Any) -> serializers.CharField:
    return text(SHORT, **kwargs)


def out_of_bound(bound: Bound) -> str:
    """The message for a number outside ``bound``, naming the bound."""
    low, high = format_bound(bound.low), format_bound(bound.high)
    if bound.whole:
        return _("Must be a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
    return _("Must be a number from %(low)s to %(high)s, and 0 or at least %(smallest)s in size.") % {
        "low": low,
        "high": high,
        "smallest": format_bound(SMALLEST),
    }


# Lazy: built at import, read in the language of each request; DRF fills in {max_length}.
ROW_CAP_MESSAGES: dict[str, Any] = {"max_length": gettext_lazy("At most {max_length} rows; this list has more.")}


_NUMERIC_TEXT = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


class Number(serializers.Field[Any, Any, Any, Any]):
    """A number within ``bound``: a JSON number or a numeric string, never true/false, NaN or an infinity.

    The input is compared with the bound exactly (a 400-digit integer or string is not first rounded to a float,
    nor does it overflow one), and the message names the bound.
    """

    def __init__(self, bound: Bound, **kwargs: Any) -> None:
        self.bound = bound
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int | float:
        exact: int | float | Decimal
        not_a_number = serializers.ValidationError(f"{_('A valid number is required.')} {out_of_bound(self.bound)}")
        if isinstance(data, bool) or not isinstance(data, int | float | str | Decimal):
            raise not_a_number
        if isinstance(data, str):
            if not _NUMERIC_TEXT.fullmatch(data):
                raise not_a_number
            try:
                exact = Decimal(data.strip())
            except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
                raise not_a_number from None
        else:
            exact = data
        if not self.bound.holds(exact) or (self.bound.whole and not _is_whole(exact)):
            raise serializers.ValidationError(out_of_bound(self.bound))
        if self.bound.whole:
            return int(exact)  # stored as a JSON integer
        return float(exact) + 0.0  # + 0.0 turns -0.0 into 0.0

    def to_representation(self, value: Any) -> Any:
        return value


def _is_whole(value: int | float | Decimal) -> bool:
    return isinstance(value, int) or value == int(value)


def number(bound: Bound, **kwargs: Any) -> Number:
    return Number(bound, **kwargs)


def optional(bound: Bound) -> Number:
    return Number(bound, allow_null=True, required=False, default=None)


class BoundedDate(serializers.DateField):
    """A date from 1900-01-01 to 2100-12-31."""

    def to_internal_value(self, value: Any) -> datetime.date:
        result: datetime.date = super().to_internal_value(value)
        if not DATE_MIN <= result.isoformat() <= DATE_MAX:
            raise serializers.ValidationError(
                _("Must be a date from %(low)s to %(high)s.") % {"low": DATE_MIN, "high": DATE_MAX}
            )
        return result


def date() -> BoundedDate:
    return BoundedDate(allow_null=True, required=False, default=None)


class Row(serializers.Serializer[Any]):
    """A serializer of one JSON object; ``to_internal_value`` gives plain JSON values back."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        value = super().to_internal_value(data)
        return {key: _plain(item) for key, item in value.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class TractionRow(Row):
    period = serializers.CharField(max_length=100)
    metric = serializers.CharField(max_length=100)
    value = number(TRACTION_VALUE)
    unit = short()
    source = short()  # type: ignore[assignment]  # where the figure comes from (a field named like Field.source)


class MarketSize(Row):
    value = optional(MARKET_SIZE)
    source = short()  # type: ignore[assignment]  # a field named like Field.source
    year = optional(YEAR)


class Market(Row):
    currency = serializers.CharField(max_length=8, required=False, default="USD")
    growth_rate = optional(MARKET_GROWTH_RATE)
    tam = MarketSize()
    sam = MarketSize()
    som = MarketSize()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        sizes = [attrs[k].get("value") for k in ("tam", "sam", "som")]
        for (outer, inner), (a, b) in zip(
            (("TAM", "SAM"), ("SAM", "SOM")), ((sizes[0], sizes[1]), (sizes[1], sizes[2])), strict=True
        ):
            if a is not None and b is not None and b > a:
                raise serializers.ValidationError(f"{inner} cannot be larger than {outer}.")
        return attrs


class Competitor(Row):
    name = serializers.CharField(max_length=SHORT)
    us = serializers.BooleanField(required=False, default=False)  # the founder's own company, marked on the chart
    x = optional(COMPETITOR_SCORE)
    y = optional(COMPETITOR_SCORE)
    strengths = text(1000)
    weaknesses = text(1000)


class Competitors(Row):
    x_axis = short()
    y_axis = short()
    items = Competitor(  # type: ignore[call-arg]
        many=True, max_length=ROW_CAPS["data.competitors"], error_messages=ROW_CAP_MESSAGES
    )


class Experiment(Row):
    model = serializers.CharField(max_length=SHORT)
    metric = serializers.CharField(max_length=100)
    value = number(EXPERIMENT_VALUE)
    baseline = optional(EXPERIMENT_VALUE)
    dataset = short()
    samples = optional(SAMPLES)
    date = date()
    measured = serializers.BooleanField(required=False, default=False)
    device = short()
    confusion = serializers.JSONField(required=False, allow_null=True, default=None)
    # The 95 % interval of the value, how it was computed, the value's unit, and what it was measured on
    # (pitches/metrics.py). No defaults: a row without them (every row stored before they existed) stays as it is.
    ci_low = Number(EXPERIMENT_VALUE, allow_null=True, required=False)
    ci_high = Number(EXPERIMENT_VALUE, allow_null=True, required=False)
    ci_method = serializers.ChoiceField(choices=["", *CI_METHODS], required=False)
    unit = serializers.CharField(max_length=16, allow_blank=True, required=False)
    sample_model = serializers.BooleanField(required=False)  # measured on a PitchLab sample model
    overlap = Number(CONFUSION_COUNT, allow_null=True, required=False)  # evaluation inputs also in training

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # A figure past every bound (1e308) gets the message of its metric's own bound, as one inside would.
            bound = _metric_bound(data.get("metric") if isinstance(data, dict) else None)
            if bound is not None and isinstance(exc.detail, dict):
                for name in ("value", "baseline"):
                    if name in exc.detail:
                        exc.detail[name] = [serializers.ErrorDetail(out_of_bound(bound), code="invalid")]
            raise

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Scores (accuracy, precision, recall, F1, AUC) lie in 0–1 or 0–100 %; times are never negative."""
        bound = _metric_bound(attrs.get("metric"))
        if bound is not None:
            errors = {
                name: [out_of_bound(bound)]
                for name in ("value", "baseline")
                if attrs.get(name) is not None and not bound.holds(attrs[name])
            }
            if errors:
                raise serializers.ValidationError(errors)
        self._check_interval(attrs, bound)
        return attrs

    @staticmethod
    def _check_interval(attrs: dict[str, Any], bound: Bound | None) -> None:
        """Both ends or neither; low <= value <= high; a score's interval on its value's scale (0–1 or 0–100)."""
        low, high, value = attrs.get("ci_low"), attrs.get("ci_high"), attrs.get("value")
        if low is None and high is None:
            return
        if low is None or high is None:
            missing = "ci_low" if low is None else "ci_high"
            raise serializers.ValidationError({missing: [_("Give both ends of the interval, or neither.")]})
        if bound is not None:
            top = 1 if bound is EXPERIMENT_SCORE and value is not None and value <= 1 else bound.high
            scale = Bound(bound.low, top)
            errors = {name: [out_of_bound(scale)] for name in ("ci_low", "ci_high") if not scale.holds(attrs[name])}
            if errors:
                raise serializers.ValidationError(errors)
        if value is not None and not low <= value <= high:
            raise serializers.ValidationError({"ci_low": [_("The interval must hold the value: low ≤ value ≤ high.")]})

    def validate_confusion(self, value: Any) -> Any:
        """{"labels": [...], "matrix": [[counts]]}: one row and one column per label, counts of 0 or more."""
        if value is None:
            return None
        labels = value.get("labels") if isinstance(value, dict) else None
        matrix = value.get("matrix") if isinstance(value, dict) else None
        if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
            raise serializers.ValidationError("A confusion matrix needs its list of labels.")
        if len(labels) > 50:
            raise serializers.ValidationError("A confusion matrix has at most 50 labels.")
        if any(len(label) > SHORT for label in labels):
            raise serializers.ValidationError(
                _("A label of a confusion matrix has at most %(limit)s characters.") % {"limit": SHORT}
            )
        if (
            not isinstance(matrix, list)
            or len(matrix) != len(labels)
            or not all(isinstance(row, list) and len(row) == len(labels) for row in matrix)
            or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for row in matrix for n in row)
        ):
            raise serializers.ValidationError("A confusion matrix needs one row of whole counts per label.")
        if not all(CONFUSION_COUNT.holds(n) for row in matrix for n in row):
            raise serializers.ValidationError(
                _("Each count of a confusion matrix must be a whole number from %(low)s to %(high)s.")
                % {"low": format_bound(CONFUSION_COUNT.low), "high": format_bound(CONFUSION_COUNT.high)}
            )
        return {"labels": labels, "matrix": matrix}


def _metric_bound(metric: Any) -> Bound | None:
    """The bound of an experiment's figures that its metric implies, beyond the general one: scores, times."""
    if not isinstance(metric, str):
        return None
    if bounds.is_score_metric(metric):
        return EXPERIMENT_SCORE
    if bounds.is_latency_metric(metric):
        return EXPERIMENT_LATENCY
    return None


class Example(Row):
    text = text(2000)
    label = short()  # type: ignore[assignment]


class Member(Row):
    name = serializers.CharField(max_length=SHORT)
    role = short()
    bio = text(1000)


class FundUse(Row):
    label = serializers.CharField(max_length=SHORT)  # type: ignore[assignment]
    percent = number(FUND_PERCENT)


class Milestone(Row):
    date = date()
    text = serializers.CharField(max_length=1000)


class BusinessAnswer(Row):
    status = serializers.ChoiceField(choices=BUSINESS_STATUSES)
    evidence = text()


class Risk(Row):
    key = serializers.CharField(max_length=64, allow_blank=True, required=False, default="")
    title = serializers.CharField(max_length=SHORT)
    category = serializers.ChoiceField(choices=RISK_CATEGORIES)
    likelihood = optional(RISK_LEVEL)
    impact = optional(RISK_LEVEL)
    response = serializers.ChoiceField(choices=RISK_RESPONSES, required=False, default="mitigate")
    mitigation = text(2000)
    owner = short()


def rows(child: type[Row], path: str) -> serializers.ListSerializer[Any]:
    cap = ROW_CAPS.get(path, MAX_ROWS)
    return child(many=True, max_length=cap, error_messages=ROW_CAP_MESSAGES)  # type: ignore[call-arg,return-value]


def _unique_periods(value: list[dict[str, Any]]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for index, row in enumerate(value, start=1):
        key = (row["period"].strip(), row["metric"].strip())
        if key in seen:
            raise serializers.ValidationError(
                f"Row {index}: period '{key[0]}' for metric '{key[1]}' is already on row {seen[key]}."
            )
        seen[key] = index


def _sums_to_100(value: list[dict[str, Any]]) -> None:
    if value and abs(sum(row["percent"] for row in value) - 100) > 0.01:
        total = sum(row["percent"] for row in value)
        raise serializers.ValidationError(f"The percentages add up to {total:g}, not 100.")


UnitValidator = tuple[serializers.Field[Any, Any, Any, Any], Callable[[Any], None] | None]
_REGISTERED_UNITS: dict[str, Callable[[], UnitValidator]] = {}


def register_unit_validator(path: str, factory: Callable[[], UnitValidator]) -> None:
    """Let another app validate the canvas unit at ``path`` (called in its ``AppConfig.ready``).

    The brand kit's rules (font catalogue, contrast against the deck themes) belong to decks, which builds on
    pitches: registering keeps pitches from importing it.
    """
    _REGISTERED_UNITS[path] = factory


# A check of a unit's cleaned value against the pitch it is written to (its pictures, its members): what a unit
# validator cannot know, as it sees the value alone. Called with the pitch (locked for the write), the cleaned new
# value and the unit's current value; raises serializers.ValidationError with field-level detail.
PitchUnitCheck = Callable[["Pitch", Any, Any], None]
_PITCH_CHECKS: dict[str, PitchUnitCheck] = {}


def register_pitch_unit_check(path: str, check: PitchUnitCheck) -> None:
    """Let another app check the unit at ``path`` against the pitch it is written to (in its ``AppConfig.ready``).

    The brand kit's logo ids must name the pitch's own logos: pictures are an app above pitches, so decks, which
    owns the brand kit, registers that check here (one check per unit).
    """
    _PITCH_CHECKS[path] = check


def check_unit_for_pitch(pitch: Pitch, path: str, cleaned: Any, current: Any) -> None:
    """Run the check registered for ``path`` (if any) on a value ``validate_unit`` has cleaned."""
    check = _PITCH_CHECKS.get(path)
    if check is not None:
        check(pitch, cleaned, current)


def _unit_field(path: str) -> UnitValidator:
    if path in _REGISTERED_UNITS:
        return _REGISTERED_UNITS[path]()
    section, _, name = path.partition(".")
    if section == "story" and name in STORY_FIELDS:
        return text(), None
    if path == "story.target_minutes":
        return serializers.ChoiceField(choices=TARGET_MINUTES), None
    if path == "data.traction":
        return rows(TractionRow, "data.traction"), _unique_periods
    if path == "data.market":
        return Market(), None
    if path == "data.competitors":
        return Competitors(), None
    if path == "data.experiments":
        return rows(Experiment, "data.experiments"), None
    if path == "demo.script":
        return text(), None
    if path == "demo.examples":
        return rows(Example, "demo.examples"), None
    if path == "team":
        return rows(Member, "team"), None
    if section == "ask" and name in ASK_UNITS:
        if name == "amount":
            return Number(ASK_AMOUNT, allow_null=True), None
        if name == "currency":
            return serializers.CharField(max_length=8), None
        if name == "use_of_funds":
            return rows(FundUse, path), _sums_to_100
        return rows(Milestone, path), None
    if section == "business" and name:
        return BusinessAnswer(), None
    if path == "risks":
        return rows(Risk, "risks"), None
    if path == "deck.theme":
        return serializers.ChoiceField(choices=DECK_THEMES), None
    if path == "deck.notes_appendix":
        return serializers.BooleanField(), None
    raise KeyError(path)


def validate_unit(path: str, value: Any) -> Any:
    """The cleaned value of the unit at ``path``, or serializers.ValidationError with field-level detail."""
    field, extra_check = _unit_field(path)
    cleaned = _plain(field.run_validation(value))
    if extra_check is not None:
        extra_check(cleaned)
    if path == "story.target_minutes":
        cleaned = int(cleaned)
    return cleaned
