"""The brand kit's colours (decks/brand.py): WCAG contrast, the rules a deck needs, the nearest readable colour."""

from __future__ import annotations

import colorsys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pitchlab.decks.brand import (
    LIGHTNESS_STEPS,
    Background,
    OnBackgrounds,
    UnderText,
    check_brand_colours,
    colour_failures,
    contrast_ratio,
    deck_rules,
    format_ratio,
    hls_colour,
    nearest_readable,
    normalise_colour,
    relative_luminance,
    rules_for,
)
from pitchlab.decks.themes import THEMES

LIGHT_AND_DARK = (Background("light", "#ffffff"), Background("dark", "#0b1020"))
RULES = rules_for(LIGHT_AND_DARK)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("#FFF", "#ffffff"), ("#abc", "#aabbcc"), ("#4F46E5", "#4f46e5"), ("#0b1020", "#0b1020")],
)
def test_colours_are_normalised_to_lower_case_six_digits(text: str, expected: str) -> None:
    assert normalise_colour(text) == expected


@pytest.mark.parametrize("text", ["red", "4f46e5", "#4f46e", "#ggg", "#4f46e5ff", " #fff", "rgb(0,0,0)", ""])
def test_anything_else_is_not_a_colour(text: str) -> None:
    assert normalise_colour(text) is None


def test_wcag_reference_values() -> None:
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#ffffff") == pytest.approx(1)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic "just fails AA"
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_ratios_are_shown_rounded_down_so_a_failure_never_reads_as_a_pass() -> None:
    assert format_ratio(2.999) == "2.9:1"
    assert format_ratio(3.0) == "3:1"
    assert format_ratio(4.5) == "4.5:1"
    assert format_ratio(contrast_ratio("#f5d90a", "#ffffff")) == "1.4:1"


def test_the_deck_rules_cover_every_theme_background() -> None:
    assert {b.colour for b in deck_rules().backgrounds} == {theme.background for theme in THEMES.values()}


def test_yellow_is_refused_on_white_with_a_darker_shade_offered() -> None:
    (verdict,) = check_brand_colours({"primary": "#f5d90a", "accent": None}, RULES)
    assert verdict.field == "primary"
    (failure,) = verdict.failures
    assert (failure.use, failure.against_name, format_ratio(failure.ratio)) == ("titles", "light", "1.4:1")
    assert verdict.suggestion is not None
    assert relative_luminance(verdict.suggestion) < relative_luminance("#f5d90a")
    assert not colour_failures(verdict.suggestion, RULES.uses["primary"], LIGHT_AND_DARK)


def test_black_is_refused_on_the_dark_theme_with_a_lighter_shade_offered() -> None:
    (verdict,) = check_brand_colours({"primary": "#000000"}, RULES)
    assert [f.against_name for f in verdict.failures] == ["dark"]
    assert verdict.suggestion is not None
    assert relative_luminance(verdict.suggestion) > 0


def test_a_primary_no_text_reads_on_is_refused_for_its_band() -> None:
    # Readable as a title on both backgrounds, but white and near-black text both stay under 4.5:1 on it.
    colour = "#7a7a7a"
    assert not colour_failures(colour, (OnBackgrounds("titles", 3.0),), LIGHT_AND_DARK)
    (verdict,) = check_brand_colours({"primary": colour}, RULES)
    assert [f.use for f in verdict.failures] == ["band"]
    assert verdict.suggestion is not None
    assert not colour_failures(verdict.suggestion, RULES.uses["primary"], LIGHT_AND_DARK)


def test_accent_is_checked_as_a_chart_line_only() -> None:
    assert check_brand_colours({"accent": "#7a7a7a"}, RULES) == []  # no text is set on the accent
    (verdict,) = check_brand_colours({"accent": "#ffe600"}, RULES)
    assert [f.use for f in verdict.failures] == ["chart_lines"]


def test_readable_colours_pass_untouched() -> None:
    assert check_brand_colours({"primary": "#e11d48", "accent": "#4f46e5"}, RULES) == []


def test_no_suggestion_when_the_backgrounds_leave_no_window() -> None:
    # White, near-black and a mid-grey page: nothing is 3:1 against all three.
    backgrounds = (*LIGHT_AND_DARK, Background("grey", "#777777"))
    (verdict,) = check_brand_colours({"accent": "#3366cc"}, rules_for(backgrounds))
    assert verdict.suggestion is None


def _hls(colour: str) -> tuple[float, float, float]:
    return colorsys.rgb_to_hls(*(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)))


colours = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}")
uses = st.sampled_from(
    [RULES.uses["primary"], RULES.uses["accent"], (UnderText("band", 4.5),), (OnBackgrounds("titles", 3.0),)]
)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(colour=colours, use=uses, between=st.floats(0.0, 1.0))
def test_the_offered_colour_passes_and_is_the_closest_passing_lightness(
    colour: str, use: tuple[OnBackgrounds | UnderText, ...], between: float
) -> None:
    suggestion = nearest_readable(colour, use, LIGHT_AND_DARK)
    assert suggestion is not None  # light and dark leave a window for every hue
    assert not colour_failures(suggestion, use, LIGHT_AND_DARK)
    hue, lightness, saturation = _hls(colour)
    offered = _hls(suggestion)[1]
    # Any lightness strictly nearer the colour's own than the offered one (beyond the search's step and the
    # rounding to 8 bits) fails: it is the closest passing one on the lightness axis.
    tolerance = 2 / LIGHTNESS_STEPS + 1 / 255
    distance = abs(offered - lightness)
    if distance > tolerance:
        nearer = lightness + (offered - lightness) * between * (distance - tolerance) / distance
        assert colour_failures(hls_colour(hue, nearer, saturation), use, LIGHT_AND_DARK), (colour, nearer, suggestion)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(colour=colours)
def test_a_passing_colour_is_its_own_nearest(colour: str) -> None:
    use = RULES.uses["accent"]
    if not colour_failures(colour, use, LIGHT_AND_DARK):
        suggestion = nearest_readable(colour, use, LIGHT_AND_DARK)
        assert suggestion is not None
        assert abs(_hls(suggestion)[1] - _hls(colour)[1]) <= 1 / LIGHTNESS_STEPS + 1 / 255
