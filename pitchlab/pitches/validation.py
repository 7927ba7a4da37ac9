"""Validation of each canvas unit, with field-level messages (DRF serializers, no persistence)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rest_framework import serializers

from pitchlab.pitches.canvas import (
    ASK_UNITS,
    BUSINESS_STATUSES,
    DECK_THEMES,
    RISK_CATEGORIES,
    RISK_RESPONSES,
    SLIDE_KINDS,
    STORY_FIELDS,
    TARGET_MINUTES,
    TEXT_LIMIT,
)

SHORT = 200
MAX_ROWS = 1000


def text(limit: int = TEXT_LIMIT, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        max_length=limit, allow_blank=True, required=False, default="", trim_whitespace=False, **kwargs
    )


def short(**kwargs: Any) -> serializers.CharField:
    return text(SHORT, **kwargs)


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
    value = serializers.FloatField()
    unit = short()
    source = short()  # type: ignore[assignment]  # where the figure comes from (a field named like Field.source)


class MarketSize(Row):
    value = serializers.FloatField(min_value=0, allow_null=True, required=False, default=None)
    source = short()  # type: ignore[assignment]  # a field named like Field.source
    year = serializers.IntegerField(min_value=1900, max_value=2100, allow_null=True, required=False, default=None)


class Market(Row):
    currency = serializers.CharField(max_length=8, required=False, default="USD")
    growth_rate = serializers.FloatField(allow_null=True, required=False, default=None, min_value=-100, max_value=10000)
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
    x = serializers.FloatField(min_value=0, max_value=10, allow_null=True, required=False, default=None)
    y = serializers.FloatField(min_value=0, max_value=10, allow_null=True, required=False, default=None)
    strengths = text(1000)
    weaknesses = text(1000)


class Competitors(Row):
    x_axis = short()
    y_axis = short()
    items = Competitor(many=True)


class Experiment(Row):
    model = serializers.CharField(max_length=SHORT)
    metric = serializers.CharField(max_length=100)
    value = serializers.FloatField()
    baseline = serializers.FloatField(allow_null=True, required=False, default=None)
    dataset = short()
    samples = serializers.IntegerField(min_value=1, allow_null=True, required=False, default=None)
    date = serializers.DateField(allow_null=True, required=False, default=None)
    measured = serializers.BooleanField(required=False, default=False)
    device = short()
    confusion = serializers.JSONField(required=False, allow_null=True, default=None)

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
        if (
            not isinstance(matrix, list)
            or len(matrix) != len(labels)
            or not all(isinstance(row, list) and len(row) == len(labels) for row in matrix)
            or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for row in matrix for n in row)
        ):
            raise serializers.ValidationError("A confusion matrix needs one row of whole counts per label.")
        return {"labels": labels, "matrix": matrix}


class Example(Row):
    text = text(2000)
    label = short()  # type: ignore[assignment]


class Member(Row):
    name = serializers.CharField(max_length=SHORT)
    role = short()
    bio = text(1000)


class FundUse(Row):
    label = serializers.CharField(max_length=SHORT)  # type: ignore[assignment]
    percent = serializers.FloatField(min_value=0, max_value=100)


class Milestone(Row):
    date = serializers.DateField(allow_null=True, required=False, default=None)
    text = serializers.CharField(max_length=1000)


class BusinessAnswer(Row):
    status = serializers.ChoiceField(choices=BUSINESS_STATUSES)
    evidence = text()


class Risk(Row):
    key = serializers.CharField(max_length=64, allow_blank=True, required=False, default="")
    title = serializers.CharField(max_length=SHORT)
    category = serializers.ChoiceField(choices=RISK_CATEGORIES)
    likelihood = serializers.IntegerField(min_value=1, max_value=5, allow_null=True, required=False, default=None)
    impact = serializers.IntegerField(min_value=1, max_value=5, allow_null=True, required=False, default=None)
    response = serializers.ChoiceField(choices=RISK_RESPONSES, required=False, default="mitigate")
    mitigation = text(2000)
    owner = short()


class DeckSlide(Row):
    kind = serializers.ChoiceField(choices=SLIDE_KINDS)
    title = short()
    notes = text()
    seconds = serializers.IntegerField(min_value=5, max_value=3600, allow_null=True, required=False, default=None)
    hidden = serializers.BooleanField(required=False, default=False)


def _one_slide_per_kind(value: list[dict[str, Any]]) -> None:
    kinds = [row["kind"] for row in value]
    twice = sorted({kind for kind in kinds if kinds.count(kind) > 1})
    if twice:
        raise serializers.ValidationError(f"Each slide appears once; listed more than once: {', '.join(twice)}.")


def rows(child: type[Row]) -> serializers.ListSerializer[Any]:
    return child(many=True, max_length=MAX_ROWS)  # type: ignore[call-arg,return-value]


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


def _unit_field(path: str) -> tuple[serializers.Field[Any, Any, Any, Any], Callable[[Any], None] | None]:
    section, _, name = path.partition(".")
    if section == "story" and name in STORY_FIELDS:
        return text(), None
    if path == "story.target_minutes":
        return serializers.ChoiceField(choices=TARGET_MINUTES), None
    if path == "data.traction":
        return rows(TractionRow), _unique_periods
    if path == "data.market":
        return Market(), None
    if path == "data.competitors":
        return Competitors(), None
    if path == "data.experiments":
        return rows(Experiment), None
    if path == "demo.script":
        return text(), None
    if path == "demo.examples":
        return rows(Example), None
    if path == "team":
        return rows(Member), None
    if section == "ask" and name in ASK_UNITS:
        if name == "amount":
            return serializers.FloatField(min_value=0, allow_null=True), None
        if name == "currency":
            return serializers.CharField(max_length=8), None
        if name == "use_of_funds":
            return rows(FundUse), _sums_to_100
        return rows(Milestone), None
    if section == "business" and name:
        return BusinessAnswer(), None
    if path == "risks":
        return rows(Risk), None
    if path == "deck.slides":
        return rows(DeckSlide), _one_slide_per_kind
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
