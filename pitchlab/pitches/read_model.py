"""The canvas as typed, immutable data: parsed once, after validation, for every reader (pure, no Django).

``canvas_view(document)`` turns a validated canvas document (``canvas.empty_canvas()``'s shape, each unit cleaned
by ``validation.validate_unit``) into a ``CanvasView`` of frozen dataclasses. Slides, charts, the checker, the
Q&A drill and the renderers read that, instead of each re-cleaning ``dict[str, Any]`` with helpers of its own.

What the parse does, and does not do:

- A document written before a key existed (an old revision) gets the value its readers always assumed for a
  missing key: "" for text, None for a number, False for a flag, no rows for a list. Nothing else is invented:
  a number the founder did not give stays None, and text is kept as typed (readers strip or collapse it as
  their layout needs).
- Numbers are kept exactly as stored (an int stays an int), so a chart can still show the figure as typed.
  A value of the wrong type (a bool or text where a number belongs, a non-dict row) reads as not given; a
  validated document has none, and the parse never raises on one that validation accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pitchlab.pitches.canvas import CUSTOM_SLIDE, DECK_THEMES, SLIDE_KINDS, Canvas, empty_brand, slide_row_key

Num = int | float
"""A figure as stored: a JSON integer or number (never a bool)."""

__all__ = [
    "Ask",
    "BusinessItem",
    "CanvasView",
    "Competitor",
    "Competitors",
    "Confusion",
    "Data",
    "DeckSettings",
    "Demo",
    "Example",
    "Experiment",
    "FundUse",
    "Market",
    "MarketSize",
    "Member",
    "Milestone",
    "Num",
    "Risk",
    "SlideSetting",
    "Story",
    "TractionRow",
    "as_view",
    "canvas_view",
]


# --- the view -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Story:
    purpose: str = ""
    origin: str = ""
    customer_pain: str = ""
    conflict: str = ""
    why_now: str = ""
    insight: str = ""
    climax: str = ""
    vision: str = ""
    target_minutes: int | None = None
    """The pitch's length in minutes (one of ``canvas.TARGET_MINUTES``); None when not given."""


@dataclass(frozen=True, slots=True)
class TractionRow:
    period: str
    metric: str
    value: Num | None
    unit: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class MarketSize:
    value: Num | None = None
    source: str = ""
    year: Num | None = None


@dataclass(frozen=True, slots=True)
class Market:
    currency: str = ""
    growth_rate: Num | None = None
    """Percent per year."""
    tam: MarketSize = MarketSize()
    sam: MarketSize = MarketSize()
    som: MarketSize = MarketSize()

    @property
    def sizes(self) -> tuple[tuple[str, MarketSize], ...]:
        """("tam", …), ("sam", …), ("som", …): the three sizes, outermost first."""
        return (("tam", self.tam), ("sam", self.sam), ("som", self.som))


@dataclass(frozen=True, slots=True)
class Competitor:
    name: str
    x: Num | None = None
    y: Num | None = None
    us: bool = False
    """The founder's own company (canvases from before the flag have none: readers match the company's name)."""
    strengths: str = ""
    weaknesses: str = ""


@dataclass(frozen=True, slots=True)
class Competitors:
    x_axis: str = ""
    y_axis: str = ""
    items: tuple[Competitor, ...] = ()


@dataclass(frozen=True, slots=True)
class Confusion:
    """A confusion matrix as stored: one row of counts per label (a count that is no number reads None).

    Whether the matrix is usable (square, counts of 0 or more) is the chart's question (``build_confusion``).
    """

    labels: tuple[str, ...]
    matrix: tuple[tuple[Num | None, ...], ...]


@dataclass(frozen=True, slots=True)
class Experiment:
    model: str
    metric: str
    value: Num | None
    baseline: Num | None = None
    dataset: str = ""
    samples: Num | None = None
    date: str = ""
    """ISO date, "" when not given."""
    measured: bool = False
    """Measured by PitchLab itself (an evaluation), not typed in."""
    device: str = ""
    confusion: Confusion | None = None
    ci_low: Num | None = None
    ci_high: Num | None = None
    ci_method: str = ""
    unit: str = ""
    sample_model: bool = False
    """Measured on one of PitchLab's sample models."""
    overlap: int | None = None
    """How many evaluation inputs were also training examples."""

    def figures(self) -> Mapping[str, object]:
        """The row's figures as the formatters of ``pitches.metrics`` read them (they also serve API rows).

        Only what those formatters look at; a value not given is left out, as a stored row leaves it out.
        """
        row: dict[str, object] = {"metric": self.metric, "unit": self.unit}
        for key, value in (
            ("value", self.value),
            ("baseline", self.baseline),
            ("samples", self.samples),
            ("ci_low", self.ci_low),
            ("ci_high", self.ci_high),
        ):
            if value is not None:
                row[key] = value
        return row


