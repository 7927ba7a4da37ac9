"""Deck themes: six designs, each drawn from the brand kit, in the PDF and through the export API."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import ContentStream
from rest_framework.test import APIClient

from pitchlab.decks.brand import contrast_ratio, relative_luminance
from pitchlab.decks.charts.build import build_chart
from pitchlab.decks.fonts import face_names
from pitchlab.decks.models import DeckExport
from pitchlab.decks.pdf import BACKDROPS, COVERS, HEIGHT, MARGIN, TITLE_TREATMENTS, WIDTH, chart_sizes, render_pdf
from pitchlab.decks.pdf_text import families, fit_text
from pitchlab.decks.slides import Deck, build_deck
from pitchlab.decks.themes import LIGHT, THEMES, Theme, branded, theme_get
from pitchlab.pitches.canvas import DECK_THEMES, empty_brand
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.read_model import Brand, canvas_view
from pitchlab.pitches.services import pitch_import

TEMPLATES = Path(__file__).resolve().parents[2] / "pitchlab" / "pitches" / "data" / "templates"
LONG_WORD = ("Antidisestablishmentarianism" * 3)[:60]
BRAND = {
    **empty_brand(),
    "primary": "#0f766e",
    "accent": "#d97706",
    "heading_font": "caladea",
    "footer": "Confidential · Seed round 2026 · " + LONG_WORD,
}


def template(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TEMPLATES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _stretched(value: Any, key: str = "") -> Any:
    """Every free-text field with a 60-character word added; codes and dates left alone."""
    if isinstance(value, dict):
        return {k: _stretched(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_stretched(v, key) for v in value]
    if isinstance(value, str) and key not in {"status", "key", "category", "response", "currency", "period", "date"}:
        return f"{value} {LONG_WORD}" if value else LONG_WORD
    return value


def branded_canvas(canvas: dict[str, Any], brand: dict[str, Any] | None = None) -> dict[str, Any]:
    canvas = copy.deepcopy(canvas)
    canvas.setdefault("deck", {})["brand"] = brand or BRAND
    return canvas


def themed_pdf(
    canvas: dict[str, Any], name: str, *, lang: str = "en", title: str = "Lumen Support AI"
) -> tuple[Deck, bytes]:
    """The deck of ``canvas`` in theme ``name`` and the canvas' brand, with its charts, as the export draws it."""
    theme = branded(theme_get(name), canvas_view(canvas).deck.brand)
    deck = build_deck(name=title, canvas=canvas, lang=lang)
    charts = {}
    for kind, (width, height) in chart_sizes(deck, theme).items():
        drawing = build_chart(kind, canvas, palette=theme.palette, width=width, height=height, lang=lang)
        if drawing is not None:
            charts[kind] = drawing
    return deck, render_pdf(deck, charts=charts, theme=theme)


def fill_colours(pdf: bytes) -> set[str]:
    """Every fill colour set on any page (``rg`` operators), as ``#rrggbb``."""
    reader = PdfReader(BytesIO(pdf))
    found = set()
    for page in reader.pages:
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"rg":
                found.add("#" + "".join(f"{round(float(v) * 255):02x}" for v in operands))
    return found


