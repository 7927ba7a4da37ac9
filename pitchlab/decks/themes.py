"""Deck themes: the colours a deck is set in, on the web and in the PDF (pure).

Each theme carries the chart ``Palette`` built for its background, so a chart drawn on a dark slide
uses colours that read on dark. Colours are ``#rrggbb`` strings.
"""

from __future__ import annotations

from dataclasses import dataclass

from pitchlab.decks.charts.ir import Palette


@dataclass(frozen=True)
class Theme:
    name: str
    background: str  # the page
    surface: str  # cards and panels on the page
    ink: str  # body text and titles
    muted: str  # secondary text: footers, labels, captions
    accent: str  # rules, markers, headings, big numbers
    accent_ink: str  # text set on an accent fill
    rule: str  # hairlines and card borders
    palette: Palette


LIGHT = Theme(
    name="light",
    background="#ffffff",
    surface="#f4f5fa",
    ink="#14161f",
    muted="#5d6475",
    accent="#4f46e5",
    accent_ink="#ffffff",
    rule="#e2e5ee",
    palette=Palette(
        background="#ffffff",
        ink="#14161f",
        muted="#5d6475",
        grid="#e4e7ec",
        accent="#4f46e5",
        highlight="#f97316",
        series=("#4f46e5", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6"),
        heat=("#ecfdf3", "#fef0c7", "#fedf89", "#fdb022", "#f97066", "#d92d20"),
    ),
)

DARK = Theme(
    name="dark",
    background="#0b1020",
    surface="#151c31",
    ink="#eef0f7",
    muted="#9ba4bb",
    accent="#8b93ff",
    accent_ink="#0b1020",
    rule="#27304a",
    palette=Palette(
        background="#0b1020",
        ink="#eef0f7",
        muted="#9ba4bb",
        grid="#252d45",
        accent="#8b93ff",
        highlight="#fb923c",
        series=("#8b93ff", "#38bdf8", "#34d399", "#fbbf24", "#f87171", "#c084fc"),
        heat=("#153a2c", "#3d3f17", "#5e4611", "#7c3a12", "#902222", "#b42318"),
    ),
)

THEMES: dict[str, Theme] = {"light": LIGHT, "dark": DARK}


def theme_get(name: str | None) -> Theme:
    """The theme called ``name``; the light theme for any name not known."""
    return THEMES.get(name or "", LIGHT)