@dataclass(frozen=True, slots=True)
class Data:
    traction: tuple[TractionRow, ...] = ()
    market: Market = Market()
    competitors: Competitors = Competitors()
    experiments: tuple[Experiment, ...] = ()


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class Demo:
    script: str = ""
    examples: tuple[Example, ...] = ()


@dataclass(frozen=True, slots=True)
class Member:
    name: str
    role: str = ""
    bio: str = ""


@dataclass(frozen=True, slots=True)
class FundUse:
    label: str
    percent: Num | None


@dataclass(frozen=True, slots=True)
class Milestone:
    date: str
    """ISO date, "" when not given."""
    text: str


@dataclass(frozen=True, slots=True)
class Ask:
    amount: Num | None = None
    currency: str = ""
    use_of_funds: tuple[FundUse, ...] = ()
    milestones: tuple[Milestone, ...] = ()


@dataclass(frozen=True, slots=True)
class BusinessItem:
    key: str
    """The catalogue key (its title comes from the catalogue, in the reader's language)."""
    status: str
    """One of ``canvas.BUSINESS_STATUSES``."""
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class Risk:
    title: str
    category: str = ""
    likelihood: Num | None = None
    impact: Num | None = None
    response: str = ""
    mitigation: str = ""
    owner: str = ""
    key: str = ""
    """The catalogue key of a catalogue risk; "" for the founder's own."""


@dataclass(frozen=True, slots=True)
class SlideSetting:
    """The founder's setting for one slide, as stored (``decks.slides.deck_settings`` completes the list): a slide
    kind's, or a custom slide's (kind ``canvas.CUSTOM_SLIDE``, named by its ``id``, with its own text, bullets and
    picture). ``layout`` "" lets the slide's content choose; ``overrides`` replace generated texts (headings,
    labels) by slot name; ``bullets`` on a kind's slide are the founder's key points, shown with it."""

    kind: str
    title: str = ""
    notes: str = ""
    seconds: int | None = None
    hidden: bool = False
    id: str = ""
    layout: str = ""
    overrides: tuple[tuple[str, str], ...] = ()
    text: str = ""
    bullets: tuple[str, ...] = ()
    picture: int | None = None

    @property
    def key(self) -> str:
        """The row's name in the deck: its kind, or "custom-<id>" for a custom slide."""
        return slide_row_key(self.kind, self.id)

    def override(self, slot: str) -> str:
        return next((text for name, text in self.overrides if name == slot), "")


@dataclass(frozen=True, slots=True)
class Brand:
    """The deck's brand kit (``deck.brand``); a missing key reads as ``canvas.empty_brand()``'s value."""

    primary: str | None = None
    """``#rrggbb``, or None for the theme's own accent."""
    accent: str | None = None
    """``#rrggbb``, or None for the theme's own highlight."""
    heading_font: str = "noto-sans"
    body_font: str = "noto-sans"
    footer: str = ""
    logo: int | None = None
    """A picture id of the pitch."""
    logo_dark: int | None = None


@dataclass(frozen=True, slots=True)
class DeckSettings:
    slides: tuple[SlideSetting, ...] = ()
    """In the founder's order; empty for the default sequence. Kinds not in ``canvas.SLIDE_KINDS`` (but custom slides
    with an id) are dropped."""
    theme: str = "light"
    """One of ``canvas.DECK_THEMES`` ("light" for a missing or unknown one)."""
    notes_appendix: bool = False
    brand: Brand = Brand()


