"""The PDF draws the pitch's pictures: the logo on the cover and in every footer, the cover picture, framed
screenshots, the team's headshots (or initials), and the problem's statement set large, in every theme.

Real Pillow images and the real renderer; the one fake is ``FolderPrintFiles``, the outer edge that cuts a
picture's file to a placement (production: ``picture_sources.StoredPrintFiles``), here with Pillow alone.
"""

from __future__ import annotations

import copy
import math
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageOps

from pitchlab.decks.deck_pictures import DeckPicture, DeckPictures
from pitchlab.decks.pdf import CONTENT_BOTTOM, HEIGHT, MARGIN, WIDTH, render_pdf
from pitchlab.decks.pdf_base import Box
from pitchlab.decks.pdf_pictures import gallery_frames
from pitchlab.decks.slides import Deck, build_deck, initials
from pitchlab.decks.themes import THEMES, theme_get
from pitchlab.pitches.documents import template_document

pytestmark = pytest.mark.skipif(
    shutil.which("pdfimages") is None or shutil.which("pdftotext") is None, reason="needs poppler's tools"
)
PRINT_DPI = 200
LOGO, LOGO_DARK, COVER = 1, 2, 3
WIDE, TALL = (1440, 900), (600, 1200)


def _photo(path: Path, size: tuple[int, int], tint: int) -> Path:
    """A photo-like picture: a smooth two-way gradient with a bright disc, as a JPEG."""
    width, height = size
    x = Image.linear_gradient("L").resize(size)
    y = Image.linear_gradient("L").rotate(90).resize(size)
    image = Image.merge("RGB", (x, y, Image.new("L", size, tint)))
    ImageDraw.Draw(image).ellipse((width * 0.4, height * 0.4, width * 0.6, height * 0.6), fill=(250, 200, 0))
    image.save(path, quality=90)
    return path


def _logo(path: Path, colour: tuple[int, int, int, int]) -> Path:
    """A 3:1 logo on a transparent background, as a PNG."""
    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 190, 190), fill=colour)
    draw.rectangle((220, 70, 580, 130), fill=colour)
    image.save(path)
    return path


class FolderPrintFiles:
    """``PrintFiles`` from source files by picture id: each placement cut with Pillow at 200 dpi (filled around
    the focal point, or whole inside it and never enlarged) and kept, as the stored pictures are. Records every
    request; an id without a source file answers None, as a deleted file does."""

    def __init__(self, folder: Path, sources: dict[int, Path]) -> None:
        self.folder = folder
        self.sources = sources
        self.calls: list[tuple[int, float, float, bool]] = []

    def __call__(self, picture: DeckPicture, width_pt: float, height_pt: float, *, contain: bool) -> Path | None:
        self.calls.append((picture.id, width_pt, height_pt, contain))
        source = self.sources.get(picture.id)
        if source is None:
            return None
        size = (math.ceil(width_pt / 72 * PRINT_DPI), math.ceil(height_pt / 72 * PRINT_DPI))
        with Image.open(source) as image:
            image.load()
            out: Image.Image
            if contain:
                image.thumbnail(size)
                out = image
            else:
                out = ImageOps.fit(image, size, centering=(picture.focal_x, picture.focal_y))
        path = self.folder / f"{picture.id}-{size[0]}x{size[1]}-{contain}.{'png' if out.mode == 'RGBA' else 'jpg'}"
        if not path.exists():
            out.save(path)
        return path


@dataclass(frozen=True)
class Sources:
    folder: Path
    files: dict[int, Path]


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Sources:
    folder = tmp_path_factory.mktemp("sources")
    files = {
        LOGO: _logo(folder / "logo.png", (20, 60, 140, 255)),
        LOGO_DARK: _logo(folder / "logo-dark.png", (240, 240, 255, 255)),
        COVER: _photo(folder / "cover.jpg", (1600, 1000), 90),
    }
    for index in range(4):
        files[10 + index] = _photo(folder / f"shot{index}.jpg", TALL if index == 1 else WIDE, 40 * index)
    for index in range(6):
        files[20 + index] = _photo(folder / f"head{index}.jpg", (800, 800), 30 * index)
    return Sources(folder, files)


def print_files(sources: Sources, tmp_path: Path, *, gone: bool = False) -> FolderPrintFiles:
    out = tmp_path / "cut"
    out.mkdir(exist_ok=True)
    return FolderPrintFiles(out, {} if gone else sources.files)


