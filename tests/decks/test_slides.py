"""The slide builder: sequence, left-out slides, the founder's order, hiding, titles and seconds."""

import json
from typing import Any

import pytest

from pitchlab.core.numbers import compact, finite
from pitchlab.decks.slides import SEQUENCE, build_deck, deck_settings
from pitchlab.pitches.canvas import SLIDE_KINDS, empty_canvas
from pitchlab.pitches.documents import TEMPLATES_DIR


def template(name: str = "support_nlp") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TEMPLATES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    data.setdefault("deck", {"slides": [], "theme": "light", "notes_appendix": False})
    return data


def test_a_full_pitch_gives_the_default_sequence_of_fourteen_slides() -> None:
    deck = build_deck(name="Lumen Support AI", canvas=template())
    assert [s.kind for s in deck.slides] == list(SLIDE_KINDS)
    assert [s.number for s in deck.slides] == list(range(1, 15))
    assert deck.slides[0].title == "Lumen Support AI"
    assert deck.omitted == ()
    charts = {b.chart for s in deck.slides for b in s.blocks if b.kind == "chart"}
    assert charts == {"traction", "market", "competition", "performance", "risks", "funds"}


def test_planned_seconds_share_the_target_length_by_weight() -> None:
    canvas = template()
    deck = build_deck(name="X", canvas=canvas)
    assert deck.target_seconds == canvas["story"]["target_minutes"] * 60
    assert deck.planned_seconds == deck.target_seconds
    seconds = {s.kind: s.seconds for s in deck.slides}
    assert seconds["demo"] > seconds["traction"] > seconds["team"]  # weights 1.5 > 1.0 > 0.6
    assert seconds["title"] < seconds["team"]


def test_an_overridden_duration_is_kept_and_the_rest_shares_what_is_left() -> None:
    canvas = template()
    canvas["deck"]["slides"] = [{"kind": "demo", "seconds": 90}]
    deck = build_deck(name="X", canvas=canvas)
    seconds = {s.kind: s.seconds for s in deck.slides}
    assert seconds["demo"] == 90
    assert deck.planned_seconds == deck.target_seconds


def test_the_founders_order_hidden_slides_titles_and_notes_are_applied() -> None:
    canvas = template()
    canvas["deck"]["slides"] = [
        {"kind": "demo", "title": "See it work", "notes": "Ask the room for a ticket."},
        {"kind": "title"},
        {"kind": "risks", "hidden": True},
    ]
    deck = build_deck(name="X", canvas=canvas)
    kinds = [s.kind for s in deck.slides]
    assert kinds[:2] == ["demo", "title"]
    assert "risks" not in kinds
    assert deck.hidden == ("risks",)
    assert len(kinds) == 13  # every other kind still comes, in the default order
    demo = deck.slides[0]
    assert (demo.title, demo.notes) == ("See it work", "Ask the room for a ticket.")


def test_slides_with_nothing_to_show_are_left_out_with_the_reason() -> None:
    deck = build_deck(name="Empty Co", canvas=empty_canvas())
    assert [s.kind for s in deck.slides] == ["title"]
    omitted = {o.kind: o for o in deck.omitted}
    assert set(omitted) == set(SLIDE_KINDS) - {"title"}
    assert "traction" in omitted["traction"].reason_en.lower()
    assert omitted["market"].reason_zh.startswith("未显示")


def test_chinese_titles_and_default_notes_come_from_the_canvas() -> None:
    canvas = template()
    canvas["story"]["customer_pain"] = "客服主管每周花三成时间分拣工单。"
    deck = build_deck(name="X", canvas=canvas, lang="zh")
    problem = next(s for s in deck.slides if s.kind == "problem")
    assert problem.title == "问题"
    assert problem.notes == "客服主管每周花三成时间分拣工单。"


def test_settings_complete_missing_kinds_and_ignore_unknown_ones() -> None:
    canvas = empty_canvas()
    canvas["deck"] = {"slides": [{"kind": "ask"}, {"kind": "nonsense"}], "theme": "neon"}
    settings = deck_settings(canvas)
    assert [row["kind"] for row in settings["slides"]][:2] == ["ask", "title"]
    assert len(settings["slides"]) == len(SEQUENCE)
    assert settings["theme"] == "light"


@pytest.mark.parametrize("minutes", [3, 10])
def test_every_slide_gets_at_least_five_seconds(minutes: int) -> None:
    canvas = template()
    canvas["story"]["target_minutes"] = minutes
    assert min(s.seconds for s in build_deck(name="X", canvas=canvas).slides) >= 5


@pytest.mark.parametrize(
    ("value", "shown"),
    [(1e15, "1,000T"), (-1e15, "-1,000T"), (999_999, "1M"), (1.2e12, "1.2T"), (1e18, "1e+18"), (10**400, "")],
)
def test_every_amount_the_canvas_allows_shows_with_a_suffix(value: float, shown: str) -> None:
    """The largest amount the bounds allow reads 1,000T on a slide; only figures stored before them go scientific."""
    figure = finite(value)
    assert ("" if figure is None else compact(figure)) == shown
