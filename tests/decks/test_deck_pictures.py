"""Which of a pitch's pictures the slides place, and where (pure: the slide model, no renderer)."""

import json
from typing import Any

import pytest

from pitchlab.decks.deck_pictures import MAX_SCREENSHOTS, DeckPicture, choose, match_headshots
from pitchlab.decks.slides import build_deck
from pitchlab.pitches.documents import TEMPLATES_DIR


def picture(id: int, role: str, alt: str = "", width: int = 1600, height: int = 1000) -> DeckPicture:
    return DeckPicture(id=id, role=role, alt=alt, width=width, height=height, url=f"/p/{id}/?v=abc")


def template(name: str = "support_nlp") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TEMPLATES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return data


def test_the_brand_logo_wins_when_it_names_one_of_the_pitch_logos() -> None:
    old, new = picture(1, "logo"), picture(2, "logo")
    assert choose([old, new], logo=1).logo == old
    assert choose([old, new]).logo == new  # not chosen: the newest logo uploaded


@pytest.mark.parametrize("chosen", [99, 3])  # deleted since; a screenshot's id
def test_a_logo_id_that_names_no_logo_reads_as_not_chosen(chosen: int) -> None:
    logo, shot = picture(1, "logo"), picture(3, "screenshot")
    assert choose([logo, shot], logo=chosen).logo == logo
    assert choose([shot], logo=chosen).logo is None


def test_the_dark_logo_is_drawn_on_dark_backgrounds_and_the_logo_on_light_ones() -> None:
    logo, dark = picture(1, "logo"), picture(2, "logo_dark")
    both = choose([logo, dark])
    assert (both.logo_for(dark=False), both.logo_for(dark=True)) == (logo, dark)
    only_light = choose([logo])
    assert only_light.logo_for(dark=True) == logo  # no dark variant: the logo everywhere
    only_dark = choose([dark])
    assert only_dark.logo_for(dark=False) == dark


def test_at_most_four_screenshots_in_upload_order_and_the_newest_cover() -> None:
    shots = [picture(i, "screenshot") for i in range(1, 7)]
    covers = [picture(10, "cover"), picture(11, "cover")]
    chosen = choose([*shots, *covers])
    assert [p.id for p in chosen.screenshots] == [1, 2, 3, 4][:MAX_SCREENSHOTS]
    assert chosen.cover == covers[-1]


def test_headshots_go_to_the_member_their_alt_text_names_then_in_upload_order() -> None:
    unnamed, grace = picture(1, "headshot"), picture(2, "headshot", "  grace HOPPER ")
    ada = picture(3, "headshot", "Ada")
    matched = match_headshots(["Ada", "Linus", "Grace Hopper"], (unnamed, grace, ada))
    assert matched == [ada, unnamed, grace]
    assert match_headshots(["Ada", "Linus"], ()) == [None, None]
    assert match_headshots(["Ada"], (unnamed, grace)) == [unnamed]  # one member, one photo: the first left


def test_the_slides_place_logo_cover_screenshots_and_headshots() -> None:
    canvas = template()
    members = [m["name"] for m in canvas["team"]]
    pictures = choose(
        [
            picture(1, "logo"),
            picture(2, "cover"),
            picture(3, "screenshot"),
            picture(4, "screenshot"),
            picture(5, "headshot", members[1]),
        ]
    )
    deck = build_deck(name="Lumen", canvas=canvas, pictures=pictures)
    slides = {s.kind: s for s in deck.slides}
    assert deck.pictures.logo is not None
    assert deck.pictures.logo.id == 1
    title_pictures = [p.id for b in slides["title"].blocks if b.kind == "picture" for p in b.pictures]
    assert title_pictures == [2]
    solution = slides["solution"]
    assert solution.layout == "gallery"
    assert [p.id for b in solution.blocks if b.kind == "picture" for p in b.pictures] == [3, 4]
    (people,) = [b for b in slides["team"].blocks if b.kind == "people"]
    assert [p.name for p in people.people] == members[: len(people.people)]
    assert people.people[1].photo is not None
    assert people.people[1].photo.id == 5
    assert all(p.photo is None for i, p in enumerate(people.people) if i != 1)


def test_without_pictures_the_solution_keeps_its_text_layout() -> None:
    deck = build_deck(name="Lumen", canvas=template())
    slides = {s.kind: s for s in deck.slides}
    assert slides["solution"].layout == "text"
    assert not [b for s in deck.slides for b in s.blocks if b.kind == "picture"]


def test_screenshots_alone_still_make_a_solution_slide() -> None:
    canvas = template()
    canvas["story"]["climax"] = canvas["story"]["insight"] = ""
    bare = build_deck(name="Lumen", canvas=canvas)
    assert "solution" in [o.kind for o in bare.omitted]
    deck = build_deck(name="Lumen", canvas=canvas, pictures=choose([picture(3, "screenshot")]))
    assert "solution" in [s.kind for s in deck.slides]


def test_the_problem_is_a_statement_with_the_size_of_the_pain_set_as_a_big_number() -> None:
    canvas = template()
    problem = next(s for s in build_deck(name="Lumen", canvas=canvas).slides if s.kind == "problem")
    assert problem.layout == "big_number"
    statement, figure = problem.blocks
    assert statement.kind == "statement"
    assert statement.text == canvas["story"]["customer_pain"].strip()
    assert figure.kind == "metrics"
    assert figure.rows[0][0] in ("serviceable market", "total market")
    canvas["data"]["market"]["sam"]["value"] = None
    canvas["data"]["market"]["tam"]["value"] = None
    alone = next(s for s in build_deck(name="Lumen", canvas=canvas).slides if s.kind == "problem")
    assert [b.kind for b in alone.blocks] == ["statement"]
    assert alone.layout == "statement"
