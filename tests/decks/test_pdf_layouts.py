"""The PDF draws every slide layout, for any slide's blocks, in every theme: text inside its frames, and each
layout's own arrangement (the big number large, the quote between quotation marks, the picture beside the words
or filling the page, columns side by side, the chart left of its takeaways).

A rich sample canvas (the medical imaging template, three people with headshots, three screenshots, a cover and
three custom slides) is rendered with every slide set to one layout, as a founder could not choose but a renderer
must still draw; pictures are cut by the pictures test's ``FolderPrintFiles``, once per placement for the module.
"""

from __future__ import annotations

import shutil
import sys
import types
from dataclasses import replace
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from pitchlab.decks.charts.ir import Drawing
from pitchlab.decks.deck_pictures import DeckPicture, DeckPictures
from pitchlab.decks.pdf import CONTENT_BOTTOM, HEIGHT, MARGIN, WIDTH, chart_sizes, render_pdf
from pitchlab.decks.pdf_layouts import CONTENT_LAYOUTS
from pitchlab.decks.slides import ALL_LAYOUTS, Deck, build_deck
from pitchlab.decks.themes import THEMES
from pitchlab.pitches.canvas import DECK_THEMES, SLIDE_KINDS
from tests.decks.test_pdf import ZH_STORY
from tests.decks.test_pdf_pictures import COVER, FolderPrintFiles, Sources, canvas, deck_pictures, words
from tests.decks.test_pdf_pictures import sources as sources  # the fixture: the picture files, made once a module

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
Word = tuple[str, float, float, float, float]  # text, x_min, y_min, x_max, y_max (y from the top of the page)
SHOT = 11  # the second screenshot: a tall one
STEPS = tuple(f"Step{n} ships in quarter {n}" for n in range(1, 8))


def custom_rows() -> list[dict[str, Any]]:
    """The founder's own slides: words and a picture, a short quote alone, a long list and a screenshot."""
    base: dict[str, Any] = {"notes": "", "seconds": None, "hidden": False, "layout": "", "overrides": {}}
    return [
        {**base, "kind": "custom", "id": "x1", "title": "A day in the reading room", "picture": COVER,
         "text": "Radiologists read 120 studies a shift; the urgent ones wait in the same queue.",
         "bullets": ["Backlogs grow overnight", "Urgent findings wait hours"]},
        {**base, "kind": "custom", "id": "x2", "title": "What a pilot site says", "picture": None,
         "text": "Our overnight backlog is gone.", "bullets": []},
        {**base, "kind": "custom", "id": "x3", "title": "The next twelve months", "picture": SHOT, "text": "",
         "bullets": list(STEPS)},
    ]  # fmt: skip


def rich_canvas() -> dict[str, Any]:
    data = canvas(people=3)
    data.setdefault("deck", {})["slides"] = [{"kind": kind} for kind in SLIDE_KINDS] + custom_rows()
    return data


def rich_pictures() -> DeckPictures:
    pictures = deck_pictures(shots=3, heads=3)
    every = [pictures.logo, pictures.logo_dark, pictures.cover, *pictures.screenshots, *pictures.headshots]
    return replace(pictures, library={picture.id: picture for picture in every if picture is not None})


RICH = build_deck(name="Lumen Imaging", canvas=rich_canvas(), pictures=rich_pictures())


def in_layout(layout: str, *, kinds: tuple[str, ...] = ()) -> Deck:
    """The rich deck with every slide (or those of ``kinds``) set to ``layout``."""
    slides = tuple(
        replace(slide, layout=layout) for slide in RICH.slides if not kinds or slide.kind in kinds or slide.row in kinds
    )
    return replace(RICH, slides=slides)