@dataclass(frozen=True, slots=True)
class CanvasView:
    """A whole validated canvas, typed and immutable (``canvas_view`` builds it)."""

    story: Story = Story()
    data: Data = Data()
    demo: Demo = Demo()
    team: tuple[Member, ...] = ()
    ask: Ask = Ask()
    business: tuple[BusinessItem, ...] = ()
    """In the document's (catalogue) order."""
    risks: tuple[Risk, ...] = ()
    deck: DeckSettings = DeckSettings()

    def business_item(self, key: str) -> BusinessItem | None:
        """The answer for catalogue item ``key``, or None when the canvas has none."""
        return next((item for item in self.business if item.key == key), None)


# --- the parse ----------------------------------------------------------------------------------------------------


def canvas_view(document: Canvas) -> CanvasView:
    """The typed view of a validated canvas ``document``; keys an old revision lacks get their readers' defaults.

    Never raises on a document that validation accepted (nor on ``{}``); a value of the wrong type reads as not
    given (see the module's docstring).
    """
    story, data, demo, ask, deck = (_dict(document.get(key)) for key in ("story", "data", "demo", "ask", "deck"))
    return CanvasView(
        story=_story(story),
        data=Data(
            traction=tuple(
                TractionRow(
                    period=_text(row.get("period")),
                    metric=_text(row.get("metric")),
                    value=_num(row.get("value")),
                    unit=_text(row.get("unit")),
                    source=_text(row.get("source")),
                )
                for row in _rows(data.get("traction"))
            ),
            market=_market(_dict(data.get("market"))),
            competitors=_competitors(_dict(data.get("competitors"))),
            experiments=tuple(_experiment(row) for row in _rows(data.get("experiments"))),
        ),
        demo=Demo(
            script=_text(demo.get("script")),
            examples=tuple(
                Example(text=_text(row.get("text")), label=_text(row.get("label")))
                for row in _rows(demo.get("examples"))
            ),
        ),
        team=tuple(
            Member(name=_text(row.get("name")), role=_text(row.get("role")), bio=_text(row.get("bio")))
            for row in _rows(document.get("team"))
        ),
        ask=Ask(
            amount=_num(ask.get("amount")),
            currency=_text(ask.get("currency")),
            use_of_funds=tuple(
                FundUse(label=_text(row.get("label")), percent=_num(row.get("percent")))
                for row in _rows(ask.get("use_of_funds"))
            ),
            milestones=tuple(
                Milestone(date=_text(row.get("date")), text=_text(row.get("text")))
                for row in _rows(ask.get("milestones"))
            ),
        ),
        business=tuple(
            BusinessItem(key=key, status=_text(answer.get("status")), evidence=_text(answer.get("evidence")))
            for key, answer in _dict(document.get("business")).items()
            if isinstance(key, str) and isinstance(answer, dict)
        ),
        risks=tuple(
            Risk(
                title=_text(row.get("title")),
                category=_text(row.get("category")),
                likelihood=_num(row.get("likelihood")),
                impact=_num(row.get("impact")),
                response=_text(row.get("response")),
                mitigation=_text(row.get("mitigation")),
                owner=_text(row.get("owner")),
                key=_text(row.get("key")),
            )
            for row in _rows(document.get("risks"))
        ),
        deck=_deck(deck),
    )


def as_view(canvas: CanvasView | Canvas) -> CanvasView:
    """``canvas`` as a ``CanvasView``: a view as it is, a validated document parsed once.

    Transitional: the decks' entry points (``build_deck``, ``deck_settings``, ``build_chart``, ``chart_input``)
    still accept a raw document while their callers move to passing a view; once they all do, this goes.
    """
    return canvas if isinstance(canvas, CanvasView) else canvas_view(canvas)


def _story(story: dict[str, Any]) -> Story:
    minutes = story.get("target_minutes")
    return Story(
        purpose=_text(story.get("purpose")),
        origin=_text(story.get("origin")),
        customer_pain=_text(story.get("customer_pain")),
        conflict=_text(story.get("conflict")),
        why_now=_text(story.get("why_now")),
        insight=_text(story.get("insight")),
        climax=_text(story.get("climax")),
        vision=_text(story.get("vision")),
        target_minutes=minutes if isinstance(minutes, int) and not isinstance(minutes, bool) else None,
    )


