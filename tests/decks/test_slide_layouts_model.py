"""The slide model's layouts, overrides and custom slides (pure): the default layout chosen from the content, the
founder's choice among the kind's layouts, generated texts overridden by slot, custom slides in the founder's order,
where each text on a slide is edited, and the ``deck.slides`` rules that refuse what the model cannot draw."""

import io
import json
from typing import Any

import pytest
from pypdf import PdfReader
from rest_framework import serializers

from pitchlab.decks.deck_pictures import DeckPicture, choose
from pitchlab.decks.pdf import render_pdf
from pitchlab.decks.slides import (
    ALL_LAYOUTS,
    KINDS,
    Slide,
    build_deck,
    custom_pictures,
    deck_settings,
    layout_choices,
    override_slots,
)
from pitchlab.pictures.portable import pictures_remapped
from pitchlab.pitches.canvas import CUSTOM_SLIDE, SLIDE_KINDS
from pitchlab.pitches.documents import TEMPLATES_DIR
from pitchlab.pitches.validation import validate_unit


def template(name: str = "support_nlp") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TEMPLATES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    data.setdefault("deck", {"slides": [], "theme": "light", "notes_appendix": False})
    return data


def picture(pk: int, role: str = "screenshot") -> DeckPicture:
    return DeckPicture(id=pk, role=role, alt=f"picture {pk}", width=1600, height=900, url=f"/p/{pk}")


def slide(canvas: dict[str, Any], key: str, **kwargs: Any) -> Slide:
    return next(s for s in build_deck(name="Lumen", canvas=canvas, **kwargs).slides if s.key == key)


def with_rows(canvas: dict[str, Any], *rows: dict[str, Any]) -> dict[str, Any]:
    canvas["deck"]["slides"] = list(rows)
    return canvas


def custom(id_: str = "c1", **fields: Any) -> dict[str, Any]:
    return {"kind": CUSTOM_SLIDE, "id": id_, **fields}


# --- the default layout, chosen from the content -------------------------------------------------------------------


@pytest.mark.parametrize(("people", "layout"), [(1, "columns"), (2, "columns"), (3, "columns"), (4, "people")])
def test_a_small_team_stands_in_columns_and_a_larger_one_in_the_grid(people: int, layout: str) -> None:
    canvas = template()
    canvas["team"] = [{"name": f"Person {n}", "role": "CTO", "bio": "Built things."} for n in range(people)]
    assert slide(canvas, "team").layout == layout


def test_a_problem_with_a_market_figure_is_a_big_number_and_without_one_a_statement() -> None:
    canvas = template()
    assert slide(canvas, "problem").layout == "big_number"
    canvas["data"]["market"]["sam"]["value"] = None
    canvas["data"]["market"]["tam"]["value"] = None
    assert slide(canvas, "problem").layout == "statement"


@pytest.mark.parametrize(("shots", "layout"), [(0, "text"), (1, "text_picture"), (3, "gallery")])
def test_the_solution_takes_its_layout_from_its_screenshots(shots: int, layout: str) -> None:
    pictures = choose([picture(n) for n in range(1, shots + 1)])
    assert slide(template(), "solution", pictures=pictures).layout == layout


@pytest.mark.parametrize(
    ("fields", "layout"),
    [
        ({"picture": 7}, "picture_full"),
        ({"picture": 7, "text": "Our factory in Shenzhen."}, "text_picture"),
        ({"text": "We never lose a customer's edit."}, "quote"),
        ({"text": "x " * 200}, "text"),
        ({"bullets": [f"point {n}" for n in range(7)]}, "columns"),
        ({"bullets": ["one", "two"]}, "text"),
        ({}, "text"),
    ],
)
def test_a_custom_slide_takes_its_layout_from_what_it_holds(fields: dict[str, Any], layout: str) -> None:
    canvas = with_rows(template(), custom(**fields))
    assert slide(canvas, "custom-c1", pictures=choose([picture(7)])).layout == layout


def test_every_layout_a_kind_offers_is_one_the_renderers_know() -> None:
    for kind in (*SLIDE_KINDS, CUSTOM_SLIDE):
        choices = layout_choices(kind)
        assert choices, kind
        assert set(choices) <= set(ALL_LAYOUTS)
    for kind, entry in KINDS.items():
        assert layout_choices(kind)[0] == entry.layout  # the kind's own layout first


# --- the founder's layout --------------------------------------------------------------------------------------------


def test_a_chosen_layout_wins_over_the_content_and_is_marked_chosen() -> None:
    canvas = with_rows(template(), {"kind": "team", "layout": "text"})
    team = slide(canvas, "team")
    assert (team.layout, team.chosen) == ("text", True)
    assert team.layouts == layout_choices("team")
    assert not slide(template(), "team").chosen