class CutOnce(FolderPrintFiles):
    """``FolderPrintFiles`` that cuts each placement once for the whole module (a cut takes longer than a page)."""

    def __init__(self, folder: Path, files: dict[int, Path]) -> None:
        super().__init__(folder, files)
        self.cut: dict[tuple[int, float, float, bool], Path | None] = {}

    def __call__(self, picture: DeckPicture, width_pt: float, height_pt: float, *, contain: bool) -> Path | None:
        key = (picture.id, round(width_pt, 1), round(height_pt, 1), contain)
        if key not in self.cut:
            self.cut[key] = super().__call__(picture, width_pt, height_pt, contain=contain)
        return self.cut[key]


@pytest.fixture(scope="module")
def files(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> CutOnce:
    made: Sources = request.getfixturevalue("sources")
    return CutOnce(tmp_path_factory.mktemp("cut"), made.files)


def image_boxes(pdf: bytes) -> list[list[tuple[float, float, float, float]]]:
    """Each page's images as drawn: (x, y, width, height) in points, y from the bottom."""
    reader = PdfReader(BytesIO(pdf))
    pages = []
    for page in reader.pages:
        boxes, matrix = [], None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"cm":
                matrix = [float(value) for value in operands]
            elif operator == b"Do" and matrix is not None:
                boxes.append((matrix[4], matrix[5], matrix[0], matrix[3]))
        pages.append(boxes)
    return pages


def assert_in_frames(pages: list[list[Word]], covers: set[int], *, overlaps: bool = True) -> None:
    """Every word inside the page margins; on a slide page (not a cover), every word but the footer's above the
    footer; no two words on a page overlapping (one set over another; ``overlaps`` False: not checked)."""
    for number, page in enumerate(pages, start=1):
        assert page, number
        for text, x_min, y_min, x_max, y_max in page:
            assert x_min >= MARGIN - 1, (number, text, x_min)
            assert x_max <= WIDTH - MARGIN + 1, (number, text, x_max)
            assert y_min >= 20, (number, text)
            assert y_max <= HEIGHT - 18, (number, text)
            if number not in covers and y_min < HEIGHT - 40:
                assert y_max <= HEIGHT - CONTENT_BOTTOM + 2, (number, text, y_max)
        for index, one in enumerate(page if overlaps else ()):
            for other in page[index + 1 :]:
                wide = min(one[3], other[3]) - max(one[1], other[1])
                tall = min(one[4], other[4]) - max(one[2], other[2])
                least = min(one[4] - one[2], other[4] - other[2])
                assert wide <= 1 or tall <= 0.45 * least, (number, one, other)


def page_of(deck: Deck, row: str) -> int:
    """The page (1-based) of the slide from ``row``: the cover first, then the others in order."""
    others = [slide for slide in deck.slides if slide.layout != "title"]
    return 2 + next(index for index, slide in enumerate(others) if slide.row == row)


def content(page: list[Word]) -> list[Word]:
    """A slide page's words between its title and its footer."""
    return [word for word in page if word[2] > 110 and word[4] <= HEIGHT - CONTENT_BOTTOM + 2]


def height(word: Word) -> float:
    return word[4] - word[2]


# --- every layout, every theme -----------------------------------------------------------------------------------


def test_the_rich_deck_has_every_kind_and_custom_slides() -> None:
    assert {slide.kind for slide in RICH.slides} >= {"title", "problem", "solution", "team", "performance", "custom"}
    custom = {slide.row: slide.layout for slide in RICH.slides if slide.kind == "custom"}
    assert custom == {"custom-x1": "text_picture", "custom-x2": "quote", "custom-x3": "text_picture"}


@pytest.mark.parametrize("layout", ALL_LAYOUTS)
@pytest.mark.parametrize("theme", DECK_THEMES)
def test_every_layout_draws_every_slide_with_its_text_in_its_frames(
    theme: str, layout: str, files: CutOnce, tmp_path: Path
) -> None:
    deck = in_layout(layout)
    pdf = render_pdf(deck, charts={}, theme=THEMES[theme], pictures=files)
    pages = words(pdf, tmp_path)
    assert len(pages) == len(deck.slides) + (layout != "title")
    assert_in_frames(pages, covers=set(range(1, len(pages) + 1)) if layout == "title" else {1})


@pytest.mark.parametrize("layout", [*CONTENT_LAYOUTS, "picture_full", "gallery", "statement"])
def test_every_layout_draws_without_pictures_as_words(layout: str, tmp_path: Path) -> None:
    """No print files (or every file gone): the picture layouts fall back to words, nothing is left blank (the
    generic layouts without pictures are every other PDF test's)."""
    deck = in_layout(layout)
    pdf = render_pdf(deck, charts={}, theme=THEMES["light"])
    pages = words(pdf, tmp_path)
    assert_in_frames(pages, covers=set(range(1, len(pages) + 1)) if layout == "title" else {1})
    if layout in ("picture_full", "text_picture"):
        first = words(pdf, tmp_path)[page_of(deck, "custom-x1") - 1]
        assert "Radiologists" in {word[0] for word in first}
        assert image_boxes(pdf) == [[] for _ in pages]


@pytest.mark.parametrize("layout", [*CONTENT_LAYOUTS, "picture_full"])
def test_a_chinese_deck_keeps_its_text_in_its_frames_in_every_new_layout(
    layout: str, files: CutOnce, tmp_path: Path
) -> None:
    data = rich_canvas()
    data["story"].update(ZH_STORY)
    deck = build_deck(name="明镜科技", canvas=data, lang="zh", pictures=rich_pictures())
    deck = replace(deck, slides=tuple(replace(slide, layout=layout) for slide in deck.slides))
    pdf = render_pdf(deck, charts={}, theme=THEMES["editorial"], pictures=files)
    # A CJK word's box reaches well above its line (the font's ascent): a label over a figure reads as overlapping.
    assert_in_frames(words(pdf, tmp_path), covers={1}, overlaps=False)


# --- each layout's own arrangement -------------------------------------------------------------------------------


def test_big_number_sets_the_figure_huge_beside_the_smaller_words(tmp_path: Path) -> None:
    deck = in_layout("big_number", kinds=("problem", "custom-x2"))
    problem = deck.slides[0]
    assert problem.kind == "problem"
    assert [block.kind for block in problem.blocks] == ["statement", "metrics"]
    figure = problem.blocks[1].rows[0][1].split()[0]
    pages = words(render_pdf(deck, charts={}, theme=THEMES["light"]), tmp_path)
    page = content(pages[1])
    big = next(word for word in page if word[0] == figure)
    pain = [word for word in page if word[0] in problem.blocks[0].text.split()]
    assert height(big) > 2.5 * max(height(word) for word in pain)
    assert big[3] < min(word[1] for word in pain)  # the words stand beside it, on the right
    # without a figure, the first text is the big line, centred
    line = [word for word in content(pages[2]) if word[0] in {"Our", "overnight", "backlog"}]
    assert min(height(word) for word in line) > 40
    middle = (min(word[1] for word in line) + max(word[3] for word in line)) / 2
    assert abs(middle - WIDTH / 2) < 30


def test_quote_sets_the_text_large_between_quotation_marks_centred_above_the_rest(tmp_path: Path) -> None:
    deck = in_layout("quote", kinds=("custom-x1", "custom-x2"))
    pdf = render_pdf(deck, charts={}, theme=THEMES["light"], pictures=None)
    pages = words(pdf, tmp_path)
    alone = content(pages[2])
    assert alone[0][0].startswith("“Our")
    assert alone[-1][0].endswith("gone.”")
    assert abs((min(w[1] for w in alone) + max(w[3] for w in alone)) / 2 - WIDTH / 2) < 20
    shared = content(pages[1])
    quote = [word for word in shared if word[0].strip("“”;,.") in {"Radiologists", "shift", "queue"}]
    items = [word for word in shared if word[0] in {"Backlogs", "Urgent"}]
    assert {word[0] for word in quote} >= {"“Radiologists", "queue.”"}
    assert max(word[4] for word in quote) < min(word[2] for word in items)  # the list below the quote
    assert min(height(word) for word in quote) > max(height(word) for word in items)


def test_text_picture_puts_the_picture_large_on_the_right_and_the_words_left_of_it(
    files: CutOnce, tmp_path: Path
) -> None:
    deck = in_layout("text_picture", kinds=("custom-x1",))
    pdf = render_pdf(deck, charts={}, theme=THEMES["light"], pictures=files)
    pictures = [box for box in image_boxes(pdf)[1] if box[3] > 40]  # not the footer's logo
    assert len(pictures) == 1
    x, _, width, tall = pictures[0]
    assert x > WIDTH / 2 - 20
    assert width * tall > 0.2 * WIDTH * HEIGHT
    assert max(word[3] for word in content(words(pdf, tmp_path)[1])) < x


def test_picture_full_fills_the_page_with_the_title_and_caption_on_a_band_at_its_foot(
    files: CutOnce, tmp_path: Path
) -> None:
    deck = in_layout("picture_full", kinds=("custom-x1",))
    pdf = render_pdf(deck, charts={}, theme=THEMES["midnight"], pictures=files)
    x, y, width, tall = max(image_boxes(pdf)[1], key=lambda box: box[2] * box[3])
    assert (x, y, width, tall) == pytest.approx((0, 0, WIDTH, HEIGHT))
    assert [call for call in files.calls if call[0] == COVER and call[1] == WIDTH]
    page = words(pdf, tmp_path)[1]
    title = [word for word in page if word[0] in {"reading", "room"}]
    caption = [word for word in page if word[0] == "Radiologists"]
    assert title
    assert caption
    assert min(word[2] for word in title) > HEIGHT - 190  # on the band at the foot
    assert min(word[2] for word in caption) > max(word[4] for word in title) - 1


def test_columns_stand_side_by_side_one_person_or_a_share_of_the_list_each(tmp_path: Path) -> None:
    deck = in_layout("columns", kinds=("team", "custom-x3"))
    pages = words(render_pdf(deck, charts={}, theme=THEMES["light"]), tmp_path)
    team = next(slide for slide in deck.slides if slide.kind == "team")
    people = team.blocks[0].people
    firsts = [next(w for w in content(pages[1]) if w[0] == person.name.split()[-1]) for person in people]
    assert len({round(word[2]) for word in firsts}) == 1  # one row
    assert [word[1] for word in firsts] == sorted(word[1] for word in firsts)
    assert firsts[1][1] - firsts[0][1] > (WIDTH - 2 * MARGIN) / 4
    steps = {w[0]: w for w in content(pages[2]) if w[0].startswith("Step")}
    starts = sorted({round(steps[f"Step{n}"][1]) for n in range(1, 8)})
    assert len(starts) == 3  # seven items over three columns: 3, 2, 2
    assert steps["Step4"][1] > steps["Step3"][1]
    assert steps["Step6"][1] > steps["Step5"][1]
    assert len({round(height(steps[f"Step{n}"]), 1) for n in range(1, 8)}) == 1  # one size across the columns


def test_chart_takeaways_draws_the_chart_large_left_of_its_takeaways_one_to_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: dict[str, tuple[float, float, float, float]] = {}

    def draw_on_canvas(drawing: Drawing, canvas: Any, **box: Any) -> None:
        calls[drawing.kind] = (box["x"], box["y"], box["width"], box["height"])

    module = types.ModuleType("pitchlab.decks.charts.pdf")
    module.draw_on_canvas = draw_on_canvas  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pitchlab.decks.charts.pdf", module)
    deck = in_layout("chart_takeaways", kinds=("risks",))
    sizes = chart_sizes(deck)
    assert set(sizes) == {"risks"}
    charts = {kind: Drawing(kind, w, h, ()) for kind, (w, h) in sizes.items()}
    pages = words(render_pdf(deck, charts=charts, theme=THEMES["light"]), tmp_path)
    x, _, width, tall = calls["risks"]
    assert (width, tall) == pytest.approx(sizes["risks"], abs=0.6)  # drawn 1:1
    assert width > 0.55 * (WIDTH - 2 * MARGIN)
    assert x + width < min(word[1] for word in content(pages[1]))