def base_fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        fonts = resources.get_object().get("/Font", {})
        names |= {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    return names


# --- the themes as data -------------------------------------------------------------------------------------------


def test_six_themes_light_and_dark_among_them_and_every_list_offers_them_all() -> None:
    assert len(THEMES) >= 6
    assert {"light", "dark"} <= set(THEMES)
    assert tuple(THEMES) == DECK_THEMES  # the canvas' validator, the export API and the editor read this list
    assert all(theme.name == name for name, theme in THEMES.items())


def test_the_themes_are_designs_not_colour_swaps() -> None:
    designs = {(t.type.title, t.type.cover, t.title, t.cover, t.backdrop, t.heading_font) for t in THEMES.values()}
    assert len(designs) >= 5  # light and dark share their design; every other theme has its own
    assert {t.title for t in THEMES.values()} == set(TITLE_TREATMENTS)  # every treatment is used by some theme
    assert {t.cover for t in THEMES.values()} == set(COVERS)
    assert {t.backdrop for t in THEMES.values()} == set(BACKDROPS)


@pytest.mark.parametrize("theme", THEMES.values(), ids=list(THEMES))
def test_each_theme_reads_on_its_own_background(theme: Theme) -> None:
    assert contrast_ratio(theme.ink, theme.background) >= 7
    assert contrast_ratio(theme.muted, theme.background) >= 4.5
    assert contrast_ratio(theme.accent, theme.background) >= 3
    assert contrast_ratio(theme.accent_ink, theme.accent) >= 4.5
    assert theme.palette.background == theme.background
    # A brand kit accepted against light and dark stays accepted: the kit is checked against every theme's page.
    if theme.dark:
        assert relative_luminance(theme.background) <= relative_luminance(THEMES["dark"].background)
    else:
        assert theme.background == "#ffffff"


def test_the_brand_read_model_takes_the_empty_kits_defaults() -> None:
    assert canvas_view({}).deck.brand == Brand()
    assert Brand() == Brand(**{k: v for k, v in empty_brand().items()})
    view = canvas_view({"deck": {"brand": {**BRAND, "logo": 7, "logo_dark": True}}})
    assert view.deck.brand.primary == "#0f766e"
    assert view.deck.brand.heading_font == "caladea"
    assert view.deck.brand.body_font == "noto-sans"
    assert (view.deck.brand.logo, view.deck.brand.logo_dark) == (7, None)


def test_the_brand_becomes_the_accent_the_highlight_and_the_first_series() -> None:
    brand = canvas_view(branded_canvas({})).deck.brand
    for theme in THEMES.values():
        mine = branded(theme, brand)
        assert mine.palette.series[:2] == (mine.accent, mine.palette.highlight)
        assert len(mine.palette.series) == len(theme.palette.series)
        assert len(set(mine.palette.series)) == len(mine.palette.series)
        assert mine.heading_font == "caladea"
        assert mine.body_font == theme.body_font  # Noto Sans in the kit means "the theme's own"
    assert branded(LIGHT, Brand()) == LIGHT
    assert branded(LIGHT, brand).accent == "#0f766e"  # readable on white as it is: kept exactly


colour = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}")


@settings(max_examples=200, deadline=None)
@given(primary=colour, accent=colour, name=st.sampled_from(list(THEMES)))
def test_no_brand_colour_makes_a_series_or_a_band_unreadable(primary: str, accent: str, name: str) -> None:
    theme = branded(THEMES[name], Brand(primary=primary, accent=accent))
    assert contrast_ratio(theme.accent, theme.background) >= 3
    assert contrast_ratio(theme.palette.highlight, theme.background) >= 3
    assert contrast_ratio(theme.palette.series[0], theme.background) >= 3
    assert contrast_ratio(theme.palette.series[1], theme.background) >= 3
    assert contrast_ratio(theme.accent_ink, theme.accent) >= 3  # title bands: white or near-black, the better


# --- the PDF ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(THEMES))
def test_every_theme_draws_the_brand_primary_and_its_fonts(name: str) -> None:
    canvas = branded_canvas(template("support_nlp"))
    _, pdf = themed_pdf(canvas, name)
    theme = branded(THEMES[name], canvas_view(canvas).deck.brand)
    assert theme.accent in fill_colours(pdf)
    assert "Caladea-Bold" in " ".join(base_fonts(pdf))  # the brand's heading family
    assert THEMES[name].background in fill_colours(pdf)
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert text.lower().count("confidential") >= 10  # the brand footer, on every page (in capitals in "minimal")


def test_the_theme_fonts_apply_without_a_brand_font() -> None:
    _, pdf = themed_pdf(template("support_nlp"), "editorial")
    fonts = " ".join(base_fonts(pdf))
    assert "NotoSerif" in fonts
    assert face_names("noto-serif")[0] == "PL-noto-serif"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", list(THEMES))
