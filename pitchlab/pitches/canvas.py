"""The canvas document: everything a pitch holds, as one JSON-friendly dict (pure, no Django).

A pitch's content is one document in the shape ``empty_canvas()`` returns. Writes address a
*unit*: a path such as ``story.conflict``, ``data.traction`` or ``business.unit_economics``. Each
unit carries the pitch version at which it last changed, which is what the version rule compares
against (see ``services.pitch_write``): two tabs that edit different units never conflict; two
that edit the same one do, and the second is told instead of overwriting the first.
"""

from __future__ import annotations

import copy
from typing import Any

SCHEMA_VERSION = 1
TEXT_LIMIT = 5000
"""The most characters any one text field holds."""

STORY_FIELDS = ("purpose", "origin", "customer_pain", "conflict", "why_now", "insight", "climax", "vision")
DATA_UNITS = ("traction", "market", "competitors", "experiments")
DEMO_UNITS = ("script", "examples")
ASK_UNITS = ("amount", "currency", "use_of_funds", "milestones")
BUSINESS_STATUSES = ("missing", "partial", "done")
RISK_CATEGORIES = ("technical", "market", "financial", "legal")
RISK_RESPONSES = ("avoid", "mitigate", "transfer", "accept")
TARGET_MINUTES = (3, 5, 10, 15, 20)
DECK_UNITS = ("slides", "theme", "notes_appendix", "brand")
SLIDE_KINDS = (
    "title",
    "problem",
    "story",
    "solution",
    "demo",
    "traction",
    "market",
    "competition",
    "performance",
    "business",
    "team",
    "risks",
    "roadmap",
    "ask",
)
CUSTOM_SLIDE = "custom"
"""The kind of a founder's own slide in ``deck.slides`` (named there by its ``id``)."""


def slide_row_key(kind: str, id_: str = "") -> str:
    """A ``deck.slides`` row's name in the deck: its kind, or "custom-<id>" for a custom slide."""
    return f"{CUSTOM_SLIDE}-{id_}" if kind == CUSTOM_SLIDE else kind


DECK_THEMES = ("light", "dark", "editorial", "bold", "minimal", "midnight")  # decks/themes.py draws each

Canvas = dict[str, Any]


def empty_canvas() -> Canvas:
    """A blank canvas. Business items and catalogue risks are filled from the catalogue on creation."""
    return {
        "schema": SCHEMA_VERSION,
        "story": {**{name: "" for name in STORY_FIELDS}, "target_minutes": 5},
        "data": {
            "traction": [],  # [{"period", "metric", "value", "unit"}]
            "market": {
                "currency": "USD",
                "growth_rate": None,  # percent per year
                "tam": {"value": None, "source": "", "year": None},
                "sam": {"value": None, "source": "", "year": None},
                "som": {"value": None, "source": "", "year": None},
            },
            "competitors": {
                "x_axis": "",
                "y_axis": "",
                "items": [],
            },  # items: {"name","x","y","strengths","weaknesses"}
            "experiments": [],  # {"model","metric","value","baseline","dataset","samples","date","measured"}
        },
        "demo": {"script": "", "examples": []},  # examples: {"text", "label"}
        "team": [],  # {"name", "role", "bio"}
        "ask": {"amount": None, "currency": "USD", "use_of_funds": [], "milestones": []},
        "business": {},  # key -> {"status", "evidence"}
        "risks": [],  # {"key","title","category","likelihood","impact","response","mitigation","owner"}
        # The founder's deck settings: slides (kind, title, notes, seconds, hidden) in their order;
        # an empty list means the default sequence (decks/slides.py).
        "deck": {"slides": [], "theme": "light", "notes_appendix": False, "brand": empty_brand()},
    }


BRAND_FOOTER_LIMIT = 120


def empty_brand() -> dict[str, Any]:
    """The brand kit of a pitch that has none: the theme's own colours, Noto Sans, no footer, no logo.

    Colours are ``#rrggbb`` or None (the theme's); fonts are ids of ``decks/font_catalogue.py``; logos are ids of
    the pitch's pictures. Validated by the unit check the decks app registers (``decks/brand_unit.py``).
    """
    return {
        "primary": None,
        "accent": None,
        "heading_font": "noto-sans",
        "body_font": "noto-sans",
        "footer": "",
        "logo": None,
        "logo_dark": None,
    }


def unit_paths(canvas: Canvas) -> list[str]:
    """Every writable unit of ``canvas``, in editor order."""
    paths = [f"story.{name}" for name in STORY_FIELDS] + ["story.target_minutes"]
    paths += [f"data.{name}" for name in DATA_UNITS]
    paths += [f"demo.{name}" for name in DEMO_UNITS]
    paths += ["team"] + [f"ask.{name}" for name in ASK_UNITS]
    paths += [f"business.{key}" for key in canvas.get("business", {})]
    paths += ["risks"]
    paths += [f"deck.{name}" for name in DECK_UNITS]
    return paths


def get_unit(canvas: Canvas, path: str) -> Any:
    """The unit at ``path``; a canvas written before the unit existed gives the blank canvas' value."""
    node: Any = canvas
    try:
        for part in path.split("."):
            node = node[part]
    except KeyError:
        if canvas is _BLANK or not path.startswith(_ADDED_SECTIONS):
            raise
        return copy.deepcopy(get_unit(_BLANK, path))
    return node


def set_unit(canvas: Canvas, path: str, value: Any) -> Canvas:
    """A copy of ``canvas`` with the unit at ``path`` replaced by ``value``."""
    result = copy.deepcopy(canvas)
    *parents, last = path.split(".")
    node = result
    blank: Any = _BLANK
    for part in parents:
        blank = blank.get(part, {}) if isinstance(blank, dict) else {}
        node = node.setdefault(part, copy.deepcopy(blank))
    node[last] = copy.deepcopy(value)
    return result


_BLANK = empty_canvas()
# Sections added to the canvas after schema 1 was first written; older documents lack them.
_ADDED_SECTIONS = ("deck.",)


def is_unit(canvas: Canvas, path: str) -> bool:
    return path in unit_paths(canvas)
