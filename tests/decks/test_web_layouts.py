"""The web deck draws every slide layout for any slide's blocks, in every theme, and marks where each text is edited.

Every slide of a rich deck (pictures, key points, custom slides, a live demo) is drawn in every layout the slide
model has (``ALL_LAYOUTS``, even one its kind does not offer): each block's words are on the slide. With
``deck_editable`` each text that has a source carries its ``data-edit-*`` attributes on the element holding just
that text; without it (the share page, the audience window) no slide carries any.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import Client

from pitchlab.decks import web_layouts
from pitchlab.decks.deck_pictures import DeckPicture, DeckPictures
from pitchlab.decks.slides import ALL_LAYOUTS, Block, Deck, Person, Slide, Source, build_deck
from pitchlab.decks.themes import THEMES
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.services import pitch_import, pitch_write
from pitchlab.sharing import services
from tests.decks.test_renderers import MODEL


def _picture(picture_id: int, role: str, alt: str, width: int = 1600, height: int = 1000) -> DeckPicture:
    return DeckPicture(id=picture_id, role=role, alt=alt, width=width, height=height, url=f"/p/{picture_id}/?v=a")


SHOTS = (_picture(3, "screenshot", "The routed inbox"), _picture(4, "screenshot", "Why a ticket was routed"))
PICTURES = DeckPictures(
    logo=_picture(1, "logo", "Lumen", 640, 160),
    cover=_picture(2, "cover", "The support floor"),
    screenshots=SHOTS,
    headshots=(_picture(5, "headshot", "Maya Chen", 400, 400),),
    library={picture.id: picture for picture in (*SHOTS, _picture(6, "cover", "A team photo"))},
)
CUSTOM_ROWS = [
    {
        "kind": "custom",
        "id": "photo",
        "title": "On the floor",
        "text": "Agents answer twice as many tickets.",
        "picture": 6,
    },
    {"kind": "custom", "id": "plan", "title": "The plan", "bullets": [f"Step {n}: ship part {n}" for n in range(1, 8)]},
    {"kind": "custom", "id": "shot", "title": "The product", "picture": 6},
    {"kind": "custom", "id": "words", "title": "What a customer said", "text": "It reads our tickets like we do."},
]


def rich_canvas() -> dict[str, Any]:
    """The support sample with key points on the problem and team slides and three custom slides: a picture with
    words, many bullets, a picture alone, one short text."""
    document = template_document("support_nlp")
    assert document is not None
    canvas: dict[str, Any] = document["canvas"]
    canvas.setdefault("deck", {})["slides"] = [
        {"kind": "problem", "bullets": ["Tickets wait 9 hours", "Half are routed twice"]},
        {"kind": "team", "bullets": ["Shipped routing at scale before"]},
        *CUSTOM_ROWS,
    ]
    return canvas


@pytest.fixture(scope="module")
def deck() -> Deck:
    return build_deck(name="Lumen", canvas=rich_canvas(), demos=(MODEL,), pictures=PICTURES)


class _Page(HTMLParser):
    """The page's text, and the ``data-edit-*`` attributes of each element that has them with the element's own
    text (what Edit mode puts a caret in)."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.edits: list[dict[str, str]] = []
        self._open: list[tuple[str, dict[str, str] | None, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs if name.startswith("data-edit")}
        if tag not in ("img", "br", "link", "meta", "input"):
            self._open.append((tag, found or None, []))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            name, found, words = self._open.pop()
            if found is not None:
                self.edits.append({**found, "text": " ".join("".join(words).split())})
            if self._open:
                self._open[-1][2].extend(words)
            if name == tag:
                return

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._open:
            self._open[-1][2].append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def squash(text: str) -> str:
    return " ".join(unescape(text).split())


def render(slide: Slide, deck: Deck, theme: str, *, editable: bool = False) -> str:
    context = {"slide": slide, "deck": deck, "charts": {}, "theme": theme, "deck_editable": editable}
    return render_to_string("decks/_slide.html", context)


def words_of(block: Block) -> Iterator[str]:
    """Every text ``block`` shows."""
    yield from (block.text, block.heading, *block.items)
    yield from (cell for row in block.rows for cell in row)
    for person in block.people:
        yield from (person.name, person.role, person.bio)
    if block.demo is not None:
        yield block.demo.name


def test_the_rich_deck_has_what_the_layouts_place(deck: Deck) -> None:
    kinds = {block.kind for slide in deck.slides for block in slide.blocks}
    assert kinds >= {"lead", "text", "bullets", "chart", "metrics", "table", "live_demo", "picture", "people"}
    assert {"statement"} <= kinds
    assert {slide.row for slide in deck.slides} >= {"custom-photo", "custom-plan", "custom-words"}
    assert {slide.layout for slide in deck.slides} >= {"big_number", "gallery", "text_picture", "picture_full", "quote"}


@pytest.mark.parametrize("theme", THEMES)
def test_every_layout_draws_every_blocks_words_in_every_theme(deck: Deck, theme: str) -> None:
    for slide in deck.slides:
        for layout in ALL_LAYOUTS:
            html = render(replace(slide, layout=layout), deck, theme)
            text = squash(" ".join(parse(html).text))
            assert squash(slide.title) in text, (slide.row, layout)
            for block in slide.blocks:
                for words in words_of(block):
                    assert squash(words) in text, (slide.row, layout, block.kind, words)
            assert "data-edit" not in html


def _edited_parts(owner: Block | Slide) -> Iterator[tuple[str, Source, str]]:
    """(part, source, text) of each part of ``owner`` that has a source and shows words."""
    for part, source in owner.sources:
        if part in ("notes", "seconds"):
            continue  # Edit mode shows them in a panel: they are not drawn on the slide
        yield part, source, shown_text(owner, part)


def shown_text(owner: Block | Slide, part: str) -> str:
    if isinstance(owner, Slide):
        return owner.title
    name, *steps = part.split(".")
    if name == "item":
        return owner.items[int(steps[0])]
    if name == "label":
        return owner.rows[int(steps[0])][0]
    if name == "person":
        person = owner.people[int(steps[0])]
        return str(getattr(person, steps[1]))
    return str(getattr(owner, name))


@pytest.mark.parametrize("layout", ALL_LAYOUTS)
def test_each_text_with_a_source_is_marked_where_it_is_edited(deck: Deck, layout: str) -> None:
    for slide in deck.slides:
        drawn = replace(slide, layout=layout)
        edits = parse(render(drawn, deck, "light", editable=True)).edits
        marked = {(e["data-edit-unit"], e["data-edit-pointer"], e["data-edit-part"]): e for e in edits}
        owners: list[Block | Slide] = [drawn, *drawn.blocks]
        for owner in owners:
            for part, source, text in _edited_parts(owner):
                if not text.strip():
                    continue  # nothing drawn to type in
                edit = marked.get((source.unit, source.pointer, part))
                assert edit is not None, (slide.row, layout, part, source)
                assert edit["text"] == squash(text), (slide.row, layout, part)  # the element holds just that text
                assert ("data-edit-generated" in edit) == source.generated


def test_the_kinds_texts_are_marked_where_the_canvas_keeps_them(deck: Deck) -> None:
    html = "".join(render(slide, deck, "light", editable=True) for slide in deck.slides)
    edits = {(e["data-edit-unit"], e["data-edit-pointer"], e["data-edit-part"]) for e in parse(html).edits}
    assert ("deck.slides", "problem/title", "title") in edits
    assert ("story.customer_pain", "", "text") in edits
    assert ("deck.slides", "problem/overrides/label.figure", "label.0") in edits
    assert ("deck.slides", "problem/bullets/1", "item.1") in edits
    assert ("team", "0/name", "person.0.name") in edits
    assert ("team", "0/bio", "person.0.bio") in edits
    assert ("deck.slides", "custom-plan/bullets/6", "item.6") in edits
    assert ("deck.slides", "custom-words/text", "text") in edits
    generated = [e for e in parse(html).edits if e["data-edit-pointer"] == "problem/title"]
    assert ["data-edit-generated" in e for e in generated] == [True]


def test_a_layout_without_its_special_content_draws_the_slide_as_text(deck: Deck) -> None:
    words = Slide(
        kind="custom", title="Only a list", blocks=(Block("bullets", items=("One", "Two")),), notes="", seconds=5
    )
    generic = squash(render(replace(words, layout="text"), deck, "light"))
    for layout in ("big_number", "quote", "text_picture", "picture_full", "chart_takeaways"):
        assert squash(render(replace(words, layout=layout), deck, "light")) == generic, layout


def test_columns_spread_people_items_or_blocks() -> None:
    people = Block("people", people=tuple(Person(f"P{n}") for n in range(5)))
    assert web_layouts.columns_of([people]) == web_layouts.Columns("people", 3)
    assert web_layouts.columns_of([Block("bullets", items=("a",) * 7)]) == web_layouts.Columns("items", 3)
    assert web_layouts.columns_of([Block("bullets", items=("a",) * 5)]) == web_layouts.Columns("items", 2)
    texts = [Block("text", text="x")] * 4
    assert web_layouts.columns_of([Block("chart", chart="market"), *texts]) == web_layouts.Columns("blocks", 3)
    # the longest column's words set the size: a long paragraph beside a short one is set smaller
    assert web_layouts.columns_of([Block("text", text="x" * 500), Block("text", text="x")]) == web_layouts.Columns(
        "blocks", 2, "m"
    )
    assert web_layouts.columns_of([Block("bullets", items=("x" * 400,) * 4)]).size == "s"
    assert (
        web_layouts.columns_of(
            [Block("demo", text="x" * 500, items=("x" * 90,) * 6), Block("bullets", items=("a",))]
        ).size
        == "xs"
    )


def test_a_big_figure_is_set_smaller_the_longer_it_is() -> None:
    assert [web_layouts.figure_size(text) for text in ("$4.2B", "$4,200,000", "€ 1,250,000,000")] == ["l", "m", "s"]


# --- through the pages ------------------------------------------------------------------------------------------


@pytest.fixture
def founder(make_user: Callable[..., User]) -> User:
    return make_user("founder")


@pytest.fixture
def rich_pitch(founder: User, settings: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    document = template_document("support_nlp")
    assert document is not None
    pitch = pitch_import(owner=founder, document=document)
    layouts = {"problem": "big_number", "story": "quote", "market": "chart_takeaways", "team": "columns"}
    rows = [{"kind": kind, "layout": layout, "bullets": ["A point"]} for kind, layout in layouts.items()]
    return pitch_write(pitch_id=pitch.pk, changes={"deck.slides": rows}, base_version=pitch.version)


@pytest.mark.django_db
@pytest.mark.usefixtures("app_broker")
def test_the_owners_fragment_is_editable_and_the_share_page_is_not(
    client: Client, founder: User, rich_pitch: Any
) -> None:
    client.force_login(founder)
    fragment = client.get(f"/pitches/{rich_pitch.pk}/deck/slides/?theme=bold").content.decode()
    for layout in ("big-number-body", "quote-body", "takeaways-body", "columns-body"):
        assert layout in fragment
    assert 'data-edit-pointer="story/title"' in fragment
    assert re.search(
        r'data-edit-unit="deck\.slides" data-edit-pointer="market/bullets/0" data-edit-part="item\.0"', fragment
    )
    link = services.share_link_create(pitch=rich_pitch, user=founder, label="Acme Ventures")
    shared = Client().get(f"/s/{link.token}/").content.decode()
    assert "big-number-body" in shared
    assert "data-edit" not in shared


def test_every_layout_draws_a_chinese_decks_words() -> None:
    deck = build_deck(name="Lumen", canvas=rich_canvas(), lang="zh", demos=(MODEL,), pictures=PICTURES)
    for slide in deck.slides:
        for layout in ALL_LAYOUTS:
            text = squash(" ".join(parse(render(replace(slide, layout=layout), deck, "midnight")).text))
            for block in slide.blocks:
                for words in words_of(block):
                    assert squash(words) in text, (slide.row, layout, words)


def test_a_column_of_words_is_set_smaller_the_more_room_it_takes() -> None:
    def text(n: int) -> Block:
        return Block("text", text="x" * n)

    assert [web_layouts.text_size([text(n)]) for n in (200, 800, 1000, 1500)] == ["xl", "l", "m", "s"]
    # a statement is set large: it takes twice its letters' room; a figure as much as a line
    assert web_layouts.text_size([Block("statement", text="x" * 500)]) == "m"
    assert web_layouts.text_size([text(800), Block("metrics", rows=(("SAM", "$2B"),))]) == "m"
    # beside a chart the column is narrow, down to xs
    chart = Block("chart", chart="risks")
    assert [web_layouts.text_size([chart, text(n)]) for n in (300, 500, 800, 1000)] == ["l", "m", "s", "xs"]
    assert web_layouts.narrow_size([text(300)]) == "m"
