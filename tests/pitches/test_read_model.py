"""The canvas read model: a validated document parses once into typed, immutable data, and never fails to."""

from __future__ import annotations

import copy
import dataclasses
import operator
from functools import partial
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pitchlab.pitches.bounds import CONFUSION_COUNT, EXPERIMENT_SCORE
from pitchlab.pitches.canvas import BUSINESS_STATUSES, empty_canvas, set_unit
from pitchlab.pitches.metrics import format_figure, format_interval, is_small_sample
from pitchlab.pitches.read_model import (
    Ask,
    BusinessItem,
    CanvasView,
    Confusion,
    Data,
    DeckSettings,
    Experiment,
    Market,
    SlideSetting,
    Story,
    as_view,
    canvas_view,
)
from pitchlab.pitches.validation import validate_unit
from tests.decks.test_render_property import canvases, names, numbers, texts, wholes


def validated(path: str, value: Any, canvas: dict[str, Any] | None = None) -> dict[str, Any]:
    return set_unit(canvas or empty_canvas(), path, validate_unit(path, value))


def test_a_blank_canvas_reads_as_blank_with_its_stated_defaults() -> None:
    assert canvas_view(empty_canvas()) == CanvasView(
        story=Story(target_minutes=5), data=Data(market=Market(currency="USD")), ask=Ask(currency="USD")
    )


def test_a_document_missing_whole_sections_reads_as_its_readers_assumed() -> None:
    """Revisions written before a section existed: "" for text, None for figures, no rows, the light theme."""
    view = canvas_view({})
    assert view == CanvasView()
    assert (view.story.purpose, view.story.target_minutes, view.ask.amount) == ("", None, None)
    assert view.deck == DeckSettings(slides=(), theme="light", notes_appendix=False)
    old = empty_canvas()
    del old["deck"]
    del old["data"]["market"]["tam"]
    assert canvas_view(old).data.market.tam.value is None
    assert canvas_view(old).deck.theme == "light"


def test_figures_keep_their_stored_type_and_a_missing_one_stays_none() -> None:
    canvas = validated("data.traction", [{"period": "2024-01", "metric": "users", "value": "1200", "unit": "u"}])
    canvas = validated("ask.amount", 2_500_000, canvas)
    canvas = validated("data.market", {"tam": {"value": 1e9, "year": 2025}, "sam": {}, "som": {}}, canvas)
    view = canvas_view(canvas)
    (row,) = view.data.traction
    assert (row.period, row.metric, row.value, row.unit, row.source) == ("2024-01", "users", 1200.0, "u", "")
    assert view.ask.amount == 2_500_000
    assert view.data.market.tam.value == 1e9
    assert view.data.market.tam.year == 2025
    assert isinstance(view.data.market.tam.year, int)
    assert view.data.market.sam.value is None
    assert view.data.market.growth_rate is None


def test_an_experiment_keeps_provenance_interval_and_confusion_matrix() -> None:
    row = {
        "model": "router",
        "metric": "accuracy",
        "value": 0.8,
        "baseline": 0.7,
        "dataset": "support-500",
        "samples": 20,
        "date": "2025-03-01",
        "measured": True,
        "device": "cpu",
        "confusion": {"labels": ["billing", "bug"], "matrix": [[8, 2], [2, 8]]},
        "ci_low": 0.58,
        "ci_high": 0.92,
        "ci_method": "wilson",
        "unit": "",
        "sample_model": True,
        "overlap": 3,
    }
    (experiment,) = canvas_view(validated("data.experiments", [row])).data.experiments
    assert experiment == Experiment(
        model="router",
        metric="accuracy",
        value=0.8,
        baseline=0.7,
        dataset="support-500",
        samples=20,
        date="2025-03-01",
        measured=True,
        device="cpu",
        confusion=Confusion(labels=("billing", "bug"), matrix=((8, 2), (2, 8))),
        ci_low=0.58,
        ci_high=0.92,
        ci_method="wilson",
        unit="",
        sample_model=True,
        overlap=3,
    )
    # The metrics formatters read the view's figures exactly as they read the stored row.
    for check in (format_figure, format_interval, is_small_sample):
        assert check(experiment.figures()) == check(row), check


def test_an_experiment_stored_before_intervals_existed_has_none() -> None:
    row = {"model": "m", "metric": "F1", "value": 0.9}
    (experiment,) = canvas_view(validated("data.experiments", [row])).data.experiments
    assert (experiment.ci_low, experiment.ci_high, experiment.ci_method, experiment.overlap) == (None, None, "", None)
    assert (experiment.measured, experiment.sample_model, experiment.confusion) == (False, False, None)
    assert dict(experiment.figures()) == {"metric": "F1", "unit": "", "value": 0.9}