def test_a_stored_layout_the_kind_no_longer_offers_reads_as_automatic() -> None:
    canvas = with_rows(template(), {"kind": "traction", "layout": "people"})
    traction = slide(canvas, "traction")
    assert (traction.layout, traction.chosen) == ("chart", False)


# --- overrides of generated texts ------------------------------------------------------------------------------------


def test_an_override_replaces_a_generated_heading_and_is_edited_as_the_override() -> None:
    canvas = with_rows(template(), {"kind": "story", "overrides": {"heading.origin": "How it began"}})
    story = slide(canvas, "story")
    origin = story.blocks[0]
    assert origin.heading == "How it began"
    heading = origin.source("heading")
    assert heading is not None
    assert (heading.unit, heading.pointer, heading.generated) == (
        "deck.slides",
        "story/overrides/heading.origin",
        False,
    )
    conflict = story.blocks[1].source("heading")
    assert conflict is not None
    assert conflict.generated
    assert story.blocks[1].heading == "What stands in the way"


def test_an_override_of_a_metrics_label_replaces_the_label_only() -> None:
    canvas = with_rows(template(), {"kind": "problem", "overrides": {"label.figure": "Clinics that need it"}})
    figure = next(b for b in slide(canvas, "problem").blocks if b.kind == "metrics")
    assert figure.rows[0][0] == "Clinics that need it"
    assert figure.rows[0][1]  # the amount is still the canvas' own


def test_canvas_texts_are_edited_where_they_live() -> None:
    deck = build_deck(name="Lumen", canvas=template())
    by_key = {s.key: s for s in deck.slides}
    origin = by_key["story"].blocks[0].source("text")
    assert origin is not None
    assert (origin.unit, origin.pointer, origin.generated) == ("story.origin", "", False)
    bio = next(b for b in by_key["team"].blocks if b.kind == "people").source("person.1.bio")
    assert bio is not None
    assert (bio.unit, bio.pointer) == ("team", "1/bio")
    title = by_key["market"].source("title")
    assert title is not None
    assert (title.pointer, title.generated) == ("market/title", True)
    notes = by_key["market"].source("notes")
    assert notes is not None
    assert notes.pointer == "market/notes"


# --- custom slides ---------------------------------------------------------------------------------------------------


def test_custom_slides_stand_where_the_founder_put_them_with_their_text_bullets_and_picture() -> None:
    rows = [
        {"kind": "title"},
        custom("why", title="Why us", text="Ten years in clinics.", bullets=["Fast", "Safe"], picture=7),
        {"kind": "problem"},
        custom("end", title="Thank you"),
    ]
    deck = build_deck(name="Lumen", canvas=with_rows(template(), *rows), pictures=choose([picture(7)]))
    keys = [s.key for s in deck.slides]
    assert keys[:4] == ["title", "custom-why", "problem", "custom-end"]
    why = deck.slides[1]
    assert (why.kind, why.title, why.row) == (CUSTOM_SLIDE, "Why us", "custom-why")
    assert [b.kind for b in why.blocks] == ["text", "bullets", "picture"]
    assert why.blocks[1].items == ("Fast", "Safe")
    item = why.blocks[1].source("item.1")
    assert item is not None
    assert item.pointer == "custom-why/bullets/1"
    assert why.blocks[2].pictures[0].id == 7
    assert deck.slides[3].blocks == ()  # a title alone: a section divider, shown
    assert deck.planned_seconds == deck.target_seconds  # custom slides share the minutes


def test_a_custom_slide_whose_picture_was_deleted_shows_without_it_and_a_hidden_one_is_left_out() -> None:
    rows = [custom("a", title="A", picture=99), custom("b", title="B", hidden=True)]
    deck = build_deck(name="Lumen", canvas=with_rows(template(), *rows), pictures=choose([picture(7)]))
    a = next(s for s in deck.slides if s.key == "custom-a")
    assert [b.kind for b in a.blocks] == []
    assert "custom-b" in deck.hidden
    assert "custom-b" not in [s.key for s in deck.slides]
    assert custom_pictures(with_rows(template(), *rows)) == {99}  # a hidden slide's picture is not placed


def test_key_points_on_a_kinds_slide_follow_its_content_under_an_overridable_heading() -> None:
    canvas = with_rows(template(), {"kind": "traction", "bullets": ["3× in a year"], "overrides": {}})
    traction = slide(canvas, "traction")
    points = traction.blocks[-1]
    assert (points.kind, points.heading, points.items) == ("bullets", "Key points", ("3× in a year",))
    assert points.slot == "heading.points"