def _market(market: dict[str, Any]) -> Market:
    def size(key: str) -> MarketSize:
        entry = _dict(market.get(key))
        return MarketSize(
            value=_num(entry.get("value")), source=_text(entry.get("source")), year=_num(entry.get("year"))
        )

    return Market(
        currency=_text(market.get("currency")),
        growth_rate=_num(market.get("growth_rate")),
        tam=size("tam"),
        sam=size("sam"),
        som=size("som"),
    )


def _competitors(competitors: dict[str, Any]) -> Competitors:
    return Competitors(
        x_axis=_text(competitors.get("x_axis")),
        y_axis=_text(competitors.get("y_axis")),
        items=tuple(
            Competitor(
                name=_text(row.get("name")),
                x=_num(row.get("x")),
                y=_num(row.get("y")),
                us=_flag(row.get("us")),
                strengths=_text(row.get("strengths")),
                weaknesses=_text(row.get("weaknesses")),
            )
            for row in _rows(competitors.get("items"))
        ),
    )


def _experiment(row: dict[str, Any]) -> Experiment:
    overlap = row.get("overlap")
    return Experiment(
        model=_text(row.get("model")),
        metric=_text(row.get("metric")),
        value=_num(row.get("value")),
        baseline=_num(row.get("baseline")),
        dataset=_text(row.get("dataset")),
        samples=_num(row.get("samples")),
        date=_text(row.get("date")),
        measured=_flag(row.get("measured")),
        device=_text(row.get("device")),
        confusion=_confusion(row.get("confusion")),
        ci_low=_num(row.get("ci_low")),
        ci_high=_num(row.get("ci_high")),
        ci_method=_text(row.get("ci_method")),
        unit=_text(row.get("unit")),
        sample_model=_flag(row.get("sample_model")),
        overlap=overlap if isinstance(overlap, int) and not isinstance(overlap, bool) else None,
    )


def _confusion(value: object) -> Confusion | None:
    """The stored matrix, or None when it has not even the shape of one (labels and a list of rows)."""
    if not isinstance(value, dict):
        return None
    labels, matrix = value.get("labels"), value.get("matrix")
    if not isinstance(labels, list) or not isinstance(matrix, list) or not all(isinstance(r, list) for r in matrix):
        return None
    return Confusion(
        labels=tuple(label if isinstance(label, str) else "" if label is None else str(label) for label in labels),
        matrix=tuple(tuple(_num(cell) for cell in cells) for cells in matrix),
    )


def _deck(deck: dict[str, Any]) -> DeckSettings:
    theme = deck.get("theme")
    return DeckSettings(
        slides=tuple(
            SlideSetting(
                kind=row["kind"],
                title=_text(row.get("title")),
                notes=_text(row.get("notes")),
                seconds=_whole(row.get("seconds")),
                hidden=_flag(row.get("hidden")),
                id=_text(row.get("id")),
                layout=_text(row.get("layout")),
                overrides=tuple(
                    (slot, text) for slot, text in _dict(row.get("overrides")).items() if isinstance(text, str) and text
                ),
                text=_text(row.get("text")),
                bullets=tuple(item for item in _list(row.get("bullets")) if isinstance(item, str) and item.strip()),
                picture=_whole(row.get("picture")),
            )
            for row in _rows(deck.get("slides"))
            if row.get("kind") in SLIDE_KINDS or (row.get("kind") == CUSTOM_SLIDE and _text(row.get("id")))
        ),
        theme=theme if isinstance(theme, str) and theme in DECK_THEMES else "light",
        notes_appendix=_flag(deck.get("notes_appendix")),
        brand=_brand(_dict(deck.get("brand"))),
    )


def _brand(brand: dict[str, Any]) -> Brand:
    defaults = empty_brand()

    def colour(key: str) -> str | None:
        value = brand.get(key)
        return value if isinstance(value, str) and value else None

    def font(key: str) -> str:
        value = brand.get(key)
        return value if isinstance(value, str) and value else str(defaults[key])

    def picture(key: str) -> int | None:
        value = brand.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    return Brand(
        primary=colour("primary"),
        accent=colour("accent"),
        heading_font=font("heading_font"),
        body_font=font("body_font"),
        footer=_text(brand.get("footer")),
        logo=picture("logo"),
        logo_dark=picture("logo_dark"),
    )


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _rows(value: object) -> list[dict[str, Any]]:
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _num(value: object) -> Num | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _flag(value: object) -> bool:
    return value is True