def deck_pictures(*, shots: int = 0, heads: int = 0) -> DeckPictures:
    return DeckPictures(
        logo=DeckPicture(LOGO, "logo", "Lumen", 600, 200),
        logo_dark=DeckPicture(LOGO_DARK, "logo_dark", "Lumen", 600, 200),
        cover=DeckPicture(COVER, "cover", "A reading room", 1600, 1000, focal_x=0.7, focal_y=0.4),
        screenshots=tuple(
            DeckPicture(10 + i, "screenshot", f"Screen {i}", *(TALL if i == 1 else WIDE)) for i in range(shots)
        ),
        headshots=tuple(DeckPicture(20 + i, "headshot", "", 800, 800) for i in range(heads)),
    )


def canvas(*, people: int = 6, market: bool = True) -> dict[str, Any]:
    document = template_document("medical_imaging")
    assert document is not None
    data: dict[str, Any] = copy.deepcopy(document["canvas"])
    team = data["team"]
    while len(team) < people:
        member = copy.deepcopy(team[len(team) % 2])
        member["name"] = f"Member Number{len(team)}"
        team.append(member)
    data["team"] = team[:people]
    if not market:
        for size in ("tam", "sam"):
            data["data"]["market"][size]["value"] = None
    return data


def one_slide_deck(kind: str, pictures: DeckPictures, **canvas_options: Any) -> Deck:
    """The deck of the sample canvas with only its slide of ``kind`` (and the cover made from the company)."""
    deck = build_deck(name="Lumen Imaging", canvas=canvas(**canvas_options), pictures=pictures)
    return replace(deck, slides=tuple(slide for slide in deck.slides if slide.kind == kind))


@dataclass(frozen=True)
class Shown:
    """One image drawn on a page, as ``pdfimages -list`` reports it."""

    page: int
    width: int
    height: int
    object_id: int
    ppi: int


def images(pdf: bytes, tmp_path: Path) -> list[Shown]:
    (tmp_path / "deck.pdf").write_bytes(pdf)
    listing = subprocess.run(["pdfimages", "-list", tmp_path / "deck.pdf"], check=True, capture_output=True, text=True)
    shown = []
    for line in listing.stdout.splitlines()[2:]:
        cells = line.split()
        if cells[2] == "image":
            shown.append(Shown(int(cells[0]), int(cells[3]), int(cells[4]), int(cells[10]), int(cells[12])))
    return shown