def test_settings_list_every_kind_once_and_every_custom_slide_with_every_key() -> None:
    canvas = with_rows(template(), custom("x", title="X", layout="quote"), {"kind": "ask", "layout": "big_number"})
    rows = deck_settings(canvas)["slides"]
    assert [r["kind"] for r in rows][:2] == [CUSTOM_SLIDE, "ask"]
    assert len(rows) == len(SLIDE_KINDS) + 1
    assert rows[0] == {
        "kind": CUSTOM_SLIDE,
        "title": "X",
        "notes": "",
        "seconds": None,
        "hidden": False,
        "layout": "quote",
        "overrides": {},
        "bullets": [],
        "id": "x",
        "text": "",
        "picture": None,
    }
    assert rows[1]["layout"] == "big_number"
    assert "id" not in rows[1]


# --- the deck.slides rules -------------------------------------------------------------------------------------------


def refusal(value: list[dict[str, Any]]) -> str:
    with pytest.raises(serializers.ValidationError) as caught:
        validate_unit("deck.slides", value)
    return json.dumps(caught.value.detail)


def test_a_layout_a_kind_does_not_have_is_refused_naming_the_ones_it_has() -> None:
    message = refusal([{"kind": "team", "layout": "picture_full"}])
    assert "picture_full" in message
    for choice in layout_choices("team"):
        assert choice in message
    assert validate_unit("deck.slides", [{"kind": "team", "layout": "columns"}])[0]["layout"] == "columns"


def test_an_unknown_override_slot_is_refused_naming_the_slots() -> None:
    message = refusal([{"kind": "story", "overrides": {"heading.nope": "x"}}])
    assert "heading.nope" in message
    assert "heading.origin" in message
    assert set(override_slots("story")) >= {"heading.origin", "heading.points"}


def test_a_blank_override_is_dropped_as_back_to_generated() -> None:
    cleaned = validate_unit("deck.slides", [{"kind": "story", "overrides": {"heading.origin": "  "}}])
    assert cleaned[0]["overrides"] == {}


@pytest.mark.parametrize(
    "rows",
    [
        [custom("a"), custom("a")],  # the same custom slide twice
        [{"kind": CUSTOM_SLIDE, "title": "no id"}],
        [custom("Bad Id!")],
        [{"kind": "story", "text": "only custom slides have their own text"}],
        [{"kind": "story"}, {"kind": "story"}],
        [custom("a", bullets=["x"] * 13)],
        [custom("a", layout="chart")],
    ],
)
def test_rows_the_model_cannot_draw_are_refused(rows: list[dict[str, Any]]) -> None:
    refusal(rows)


def test_an_imported_or_duplicated_pitch_renames_its_custom_slides_pictures() -> None:
    canvas = with_rows(template(), custom("a", picture=7), custom("b", picture=8), {"kind": "story"})
    changes = pictures_remapped(canvas, {7: 70})
    pictures = [row.get("picture") for row in changes["deck.slides"]]
    assert pictures == [70, None, None]
    assert pictures_remapped(with_rows(template(), {"kind": "story"}), {7: 70}) == {}


@pytest.mark.parametrize("layout", ["chart", "chart_takeaways", "columns"])
def test_the_pdf_shows_key_points_under_their_heading_as_the_web_deck_does(layout: str) -> None:
    canvas = with_rows(
        template(), {"kind": "traction", "layout": layout, "bullets": ["Doubled in Q3"], "overrides": {}}
    )
    deck = build_deck(name="Lumen", canvas=canvas)
    traction = next(s for s in deck.slides if s.key == "traction")
    pages = ["title", *(s.key for s in deck.slides if s.key != "title")]  # the cover is always page 1
    page = pages.index("traction")
    text = PdfReader(io.BytesIO(render_pdf(deck, charts={}))).pages[page].extract_text()
    assert traction.blocks[-1].heading == "Key points"
    assert "Key points" in text
    assert "Doubled in Q3" in text


def test_the_ask_set_as_a_big_number_shows_the_amount_as_its_figure() -> None:
    canvas = template()
    plain = slide(canvas, "ask")
    assert "metrics" not in [b.kind for b in plain.blocks]  # the donut says the amount
    big = slide(with_rows(canvas, {"kind": "ask", "layout": "big_number"}), "ask")
    assert big.layout == "big_number"
    figure = next(b for b in big.blocks if b.kind == "metrics")
    assert figure.rows[0][0] == "Raising"
    assert "chart" in [b.kind for b in big.blocks]
