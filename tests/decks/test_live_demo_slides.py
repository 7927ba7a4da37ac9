"""Live demo slides: one per chosen demo model, where the demo slide was, under the founder's demo settings."""

from __future__ import annotations

import copy
import json
from typing import Any

from pitchlab.decks.slides import MIN_SECONDS, build_deck
from pitchlab.demos.stage import StageExample, StageModel
from pitchlab.pitches.canvas import empty_canvas
from pitchlab.pitches.documents import TEMPLATES_DIR


def template(name: str = "support_nlp") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TEMPLATES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    data.setdefault("deck", {"slides": [], "theme": "light", "notes_appendix": False})
    return data


def model(model_id: int, name: str, kind: str = "text") -> StageModel:
    return StageModel(
        id=model_id,
        name=name,
        kind=kind,
        labels=("billing", "bug_report"),
        ready=True,
        metrics={"accuracy": 0.9},
        examples=(StageExample(model_id * 10, "Charged twice", "", "billing", None),),
    )


ROUTER, TRIAGE, SPAM = model(7, "Ticket router"), model(3, "X-ray triage", "image"), model(5, "Spam filter")


def demo_slides(deck: Any) -> list[Any]:
    return [slide for slide in deck.slides if slide.kind == "demo"]


def test_each_model_gets_its_own_slide_in_the_demo_position_in_the_order_given() -> None:
    deck = build_deck(name="Lumen", canvas=template(), demos=[ROUTER, TRIAGE, SPAM])
    kinds = [slide.kind for slide in deck.slides]
    assert kinds == ["title", "problem", "story", "solution", "demo", "demo", "demo", "traction", *kinds[8:]]
    assert len(kinds) == 16
    assert [slide.number for slide in deck.slides] == list(range(1, 17))
    slides = demo_slides(deck)
    assert [slide.title for slide in slides] == [
        "Live demo: Ticket router",
        "Live demo: X-ray triage",
        "Live demo: Spam filter",
    ]
    live = [[block for block in slide.blocks if block.kind == "live_demo"] for slide in slides]
    assert [[block.demo for block in blocks] for blocks in live] == [[ROUTER], [TRIAGE], [SPAM]]


def test_the_demo_script_is_a_text_block_on_the_first_model_slide_only() -> None:
    canvas = template()
    first, second = demo_slides(build_deck(name="Lumen", canvas=canvas, demos=[ROUTER, TRIAGE]))
    texts = [block for block in first.blocks if block.kind == "text"]
    assert [block.text for block in texts] == [canvas["demo"]["script"].strip()]
    assert [block.kind for block in second.blocks] == ["live_demo"]
    assert not any(block.kind == "demo" for slide in (first, second) for block in slide.blocks)


def test_without_demo_models_the_canvas_demo_slide_is_unchanged() -> None:
    canvas = template()
    assert build_deck(name="Lumen", canvas=canvas, demos=()) == build_deck(name="Lumen", canvas=canvas)
    (slide,) = demo_slides(build_deck(name="Lumen", canvas=canvas))
    assert slide.title == "Live demo"
    assert [block.kind for block in slide.blocks] == ["demo"]
    assert slide.blocks[0].demo is None


def test_a_hidden_demo_kind_hides_every_model_slide_and_numbers_stay_consecutive() -> None:
    canvas = template()
    canvas["deck"]["slides"] = [{"kind": "demo", "hidden": True}]
    deck = build_deck(name="Lumen", canvas=canvas, demos=[ROUTER, TRIAGE])
    assert demo_slides(deck) == []
    assert deck.hidden == ("demo",)
    assert [slide.number for slide in deck.slides] == list(range(1, len(deck.slides) + 1)) == list(range(1, 14))
    assert not any(block.kind == "live_demo" for slide in deck.slides for block in slide.blocks)


def test_the_founders_order_moves_all_model_slides_together() -> None:
    canvas = template()
    canvas["deck"]["slides"] = [{"kind": "demo"}, {"kind": "title"}]
    deck = build_deck(name="Lumen", canvas=canvas, demos=[ROUTER, TRIAGE])
    assert [slide.kind for slide in deck.slides[:3]] == ["demo", "demo", "title"]
    assert [slide.number for slide in deck.slides[:3]] == [1, 2, 3]


def test_planned_seconds_still_add_up_and_grow_with_a_second_model() -> None:
    canvas = template()
    one = build_deck(name="Lumen", canvas=canvas, demos=[ROUTER])
    two = build_deck(name="Lumen", canvas=canvas, demos=[ROUTER, TRIAGE])
    assert one.planned_seconds == two.planned_seconds == two.target_seconds
    one_total = sum(slide.seconds for slide in demo_slides(one))
    two_total = sum(slide.seconds for slide in demo_slides(two))
    assert two_total > one_total  # a second model earns more stage time ...
    assert two_total < 2 * one_total  # ... but does not double the demo at the cost of the rest
    first, second = demo_slides(two)
    assert abs(first.seconds - second.seconds) <= 1
    plain = {slide.kind: slide.seconds for slide in build_deck(name="Lumen", canvas=canvas).slides}
    assert one_total == plain["demo"]  # one model: exactly the old demo slide's time


def test_the_founders_demo_seconds_title_and_notes_apply_to_the_group() -> None:
    canvas = template()
    canvas["deck"]["slides"] = [{"kind": "demo", "seconds": 91, "title": "See it work", "notes": "Breathe first."}]
    deck = build_deck(name="Lumen", canvas=canvas, demos=[ROUTER, TRIAGE])
    first, second = demo_slides(deck)
    assert (first.seconds, second.seconds) == (46, 45)
    assert (first.title, second.title) == ("See it work: Ticket router", "See it work: X-ray triage")
    assert first.notes == "Breathe first."
    assert "X-ray triage" in second.notes
    assert "Breathe first." not in second.notes
    assert deck.planned_seconds == deck.target_seconds


def test_many_models_in_a_short_pitch_still_get_the_minimum_each() -> None:
    canvas = template()
    canvas["story"]["target_minutes"] = 1
    models = [model(i, f"Model {i}") for i in range(1, 9)]
    slides = demo_slides(build_deck(name="Lumen", canvas=canvas, demos=models))
    assert len(slides) == 8
    assert min(slide.seconds for slide in slides) >= MIN_SECONDS


def test_models_fill_the_demo_slide_of_a_canvas_without_a_script_or_examples() -> None:
    deck = build_deck(name="Empty Co", canvas=empty_canvas(), demos=[ROUTER])
    assert [slide.kind for slide in deck.slides] == ["title", "demo"]
    assert "demo" not in {omitted.kind for omitted in deck.omitted}
    assert [block.kind for block in deck.slides[1].blocks] == ["live_demo"]
    assert deck.slides[1].notes  # a cue for the presenter even without a script


def test_chinese_titles_use_the_chinese_label_and_colon() -> None:
    canvas = copy.deepcopy(template())
    canvas["demo"]["script"] = "先展示账单工单。"
    first, second = demo_slides(build_deck(name="明镜", canvas=canvas, lang="zh", demos=[ROUTER, TRIAGE]))
    assert (first.title, second.title) == ("现场演示：Ticket router", "现场演示：X-ray triage")
    assert [block.heading for block in first.blocks if block.kind == "text"] == ["演示脚本"]
    assert first.notes == "先展示账单工单。"