def words(pdf: bytes, tmp_path: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Each page's words with their boxes (x_min, y_min, x_max, y_max; y from the top of the page)."""
    (tmp_path / "deck.pdf").write_bytes(pdf)
    subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", tmp_path / "deck.pdf", tmp_path / "deck.html"], check=True)
    html = (tmp_path / "deck.html").read_text(encoding="utf-8")
    pattern = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [
        [(text, float(a), float(b), float(c), float(d)) for a, b, c, d, text in re.findall(pattern, page)]
        for page in html.split("<page ")[1:]
    ]


def assert_text_in_frames(pages: list[list[tuple[str, float, float, float, float]]]) -> None:
    """Every word inside the page margins; on a slide page, every word but the footer's above the footer."""
    for number, page in enumerate(pages, start=1):
        assert page, number
        for text, x_min, y_min, x_max, y_max in page:
            assert x_min >= MARGIN - 1, (number, text, x_min)
            assert x_max <= WIDTH - MARGIN + 1, (number, text, x_max)
            assert y_min >= 20, (number, text)
            assert y_max <= HEIGHT - 18, (number, text)  # a serif footer reaches 520.6
            if number > 1 and y_min < HEIGHT - 40:
                assert y_max <= HEIGHT - CONTENT_BOTTOM + 2, (number, text, y_max)


def assert_sensible_resolution(shown: list[Shown]) -> None:
    for image in shown:
        assert 150 <= image.ppi <= 400, image


CASES: dict[str, tuple[str, DeckPictures, dict[str, Any], int]] = {
    # case: (slide kind, pictures, canvas options, images on the slide page besides the footer's logo)
    "title": ("title", deck_pictures(), {}, 0),
    "solution-1": ("solution", deck_pictures(shots=1), {}, 1),
    "solution-2": ("solution", deck_pictures(shots=2), {}, 2),
    "solution-4": ("solution", deck_pictures(shots=4), {}, 4),
    "team-0": ("team", deck_pictures(heads=0), {"people": 3}, 0),
    "team-3": ("team", deck_pictures(heads=3), {"people": 3}, 3),
    "team-6": ("team", deck_pictures(heads=6), {"people": 6}, 6),
    "problem-alone": ("problem", deck_pictures(), {"market": False}, 0),
    "problem-figure": ("problem", deck_pictures(), {}, 0),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("name", list(THEMES))
def test_every_theme_draws_each_placement_at_print_resolution_with_its_text_in_its_frame(
    name: str, case: str, sources: Sources, tmp_path: Path
) -> None:
    kind, pictures, options, on_slide = CASES[case]
    deck = one_slide_deck(kind, pictures, **options)
    pdf = render_pdf(deck, charts={}, theme=theme_get(name), pictures=print_files(sources, tmp_path))
    shown = images(pdf, tmp_path)
    assert_sensible_resolution(shown)
    cover = [image for image in shown if image.page == 1]
    if kind == "title":
        # the logo over the company name (3:1, at most 70 pt tall) and the cover picture
        assert len(cover) == 2
        assert len(words(pdf, tmp_path)) == 1
        assert any(abs(image.width - 3 * image.height) <= 3 for image in cover)
    else:
        assert len(cover) == 1  # the made cover has the logo
        slide = [image for image in shown if image.page == 2]
        assert len(slide) == on_slide + 1  # and the footer's logo
    assert_text_in_frames(words(pdf, tmp_path))


def test_the_footers_logo_is_embedded_once_however_many_pages_show_it(sources: Sources, tmp_path: Path) -> None:
    deck = build_deck(name="Lumen Imaging", canvas=canvas(), pictures=deck_pictures(shots=2, heads=6))
    files = print_files(sources, tmp_path)
    pdf = render_pdf(deck, charts={}, theme=THEMES["light"], pictures=files)
    shown = images(pdf, tmp_path)
    pages = 1 + len(deck.slides) - 1  # the title slide is the cover
    footer = [
        image for image in shown if image.page > 1 and image.height < 60 and abs(image.width - 3 * image.height) <= 3
    ]
    assert sorted(image.page for image in footer) == list(range(2, pages + 1))
    assert len({image.object_id for image in footer}) == 1
    assert all(image.ppi >= 150 for image in footer)
    # asked of the print files once per placement, however many pages draw it
    assert len({call for call in files.calls if call[0] == LOGO}) == len([c for c in files.calls if c[0] == LOGO])


@pytest.mark.parametrize("name", list(THEMES))
def test_a_dark_theme_draws_the_dark_logo_and_a_light_one_the_logo(name: str, sources: Sources, tmp_path: Path) -> None:
    files = print_files(sources, tmp_path)
    render_pdf(one_slide_deck("team", deck_pictures(heads=3), people=3), charts={}, theme=THEMES[name], pictures=files)
    footer_logos = {call[0] for call in files.calls if call[0] in (LOGO, LOGO_DARK) and call[2] <= 18}
    assert footer_logos == ({LOGO_DARK} if THEMES[name].dark else {LOGO})


def test_the_logo_keeps_its_shape_and_size_limits_on_the_cover_and_in_the_footer(
    sources: Sources, tmp_path: Path
) -> None:
    files = print_files(sources, tmp_path)
    render_pdf(one_slide_deck("team", deck_pictures()), charts={}, theme=THEMES["light"], pictures=files)
    logos = [(width, height) for picture, width, height, contain in files.calls if picture == LOGO and contain]
    assert len(logos) == 2
    assert all(width / height == pytest.approx(3.0, rel=0.01) for width, height in logos)
    assert max(height for _, height in logos) <= 70
    assert min(height for _, height in logos) <= 18
    assert max(width for width, _ in logos) <= 240


def test_screenshots_are_framed_near_their_own_shape_inside_the_figure_area() -> None:
    shots = deck_pictures(shots=4).screenshots
    box = Box(64, 64, 480, 360)
    for count in (1, 2, 3, 4):
        frames = gallery_frames(shots[:count], box)
        assert len(frames) == count
        for picture, frame in zip(shots, frames, strict=False):
            assert frame.w / frame.h == pytest.approx(picture.aspect, rel=0.01)
            assert frame.x >= box.x - 0.01
            assert frame.x + frame.w <= box.x + box.w + 0.01
            assert frame.y >= box.y - 0.01
            assert frame.top <= box.top + 0.01
        for one, other in ((a, b) for i, a in enumerate(frames) for b in frames[i + 1 :]):
            overlap_w = min(one.x + one.w, other.x + other.w) - max(one.x, other.x)
            overlap_h = min(one.top, other.top) - max(one.y, other.y)
            assert overlap_w <= 0 or overlap_h <= 0, (count, one, other)
    # one screenshot fills the figure area on its long side, two wide ones together show more than one
    single = gallery_frames(shots[:1], box)[0]
    assert single.w == pytest.approx(box.w)
    assert sum(f.w * f.h for f in gallery_frames(shots[:2], box)) >= 0.5 * single.w * single.h


def test_a_solution_slide_asks_each_screenshot_at_a_frame_of_its_shape(sources: Sources, tmp_path: Path) -> None:
    files = print_files(sources, tmp_path)
    render_pdf(one_slide_deck("solution", deck_pictures(shots=2)), charts={}, theme=THEMES["light"], pictures=files)
    asked = {picture: (width, height, contain) for picture, width, height, contain in files.calls if picture >= 10}
    assert set(asked) == {10, 11}
    assert not any(contain for _, _, contain in asked.values())  # filled around the focal point
    assert asked[10][0] / asked[10][1] == pytest.approx(WIDE[0] / WIDE[1], rel=0.05)
    assert asked[11][0] / asked[11][1] == pytest.approx(TALL[0] / TALL[1], rel=0.05)
    assert min(asked[10][:2]) >= 100  # large, not thumbnails


@pytest.mark.parametrize("name", ["light", "midnight"])
def test_pictures_whose_files_are_gone_leave_initials_and_empty_frames(
    name: str, sources: Sources, tmp_path: Path
) -> None:
    deck = build_deck(name="Lumen Imaging", canvas=canvas(people=3), pictures=deck_pictures(shots=4, heads=3))
    files = print_files(sources, tmp_path, gone=True)
    pdf = render_pdf(deck, charts={}, theme=THEMES[name], pictures=files)
    assert images(pdf, tmp_path) == []
    assert {call[0] for call in files.calls} >= {LOGO if name == "light" else LOGO_DARK, COVER, 10, 13, 20, 22}
    team = next(i for i, slide in enumerate(deck.slides) if slide.kind == "team") + 1
    team_words = {word[0] for word in words(pdf, tmp_path)[team - 1 + (deck.slides[0].kind != "title")]}
    people = canvas(people=3)["team"]
    assert {initials(person["name"]) for person in people} <= team_words


def test_no_print_files_draws_no_pictures_and_keeps_every_page(tmp_path: Path) -> None:
    deck = build_deck(name="Lumen Imaging", canvas=canvas(), pictures=deck_pictures(shots=3, heads=6))
    pdf = render_pdf(deck, charts={}, theme=THEMES["light"])
    assert images(pdf, tmp_path) == []
    assert len(words(pdf, tmp_path)) == len(deck.slides)


def test_initials_are_the_first_and_last_names_letters() -> None:
    assert initials("Elena Vogt") == "EV"
    assert initials("Dr. Karim van Haddad") == "DH"
    assert initials("ada") == "A"
    assert initials("王小明") == "王"
    assert initials("  ") == ""  # the PDF draws "?" in the circle of a blank name
    assert initials("Maya Chen 🚀") == "MC"  # an emoji is no name's letter (the .pptx would show it as a box)
    assert initials("🚀 Maya") == "M"
    assert initials("Jonas Berg (CTO)") == "JB"
    assert initials("🚀 #1") == ""


def _statement_words(pdf: bytes, tmp_path: Path, deck: Deck) -> list[tuple[str, float, float, float, float]]:
    statement = next(block for block in deck.slides[0].blocks if block.kind == "statement")
    pain = set(statement.text.split())
    return [word for word in words(pdf, tmp_path)[1] if word[0] in pain and word[2] > 100]


def test_a_statement_alone_fills_the_width_centred_and_beside_a_figure_takes_sixty_percent(tmp_path: Path) -> None:
    alone = one_slide_deck("problem", deck_pictures(), market=False)
    assert alone.slides[0].layout == "statement"
    pdf = render_pdf(alone, charts={}, theme=THEMES["light"])
    placed = _statement_words(pdf, tmp_path, alone)
    right = max(word[3] for word in placed)
    top, bottom = min(word[2] for word in placed), max(word[4] for word in placed)
    assert right > WIDTH - MARGIN - 120  # across the page
    middle = HEIGHT - (CONTENT_BOTTOM + (HEIGHT - 56 - 40 - 26 - CONTENT_BOTTOM) / 2)  # the content area's, from top
    assert abs((top + bottom) / 2 - middle) < 40

    data = canvas()
    data.setdefault("deck", {})["slides"] = [{"kind": "problem", "layout": "statement"}]  # the founder's choice
    chosen = build_deck(name="Lumen Imaging", canvas=data, pictures=deck_pictures())
    beside = replace(chosen, slides=tuple(slide for slide in chosen.slides if slide.kind == "problem"))
    assert beside.slides[0].layout == "statement"
    assert [block.kind for block in beside.slides[0].blocks] == ["statement", "metrics"]
    pdf = render_pdf(beside, charts={}, theme=THEMES["light"])
    placed = _statement_words(pdf, tmp_path, beside)
    split_at = MARGIN + (WIDTH - 2 * MARGIN) * 0.6
    assert max(word[3] for word in placed) <= split_at
    figure = beside.slides[0].blocks[1].rows[0][1].split()[0]
    found = [word for word in words(pdf, tmp_path)[1] if word[0] == figure]
    assert found
    assert found[0][1] > split_at
    assert found[0][4] - found[0][2] > 30  # the figure set large


def test_a_problem_with_a_figure_sets_it_as_a_big_number_left_of_the_statement(tmp_path: Path) -> None:
    deck = one_slide_deck("problem", deck_pictures())
    assert deck.slides[0].layout == "big_number"
    pdf = render_pdf(deck, charts={}, theme=THEMES["light"])
    placed = _statement_words(pdf, tmp_path, deck)
    figure = deck.slides[0].blocks[1].rows[0][1].split()[0]
    found = [word for word in words(pdf, tmp_path)[1] if word[0] == figure]
    assert found
    assert found[0][4] - found[0][2] > 2.5 * max(word[4] - word[2] for word in placed)  # set huge
    assert found[0][3] < min(word[1] for word in placed)  # the statement beside it, on the right
    assert found[0][1] == pytest.approx(MARGIN, abs=1)


@pytest.mark.django_db
def test_an_export_draws_the_pitchs_stored_pictures_cut_for_print(
    sources: Sources, tmp_path: Path, settings: Any, make_user: Any
) -> None:
    """The production path: uploaded pictures, ``StoredPrintFiles`` cutting them (``picture_for_print``)."""
    from pitchlab.decks.services import export_render_pdf, pitch_print_pictures
    from pitchlab.pictures.models import Picture
    from pitchlab.pictures.services import picture_upload
    from pitchlab.pitches.services import pitch_import

    settings.MEDIA_ROOT = tmp_path / "media"
    owner = make_user("founder")
    document = template_document("medical_imaging")
    assert document is not None
    pitch = pitch_import(owner=owner, document=document)
    uploads = [
        (LOGO, Picture.Role.LOGO, "Lumen"),
        (COVER, Picture.Role.COVER, "A reading room"),
        (10, Picture.Role.SCREENSHOT, "The worklist"),
        (20, Picture.Role.HEADSHOT, "Dr. Elena Vogt"),
    ]
    for source, role, alt in uploads:
        picture_upload(pitch=pitch, user=owner, data=sources.files[source].read_bytes(), role=role, alt=alt)
    canvas = pitch.content
    pdf = export_render_pdf(
        name="Lumen", canvas=canvas, theme="light", lang="en", **pitch_print_pictures(pitch=pitch, canvas=canvas)
    )
    shown = images(pdf, tmp_path)
    assert_sensible_resolution(shown)
    pages = max(image.page for image in shown)
    on_cover = [image for image in shown if image.page == 1]
    assert len(on_cover) == 2  # the logo and the cover picture
    footer = [image for image in shown if image.page > 1 and image.height < 60]
    assert len(footer) == pages - 1
    assert len({image.object_id for image in footer}) == 1
    assert len([image for image in shown if image.page > 1]) == pages - 1 + 2  # and a screenshot and a headshot