def test_deck_settings_keep_the_founders_order_and_an_unknown_theme_reads_light() -> None:
    canvas = validated(
        "deck.slides",
        [{"kind": "ask", "title": "Money", "seconds": 40}, {"kind": "title", "hidden": True}],
    )
    view = canvas_view(canvas)
    assert view.deck.slides == (
        SlideSetting(kind="ask", title="Money", notes="", seconds=40, hidden=False),
        SlideSetting(kind="title", title="", notes="", seconds=None, hidden=True),
    )
    canvas["deck"]["theme"] = "neon"  # a theme that no longer exists
    assert canvas_view(canvas).deck.theme == "light"


def test_business_answers_keep_catalogue_order_and_are_found_by_key() -> None:
    canvas = validated("business.pricing", {"status": "done", "evidence": "$49 per seat"})
    canvas = validated("business.channels", {"status": "partial"}, canvas)
    view = canvas_view(canvas)
    assert [item.key for item in view.business] == ["pricing", "channels"]
    assert view.business_item("pricing") == BusinessItem(key="pricing", status="done", evidence="$49 per seat")
    assert view.business_item("moat") is None


def test_the_view_is_immutable_and_hashable() -> None:
    view = canvas_view(validated("team", [{"name": "Ada", "role": "CEO"}]))
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.team[0].name = "Eve"  # type: ignore[misc]
    assert isinstance(view.team, tuple)
    assert hash(view) == hash(canvas_view(validated("team", [{"name": "Ada", "role": "CEO"}])))


def test_as_view_passes_a_view_through_and_parses_a_document() -> None:
    view = canvas_view(empty_canvas())
    assert as_view(view) is view
    assert as_view(empty_canvas()) == view


# --- every validated canvas parses ---------------------------------------------------------------------------------


@st.composite
def richer_canvases(draw: st.DrawFn) -> dict[str, Any]:
    """The deck tests' validated canvases, plus what they leave out: experiments' provenance and intervals,
    competitors' own-company flag and notes, business answers, team bios, risk owners (each validated)."""
    canvas = draw(canvases())
    extra_experiments = []
    for _ in range(draw(st.integers(0, 3))):
        low = draw(numbers(EXPERIMENT_SCORE).filter(lambda v: 0 <= v <= 1))
        high = draw(numbers(EXPERIMENT_SCORE).filter(partial(operator.le, low)).filter(lambda v: v <= 1))
        extra_experiments.append(
            {
                "model": draw(names(200)),
                "metric": "accuracy",
                "value": low,
                "ci_low": low,
                "ci_high": high,
                "ci_method": draw(st.sampled_from(["", "wilson", "bootstrap"])),
                "unit": draw(st.sampled_from(["", "%"])),
                "measured": draw(st.booleans()),
                "sample_model": draw(st.booleans()),
                "device": draw(texts(200)),
                "overlap": draw(st.one_of(st.none(), wholes(CONFUSION_COUNT))),
            }
        )
    canvas = validated("data.experiments", canvas["data"]["experiments"] + extra_experiments, canvas)
    items = [
        {**item, "us": draw(st.booleans()), "strengths": draw(texts(1000)), "weaknesses": draw(texts(1000))}
        for item in canvas["data"]["competitors"]["items"]
    ]
    canvas = validated("data.competitors", {**canvas["data"]["competitors"], "items": items}, canvas)
    for key in draw(st.lists(st.sampled_from(["pricing", "channels", "gross_margin", "data_rights"]), unique=True)):
        answer = {"status": draw(st.sampled_from(BUSINESS_STATUSES)), "evidence": draw(texts(5000))}
        canvas = validated(f"business.{key}", answer, canvas)
    canvas = validated("team", [{**m, "bio": draw(texts(1000))} for m in canvas["team"]], canvas)
    return validated("risks", [{**r, "owner": draw(texts(200))} for r in canvas["risks"]], canvas)


@given(document=richer_canvases())
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
def test_every_validated_canvas_parses_the_same_from_a_copy_and_leaves_the_document_alone(
    document: dict[str, Any],
) -> None:
    before = copy.deepcopy(document)
    view = canvas_view(document)
    assert view == canvas_view(copy.deepcopy(document))
    assert document == before  # the parse reads, never writes
    # Nothing the validator accepted is lost: every row of every list is in the view, every figure as stored.
    assert len(view.data.traction) == len(document["data"]["traction"])
    assert [row.value for row in view.data.traction] == [row["value"] for row in document["data"]["traction"]]
    assert len(view.data.experiments) == len(document["data"]["experiments"])
    assert [e.ci_low for e in view.data.experiments] == [r.get("ci_low") for r in document["data"]["experiments"]]
    assert [c.us for c in view.data.competitors.items] == [c["us"] for c in document["data"]["competitors"]["items"]]
    assert [r.likelihood for r in view.risks] == [r["likelihood"] for r in document["risks"]]
    assert [item.key for item in view.business] == list(document["business"])
    assert [s.kind for s in view.deck.slides] == [s["kind"] for s in document["deck"]["slides"]]
    assert view.deck.theme == document["deck"]["theme"]
    assert view.ask.amount == document["ask"]["amount"]
    hash(view)