def test_every_slide_kind_in_every_theme_keeps_its_text_on_the_page(name: str, lang: str, tmp_path: Path) -> None:
    canvas = branded_canvas(_stretched(template("medical_imaging")))
    canvas["deck"]["notes_appendix"] = True
    deck, pdf = themed_pdf(canvas, name, lang=lang, title=f"{LONG_WORD} {LONG_WORD}")
    layouts = {slide.layout for slide in deck.slides}
    assert layouts >= set(PAGE_LAYOUTS_WITHOUT_DEMOS), layouts
    (tmp_path / "deck.pdf").write_bytes(pdf)
    subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", tmp_path / "deck.pdf", tmp_path / "deck.html"], check=True)
    html = (tmp_path / "deck.html").read_text(encoding="utf-8", errors="replace")
    pages = html.split("<page ")[1:]
    assert len(pages) > len(deck.slides)
    for number, page in enumerate(pages, start=1):
        boxes = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', page)
        assert boxes, number
        for x_min, y_min, x_max, y_max in ((float(v) for v in box) for box in boxes):
            assert x_min >= MARGIN - 1, (number, x_min)
            assert x_max <= WIDTH - MARGIN + 1, (number, x_max)
            assert y_min >= 20, (number, y_min)
            assert y_max <= HEIGHT - 20, (number, y_max)


# The layouts the sample's content chooses (its problem has a market figure: a big number; its team of four
# stands in the grid); every other layout in every theme is tests/decks/test_pdf_layouts.py's.
PAGE_LAYOUTS_WITHOUT_DEMOS = (
    "title",
    "text",
    "big_number",
    "bullets",
    "chart",
    "chart_table",
    "chart_bullets",
    "people",
    "ask",
)


# --- the export API -----------------------------------------------------------------------------------------------


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("owner")


@pytest.mark.django_db
def test_the_export_api_takes_every_theme_and_names_them_for_an_unknown_one(
    api_client: APIClient, owner: User, django_capture_on_commit_callbacks: Any
) -> None:
    pitch: Pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    api_client.force_authenticate(owner)
    for name in THEMES:
        with django_capture_on_commit_callbacks(execute=False):
            response = api_client.post(f"/api/pitches/{pitch.pk}/exports/", {"theme": name}, format="json")
        assert response.status_code == 202, response.json()
        assert DeckExport.objects.get(pk=response.json()["id"]).theme == name
    response = api_client.post(f"/api/pitches/{pitch.pk}/exports/", {"theme": "neon"}, format="json")
    assert response.status_code == 400
    message = " ".join(response.json()["extra"]["fields"]["theme"])
    assert "neon" in message
    assert all(name in message for name in THEMES)
    assert DeckExport.objects.count() == len(THEMES)


def test_dark_themes_are_the_dark_ones() -> None:
    assert {name for name, theme in THEMES.items() if theme.dark} == {"dark", "midnight"}


# --- the pages ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_deck_panels_export_form_offers_every_theme(client: Client, owner: User) -> None:
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    client.force_login(owner)
    page = client.get(f"/pitches/{pitch.pk}/").content.decode()
    panel = re.search(r'<select name="theme">(.*?)</select>', page, re.S)
    assert panel is not None
    assert re.findall(r'<option value="(\w+)"', panel[1]) == list(THEMES)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(THEMES))
def test_the_web_deck_sets_the_themes_properties_in_the_brand(client: Client, owner: User, name: str) -> None:
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    content = branded_canvas(pitch.content)
    Pitch.objects.filter(pk=pitch.pk).update(content=content)
    client.force_login(owner)
    page = client.get(f"/pitches/{pitch.pk}/deck/?theme={name}").content.decode()
    theme = branded(THEMES[name], canvas_view(content).deck.brand)
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert style is not None
    assert style[1].startswith(f".theme-{name} {{")
    assert f"--accent: {theme.accent}" in style[1]
    assert f"--slide: {theme.background}" in style[1]
    assert '"PL Caladea"' in style[1]  # the brand's heading family, unescaped in the <style>
    assert page.count(f"title-{theme.title} ") == page.count('class="slide ')  # every slide takes the treatment
    assert "Confidential" in page


def test_a_themes_body_scale_sets_regular_text_larger_or_smaller_but_never_past_its_box() -> None:
    text = "Support leads spend a fifth of each week routing tickets. " * 3
    sizes = {}
    for name in ("minimal", "light", "editorial"):
        theme = THEMES[name]
        with families(theme.heading_font, theme.body_font, theme.type.body):
            sizes[name] = fit_text(text, None, False, 400, 400, 18, 9).size
            heading = fit_text("The problem", None, True, 400, 60, 30, 20)
            tight = fit_text(text * 4, None, False, 200, 60, 18, 9)
        assert heading.size == 30  # bold (titles) keeps its own size
        assert tight.height <= 60 or tight.truncated
    assert sizes["minimal"] < sizes["light"] == 18 < sizes["editorial"]
