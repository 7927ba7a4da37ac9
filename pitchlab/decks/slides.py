"""The slide model: a pitch's canvas becomes one ordered list of slides (pure).

The web deck, the presenter view and the PDF all render this one list, so they cannot disagree.
The founder's deck settings (order, hidden slides, titles, notes, seconds, theme) live in the
canvas under ``deck`` and travel with it through export and import.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pitchlab.core.numbers import finite, money
from pitchlab.decks.charts.build_confusion import confusion_experiment
from pitchlab.decks.charts.build_funds import funds_shown
from pitchlab.decks.deck_pictures import MAX_PEOPLE, NO_PICTURES, DeckPicture, DeckPictures, match_headshots
from pitchlab.demos.stage import StageModel
from pitchlab.pitches.canvas import CUSTOM_SLIDE, SLIDE_KINDS, Canvas
from pitchlab.pitches.metrics import format_baseline, format_figure, format_interval, format_samples, is_small_sample
from pitchlab.pitches.read_model import Brand, CanvasView, Experiment, Num, SlideSetting, as_view

BlockKind = Literal[
    "lead", "text", "bullets", "chart", "metrics", "table", "demo", "live_demo", "picture", "people", "statement"
]
# What a table column holds, for renderers that do more than a grid: the record's heading, its accent line, a
# baseline on that line (labelled as one), or its body. A table without roles reads ("head", "sub", "body", …).
ColumnRole = Literal["head", "sub", "baseline", "body"]


@dataclass(frozen=True)
class Person:
    """A team member as the team slide shows them: a headshot when the pitch has one for them."""

    name: str
    role: str = ""
    bio: str = ""
    photo: DeckPicture | None = None


def initials(name: str) -> str:
    """What a person's circle shows without a headshot, on every renderer: the first letters of their first and
    last names ("Ada Lovelace" → "AL"), or the first character of a one-word name (a Chinese name's family
    name); "" for a blank name. Words that do not start with a letter ("🚀", "(CTO)", "#1") are not names."""
    words = [word for word in name.split() if word[0].isalpha()]
    if not words:
        return ""
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


@dataclass(frozen=True)
class Source:
    """Where a text on a slide comes from, so that an edit made on the slide is written there: a canvas ``unit``,
    a ``pointer`` inside it ("2/bio" in "team"; in "deck.slides" the first step is the slide's row key, the kind
    or "custom-<id>", as ``Slide.row``), and whether the text shown is ``generated`` (a heading, a label, a default
    title: an edit stores an override, and clearing it goes back to the generated text)."""

    unit: str
    pointer: str = ""
    generated: bool = False


@dataclass(frozen=True)
class Block:
    """One piece of a slide's content. ``chart`` names a chart kind (charts.build.ALL_CHART_KINDS).

    A "live_demo" block carries its demo model in ``demo`` (one per live demo slide); a "picture" block one or
    more pictures in ``pictures`` (a figure: screenshots, the cover); a "people" block the team in ``people``;
    a "statement" block one paragraph set large (``text``), the slide's whole point.
    """

    kind: BlockKind
    text: str = ""
    heading: str = ""
    items: tuple[str, ...] = ()
    chart: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    demo: StageModel | None = None
    columns: tuple[ColumnRole, ...] = ()  # a "table" block's column roles; () for the default
    pictures: tuple[DeckPicture, ...] = ()
    people: tuple[Person, ...] = ()
    slot: str = ""
    """The name of this block's generated text (its heading; a metrics block's first label) among the slide's
    overrides (``SlideSetting.overrides``): "heading.origin", "label.figure"; "" when it has none."""
    sources: tuple[tuple[str, Source], ...] = ()
    """Where each editable part's text comes from: "text", "heading", "item.<i>", "label.<i>", "person.<i>.name",
    "person.<i>.role", "person.<i>.bio". A part without one is not editable on the slide."""

    def source(self, part: str) -> Source | None:
        return next((source for name, source in self.sources if name == part), None)


@dataclass(frozen=True)
class Slide:
    """One slide. ``layout`` names how its blocks are arranged (renderers key their drawers on it); it defaults to
    its kind's layout (``LAYOUTS``)."""

    kind: str
    title: str
    blocks: tuple[Block, ...]
    notes: str
    seconds: int
    number: int = 0
    layout: str = ""
    row: str = ""
    """The key of the founder's ``deck.slides`` row this slide comes from (``SlideSetting.key``): its kind, or
    "custom-<id>"; every live demo slide comes from the "demo" row."""
    layouts: tuple[str, ...] = ()
    """The layouts the founder may choose for this slide (``layout_choices``); () for none (a live demo slide)."""
    chosen: bool = False
    """Whether ``layout`` is the founder's choice (else the slide's content chose it)."""
    sources: tuple[tuple[str, Source], ...] = ()
    """Where the slide's own editable texts live: "title", "notes", "seconds" (``Block.sources``)."""

    def __post_init__(self) -> None:
        if not self.layout:
            object.__setattr__(self, "layout", LAYOUTS.get(self.kind, "text"))
        if not self.row:
            object.__setattr__(self, "row", self.kind)

    @property
    def key(self) -> str:
        """The slide's name within its deck: its kind, "custom-<id>" for a custom slide, or "demo-<model id>" for
        a live demo slide.

        Unique in a deck and stable when slides are reordered, so rehearsals can compare the same slide over time.
        """
        for block in self.blocks:
            if block.kind == "live_demo" and block.demo is not None:
                return f"demo-{block.demo.id}"
        return self.row if self.kind == CUSTOM_SLIDE else self.kind

    def source(self, part: str) -> Source | None:
        return next((source for name, source in self.sources if name == part), None)


@dataclass(frozen=True)
class Omitted:
    kind: str
    reason_en: str
    reason_zh: str


@dataclass(frozen=True)
class Deck:
    company: str
    purpose: str
    slides: tuple[Slide, ...]
    omitted: tuple[Omitted, ...] = ()
    hidden: tuple[str, ...] = ()
    theme: str = "light"
    brand: Brand = field(default_factory=Brand)
    pictures: DeckPictures = NO_PICTURES
    """The logo (title slide and every footer), cover, screenshots and headshots the slides place."""
    notes_appendix: bool = False
    target_seconds: int = 300
    lang: str = "en"
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def planned_seconds(self) -> int:
        return sum(slide.seconds for slide in self.slides)


# kind: (weight, English title, Chinese title)
SEQUENCE: dict[str, tuple[float, str, str]] = {
    "title": (0.5, "", ""),
    "problem": (1.0, "The problem", "问题"),
    "story": (1.0, "Why we started", "我们为什么做这件事"),
    "solution": (1.2, "Our solution", "我们的方案"),
    "demo": (1.5, "Live demo", "现场演示"),
    "traction": (1.0, "Traction", "增长"),
    "market": (0.8, "Market", "市场"),
    "competition": (0.8, "Competition", "竞争"),
    "performance": (0.8, "Model performance", "模型表现"),
    "business": (0.8, "Business model", "商业模式"),
    "team": (0.6, "Team", "团队"),
    "risks": (0.8, "Risks and mitigations", "风险与应对"),
    "roadmap": (0.6, "Roadmap", "路线图"),
    "ask": (0.8, "The ask", "融资需求"),
}
MIN_SECONDS = 5
# With live demo models the "demo" kind weighs its usual 1.5 for the first model and this much more for each
# further one: a second model needs its own minute on stage, but must not swallow the rest of the pitch.
DEMO_WEIGHT_MORE = 0.75
assert tuple(SEQUENCE) == SLIDE_KINDS, "the default sequence names every slide kind once, in order"


def _s(value: str) -> str:
    return value.strip()


def _level(value: Num) -> int:
    """A likelihood or impact as the 1–5 the canvas allows (anything stored before its bounds is brought inside)."""
    if isinstance(value, float):  # an int is compared as it is: math.isfinite(10**400) overflows
        if not math.isfinite(value):
            return 1
        value = round(value)
    level: int = min(5, max(1, value))
    return level


def _provenance(row: Experiment, zh: bool) -> str:
    """Where an experiment's figures come from: "n = 2,000 · dataset", a "small sample" mark when it is one
    (``metrics.is_small_sample``), and for a PitchLab measurement who, when, where.

    n and the mark come first: where a narrow slide cuts the line short, the dataset's name is what is cut.
    """
    lang = "zh" if zh else "en"
    parts = [format_samples(row.figures(), lang) or "n = ?"]
    if is_small_sample(row.figures()):
        parts.append("样本量小" if zh else "small sample")
    parts.append(_s(row.dataset))
    if row.sample_model:
        parts.append("PitchLab 示例模型" if zh else "PitchLab sample model")
    if row.overlap is not None and row.overlap > 0:
        en = f"{row.overlap} evaluation inputs were training examples"
        parts.append(f"{row.overlap} 条评估输入也在训练集中" if zh else en)
    if row.measured:
        parts += ["PitchLab 实测" if zh else "measured by PitchLab", _s(row.date), _s(row.device)]
    return " · ".join(part for part in parts if part)


def _experiment_value(row: Experiment, zh: bool) -> str:
    """An experiment's figure in the deck's language with its unit and, when it has one, its 95 % interval:
    "80% (95% CI 49–94.3%)", "14.0 ms", "91%"."""
    lang = "zh" if zh else "en"
    interval = format_interval(row.figures(), lang)
    figure = format_figure(row.figures(), lang)
    return f"{figure} ({interval})" if interval else figure


def _texts(*rows: tuple[str, str, str, str]) -> tuple[Block, ...]:
    """Text blocks from (slot, heading, canvas unit, text) rows, those with text: each heading overridable by its
    slot ("" for none), each text editable on the slide where it lives."""
    return tuple(
        Block("text", heading=heading, text=text, slot=slot, sources=(("text", Source(unit)),))
        for slot, heading, unit, text in rows
        if text
    )


# --- one builder per slide kind --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SlideContext:
    """What a slide builder needs besides the canvas: the company's name, the language and catalogue titles."""

    company: str
    zh: bool
    titles: Mapping[str, str]
    """Business-model item titles by catalogue key, in the deck's language."""
    pictures: DeckPictures = NO_PICTURES
    layout: str = ""
    """The layout the founder chose for the slide being built ("" for the content's): a builder may shape its
    blocks for it (the ask set as a big number shows the amount as its figure)."""

    def label(self, en: str, cn: str) -> str:
        return cn if self.zh else en


SlideBuilder = Callable[[CanvasView, SlideContext], tuple[Block, ...]]


LayoutChoice = Callable[[tuple[Block, ...]], str | None]


@dataclass(frozen=True, slots=True)
class SlideKind:
    """A slide kind: its builder (no blocks: nothing to show yet), its default layout, what to fill in when it
    has nothing to show (en, zh), the layout its content calls for instead (``choose``: None for the default),
    the other layouts a founder may pick for it (``offers``, after the default) and the slots of its generated
    texts a founder may override (``slots``, besides the title)."""

    build: SlideBuilder
    layout: str
    empty_en: str = ""
    empty_zh: str = ""
    choose: LayoutChoice | None = None
    offers: tuple[str, ...] = ()
    slots: tuple[str, ...] = ()

    def layout_for(self, blocks: tuple[Block, ...]) -> str:
        chosen = self.choose(blocks) if self.choose is not None else None
        return chosen or self.layout

    @property
    def layouts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.layout, *self.offers)))


def _title(canvas: CanvasView, ctx: SlideContext) -> tuple[Block, ...]:
    cover = ctx.pictures.cover
    return (
        Block("lead", text=ctx.company),
        *_texts(("", "", "story.purpose", _s(canvas.story.purpose))),
        *((Block("picture", pictures=(cover,)),) if cover else ()),
    )


def _problem_figure(canvas: CanvasView, ctx: SlideContext) -> Block | None:
    """The size of the pain in the canvas' own figures, to stand large beside it: the serviceable market (the
    customers who have it), else the total one."""
    market = canvas.data.market
    for size, en, zh in ((market.sam, "serviceable market", "可服务市场"), (market.tam, "total market", "总市场")):
        figure = finite(size.value)
        if figure is not None and figure > 0:
            amount = money(figure, _s(market.currency), "zh" if ctx.zh else "en")
            return Block("metrics", rows=((ctx.label(en, zh), amount),), slot="label.figure")
    return None


def _problem(canvas: CanvasView, ctx: SlideContext) -> tuple[Block, ...]:
    """The pain as a statement set large (one paragraph on a slide reads as the point, not as a page of text),
    with the size of the pain beside it when the canvas has one."""
    pain = _s(canvas.story.customer_pain)
    if not pain:
        return ()
    figure = _problem_figure(canvas, ctx)
    statement = Block(
        "statement",
        heading=ctx.label("Customer and pain", "客户与痛点"),
        text=pain,
        slot="heading.pain",
        sources=(("text", Source("story.customer_pain")),),
    )
    return (statement,) + ((figure,) if figure else ())


def _story(canvas: CanvasView, ctx: SlideContext) -> tuple[Block, ...]:
    story = canvas.story
    return _texts(
        ("heading.origin", ctx.label("Origin", "缘起"), "story.origin", _s(story.origin)),
        ("heading.conflict", ctx.label("What stands in the way", "阻碍"), "story.conflict", _s(story.conflict)),
        ("heading.why_now", ctx.label("Why now", "为什么是现在"), "story.why_now", _s(story.why_now)),
    )


def _solution(canvas: CanvasView, ctx: SlideContext) -> tuple[Block, ...]:
    text = _texts(
        ("", "", "story.climax", _s(canvas.story.climax)),
        ("heading.insight", ctx.label("Our insight", "我们的洞察"), "story.insight", _s(canvas.story.insight)),
    )
    shots = ctx.pictures.screenshots
    return (*text, Block("picture", pictures=shots)) if shots else text


def _demo(canvas: CanvasView, ctx: SlideContext) -> tuple[Block, ...]:
    shown = [(index, _s(row.text)) for index, row in enumerate(canvas.demo.examples) if _s(row.text)][:6]
    script = _s(canvas.demo.script)
    if not shown and not script:
        return ()
    examples = tuple((f"item.{at}", Source("demo.examples", f"{index}/text")) for at, (index, _) in enumerate(shown))
    sources = (("text", Source("demo.script")), *examples)
    return (Block("demo", text=script, items=tuple(text for _, text in shown), sources=sources),)


def _chart_of(kind: str, shown: Callable[[CanvasView], bool]) -> SlideBuilder:
    def build(canvas: CanvasView, ctx: SlideContext) -> tuple[Block, ...]:
        return (Block("chart", chart=kind),) if shown(canvas) else ()

    return build


def _performance(canvas: CanvasView, ctx: SlideContext) -> tuple[Block, ...]:
    results = [row for row in canvas.data.experiments if row.value is not None]
    if not results:
        return ()
    lang = "zh" if ctx.zh else "en"
    table = tuple(
        (
            _s(r.model),
            _s(r.metric),
            _experiment_value(r, ctx.zh),
            format_baseline(r.figures(), lang),
            _provenance(r, ctx.zh),
        )
        # PitchLab's own measurements first: the strongest evidence should not be the row left out.
        for r in sorted(results, key=lambda r: not r.measured)
    )
    charts: tuple[Block, ...] = (Block("chart", chart="performance"),)
    if confusion_experiment(canvas) is not None:
        charts += (Block("chart", chart="confusion"),)
    return (*charts, Block("table", rows=table, columns=("head", "sub", "sub", "baseline", "body")))


def _business(canvas: CanvasView, ctx: SlideContext) -> tuple[Block, ...]:
    done = [
        f"{ctx.titles.get(item.key) or item.key.replace('_', ' ').capitalize()}: {_s(item.evidence)}"
        for item in canvas.business
        if item.status in ("done", "partial") and _s(item.evidence)
    ]
    return (Block("bullets", items=tuple(done[:6])),) if done else ()


def _team(canvas: CanvasView, ctx: SlideContext) -> tuple[Block, ...]:
    """The team as people, each with their headshot when the pitch has one (``match_headshots``)."""
    members = canvas.team[:MAX_PEOPLE]
    if not members:
        return ()
    photos = match_headshots([_s(m.name) for m in members], ctx.pictures.headshots)
    people = tuple(Person(_s(m.name), _s(m.role), _s(m.bio), photo) for m, photo in zip(members, photos, strict=True))
    sources = tuple(
        (f"person.{index}.{part}", Source("team", f"{index}/{part}"))
        for index in range(len(people))
        for part in ("name", "role", "bio")
    )
    return (Block("people", people=people, sources=sources),)


def _risks(canvas: CanvasView, ctx: SlideContext) -> tuple[Block, ...]:
    scored = [(r, r.likelihood, r.impact) for r in canvas.risks if r.likelihood and r.impact]
    if not scored:
        return ()
    top = sorted(scored, key=lambda s: -(_level(s[1]) * _level(s[2])))[:4]
    items = tuple(
        f"{_s(r.title)} — {_s(r.mitigation) or ctx.label('no mitigation yet', '暂无应对')}" for r, _, _ in top
    )
    return (Block("chart", chart="risks"), Block("bullets", items=items))


def _roadmap(canvas: CanvasView, ctx: SlideContext) -> tuple[Block, ...]:
    steps = tuple((_s(m.date), _s(m.text)) for m in canvas.ask.milestones[:6])
    vision = _s(canvas.story.vision)
    return (
        *((Block("table", rows=steps),) if steps else ()),
        *_texts(("heading.vision", ctx.label("Vision", "愿景"), "story.vision", vision)),
    )


def _ask(canvas: CanvasView, ctx: SlideContext) -> tuple[Block, ...]:
    ask = canvas.ask
    if ask.amount is None and not ask.use_of_funds:
        return ()
    parts: list[Block] = []
    chart = funds_shown(canvas)
    figure = finite(ask.amount)
    # The use-of-funds donut carries a positive amount in its hole: the slide says the amount once, unless the
    # founder set the slide as a big number, whose figure it is.
    if figure is not None and (ctx.layout == "big_number" or not (chart and figure > 0)):
        raising = money(figure, _s(ask.currency), "zh" if ctx.zh else "en")
        parts.append(Block("metrics", rows=((ctx.label("Raising", "本轮融资"), raising),), slot="label.raising"))
    if chart:
        parts.append(Block("chart", chart="funds"))
    return tuple(parts)


def _people_count(blocks: tuple[Block, ...]) -> int:
    return sum(len(block.people) for block in blocks if block.kind == "people")


def _has(*kinds: BlockKind) -> Callable[[tuple[Block, ...]], bool]:
    return lambda blocks: any(block.kind in kinds for block in blocks)


def _problem_layout(blocks: tuple[Block, ...]) -> str | None:
    """A problem with the size of the pain: the number set large (the big-number layout)."""
    return "big_number" if _has("metrics")(blocks) else None


def _solution_layout(blocks: tuple[Block, ...]) -> str | None:
    """Screenshots: the gallery; one screenshot beside the text is a text-and-picture slide."""
    shots = sum(len(block.pictures) for block in blocks if block.kind == "picture")
    return "gallery" if shots > 1 else "text_picture" if shots == 1 else None


def _team_layout(blocks: tuple[Block, ...]) -> str | None:
    """Two or three people stand in as many columns, not in a half-empty grid."""
    return "columns" if 0 < _people_count(blocks) <= 3 else None


def _custom_layout(blocks: tuple[Block, ...]) -> str | None:
    """A custom slide's layout by what it holds: a picture alone fills the slide; a picture with words stands
    beside them; one short text alone is a quote; many bullets spread over columns."""
    pictures = _has("picture")(blocks)
    words = [block for block in blocks if block.kind in ("text", "bullets")]
    if pictures:
        return "text_picture" if words else "picture_full"
    items = sum(len(block.items) for block in words)
    if len(words) == 1 and words[0].kind == "text" and len(words[0].text) <= 160:
        return "quote"
    return "columns" if items > 5 else None


def _market_shown(canvas: CanvasView) -> bool:
    return any(size.value is not None for _, size in canvas.data.market.sizes)


def _custom(row: SlideSetting, ctx: SlideContext) -> tuple[Block, ...]:
    """A founder's own slide: its text, its bullets and its picture (one of the pitch's pictures, by id; one
    deleted since leaves the slide without it)."""
    blocks: list[Block] = []
    if _s(row.text):
        blocks.append(Block("text", text=_s(row.text), sources=(("text", Source(DECK_SLIDES, f"{row.key}/text")),)))
    blocks += _points(row, heading="")
    picture = ctx.pictures.library.get(row.picture) if row.picture is not None else None
    if picture is not None:
        blocks.append(Block("picture", pictures=(picture,)))
    return tuple(blocks)


def _points(row: SlideSetting, *, heading: str) -> tuple[Block, ...]:
    """The founder's bullets on a slide (a custom slide's; a kind's slide's key points, under ``heading``)."""
    if not row.bullets:
        return ()
    sources = tuple(
        (f"item.{index}", Source(DECK_SLIDES, f"{row.key}/bullets/{index}")) for index in range(len(row.bullets))
    )
    slot = "heading.points" if heading else ""
    return (Block("bullets", heading=heading, items=row.bullets, slot=slot, sources=sources),)


DECK_SLIDES = "deck.slides"
_WORDS = ("text", "columns", "quote")  # what any slide of words may also be set as
_CHARTS = ("chart_takeaways", "columns")

KINDS: dict[str, SlideKind] = {
    "title": SlideKind(_title, "title"),
    "problem": SlideKind(
        _problem,
        "statement",
        "Fill in customer and pain in the story.",
        "请在故事中填写客户与痛点。",
        choose=_problem_layout,
        offers=("big_number", "quote", "text", "text_picture"),
        slots=("heading.pain", "label.figure"),
    ),
    "story": SlideKind(
        _story,
        "text",
        "Fill in origin, conflict or why now.",
        "请填写缘起、冲突或时机。",
        offers=(*_WORDS, "text_picture"),
        slots=("heading.origin", "heading.conflict", "heading.why_now"),
    ),
    "solution": SlideKind(
        _solution,
        "text",
        "Fill in solution and climax.",
        "请填写方案与高潮。",
        choose=_solution_layout,
        offers=("gallery", "text_picture", "picture_full", "columns", "quote"),
        slots=("heading.insight",),
    ),
    "demo": SlideKind(
        _demo,
        "demo",
        "Add a demo script or curated examples.",
        "请添加演示脚本或示例输入。",
        offers=("text", "columns"),
    ),
    "traction": SlideKind(
        _chart_of("traction", lambda c: bool(c.data.traction)),
        "chart",
        "Add traction rows in the data section.",
        "请在数据部分添加增长数据。",
        offers=_CHARTS,
    ),
    "market": SlideKind(
        _chart_of("market", _market_shown),
        "chart",
        "Add TAM, SAM or SOM values.",
        "请添加 TAM、SAM 或 SOM 数值。",
        offers=_CHARTS,
    ),
    "competition": SlideKind(
        _chart_of("competition", lambda c: bool(c.data.competitors.items)),
        "chart",
        "Add competitors with scores on two axes.",
        "请添加竞争对手及两个维度的评分。",
        offers=_CHARTS,
    ),
    "performance": SlideKind(
        _performance, "chart_table", "Add experiment results.", "请添加实验结果。", offers=("chart_takeaways",)
    ),
    "business": SlideKind(
        _business,
        "bullets",
        "Mark business-model items done with evidence.",
        "请在商业模式清单中填写已完成项及证据。",
        offers=("columns", "text"),
    ),
    "team": SlideKind(
        _team, "people", "Add team members.", "请添加团队成员。", choose=_team_layout, offers=("columns", "text")
    ),
    "risks": SlideKind(
        _risks,
        "chart_bullets",
        "Rate risks for likelihood and impact.",
        "请为风险评估可能性与影响。",
        offers=("chart_takeaways", "columns"),
    ),
    "roadmap": SlideKind(
        _roadmap,
        "timeline",
        "Add milestones or a vision.",
        "请添加里程碑或愿景。",
        offers=("columns", "text"),
        slots=("heading.vision",),
    ),
    "ask": SlideKind(
        _ask,
        "ask",
        "Add the amount you raise and the use of funds.",
        "请填写融资金额与资金用途。",
        offers=("big_number", "chart_takeaways"),
        slots=("label.raising",),
    ),
}
CUSTOM_LAYOUT = "text"
CUSTOM_LAYOUTS = ("text", "text_picture", "picture_full", "columns", "quote", "big_number", "bullets")
LIVE_DEMO_LAYOUT = "live_demo"
LAYOUTS: dict[str, str] = {kind: entry.layout for kind, entry in KINDS.items()}
"""The default layout of each slide kind (a live demo slide's is ``LIVE_DEMO_LAYOUT``)."""
POINTS_SLOT = "heading.points"
"""The heading of a kind's slide's key points (the founder's bullets on it): every kind's slide may have them."""
assert tuple(KINDS) == SLIDE_KINDS, "one builder per slide kind, in the default order"


def layout_choices(kind: str) -> tuple[str, ...]:
    """The layouts a founder may choose for a slide of ``kind`` (``canvas.CUSTOM_SLIDE`` included), the
    default first; () for an unknown kind."""
    if kind == CUSTOM_SLIDE:
        return CUSTOM_LAYOUTS
    entry = KINDS.get(kind)
    return entry.layouts if entry is not None else ()


def override_slots(kind: str) -> tuple[str, ...]:
    """The generated texts of a slide of ``kind`` a founder may override, by slot name."""
    entry = KINDS.get(kind)
    return (*(entry.slots if entry is not None else ()), POINTS_SLOT) if kind != CUSTOM_SLIDE else ()


ALL_LAYOUTS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [*(layout for kind in (*SLIDE_KINDS, CUSTOM_SLIDE) for layout in layout_choices(kind)), LIVE_DEMO_LAYOUT]
    )
)
"""Every layout a slide may have: each renderer draws each one (a test holds them to it)."""


def custom_pictures(canvas: CanvasView | Canvas) -> set[int]:
    """The picture ids the deck's shown custom slides name (a deleted picture's id among them: callers look the
    ids up in the pitch's pictures)."""
    return {
        row.picture
        for row in as_view(canvas).deck.slides
        if row.kind == CUSTOM_SLIDE and not row.hidden and row.picture is not None
    }


def deck_slide_listing(deck: Deck, canvas: CanvasView | Canvas) -> dict[str, Any]:
    """The deck's slides in order, the rows of ``canvas``' ``deck.slides`` the founder hid, and the kinds left out
    for want of content: what the deck slides API answers."""
    by_key = {row.key: row for row in as_view(canvas).deck.slides}
    slides = [
        {
            "number": slide.number,
            "key": slide.key,
            "row": slide.row,
            "kind": slide.kind,
            "title": slide.title,
            "layout": slide.layout,
            "layouts": list(slide.layouts),
            "chosen": slide.chosen,
            "seconds": slide.seconds,
            "notes": slide.notes,
            "hidden": False,
        }
        for slide in deck.slides
    ]
    hidden = [
        {
            "row": key,
            "kind": row.kind,
            "title": row.title,
            "layout": row.layout,
            "layouts": list(layout_choices(row.kind)),
            "hidden": True,
        }
        for key in deck.hidden
        if (row := by_key.get(key)) is not None
    ]
    zh = deck.lang == "zh"
    omitted = [{"kind": item.kind, "reason": item.reason_zh if zh else item.reason_en} for item in deck.omitted]
    return {"slides": slides, "hidden": hidden, "omitted": omitted}


def slide_labels(lang: str = "en") -> dict[str, str]:
    """A readable name per slide kind."""
    names = {kind: (titles[2] if lang == "zh" else titles[1]) for kind, titles in SEQUENCE.items()}
    names["title"] = "封面" if lang == "zh" else "Title"
    return names


def _default_notes(kind: str, canvas: CanvasView) -> str:
    story = canvas.story
    source = {
        "title": story.purpose,
        "problem": story.customer_pain,
        "story": story.origin,
        "solution": story.climax,
        "roadmap": story.vision,
        "demo": canvas.demo.script,
    }.get(kind, "")
    return _s(source)


def _completed(canvas: CanvasView) -> tuple[SlideSetting, ...]:
    """Every slide kind once and every custom slide: the founder's rows in their order, kinds they never set
    appended (a row named twice counts once, the first)."""
    by_key = {row.key: row for row in reversed(canvas.deck.slides)}
    order = list(dict.fromkeys(row.key for row in canvas.deck.slides))
    return tuple(by_key[key] for key in order) + tuple(SlideSetting(kind) for kind in KINDS if kind not in by_key)


def setting_json(row: SlideSetting) -> dict[str, Any]:
    """A slide row as ``deck.slides`` stores it (what the editor and Edit mode read and write back whole)."""
    value: dict[str, Any] = {
        "kind": row.kind,
        "title": row.title,
        "notes": row.notes,
        "seconds": row.seconds,
        "hidden": row.hidden,
        "layout": row.layout,
        "overrides": dict(row.overrides),
        "bullets": list(row.bullets),
    }
    if row.kind == CUSTOM_SLIDE:
        value.update(id=row.id, text=row.text, picture=row.picture)
    return value


def deck_settings(canvas: CanvasView | Canvas) -> dict[str, Any]:
    """The founder's deck settings, completed: every slide kind once and every custom slide, in their order, new
    kinds appended.

    A JSON-friendly dict for the editor's deck panel. A raw validated document is still accepted (transitional).
    """
    view = as_view(canvas)
    return {
        "slides": [setting_json(row) for row in _completed(view)],
        "theme": view.deck.theme,
        "notes_appendix": view.deck.notes_appendix,
    }


CUSTOM_WEIGHT = 0.8
"""A custom slide's share of the pitch's minutes, as a kind's weight in ``SEQUENCE``."""


def _overridden(blocks: tuple[Block, ...], row: SlideSetting) -> tuple[Block, ...]:
    """``blocks`` with the founder's overrides of their generated texts (``Block.slot``) in place, each block's
    generated text editable on the slide as an override in the row."""

    def apply(block: Block) -> Block:
        if not block.slot:
            return block
        text = row.override(block.slot)
        source = Source(DECK_SLIDES, f"{row.key}/overrides/{block.slot}", generated=not text)
        if block.kind == "metrics" and block.rows:
            first = ((text or block.rows[0][0]), *block.rows[0][1:])
            return replace(block, rows=(first, *block.rows[1:]), sources=(*block.sources, ("label.0", source)))
        return replace(block, heading=text or block.heading, sources=(*block.sources, ("heading", source)))

    return tuple(apply(block) for block in blocks)


def _row_sources(row: SlideSetting, *, generated_title: bool) -> tuple[tuple[str, Source], ...]:
    """Where a slide's title, notes and seconds are edited: its row of ``deck.slides``."""
    return (
        ("title", Source(DECK_SLIDES, f"{row.key}/title", generated=generated_title)),
        ("notes", Source(DECK_SLIDES, f"{row.key}/notes", generated=not _s(row.notes))),
        ("seconds", Source(DECK_SLIDES, f"{row.key}/seconds", generated=row.seconds is None)),
    )


def _plan(slides: list[tuple[str, int | None]], target: int, weights: dict[str, float]) -> dict[str, int]:
    """Seconds per slide (by row key): overrides as given, the rest of the target shared by ``weights`` (by kind;
    "custom-<id>" weighs as ``CUSTOM_SLIDE``).

    Whole seconds by the largest-remainder method, so the shares add up to what is left exactly.
    """
    fixed = {kind: int(seconds) for kind, seconds in slides if isinstance(seconds, int) and seconds > 0}
    free = [kind for kind, _ in slides if kind not in fixed]
    remaining = max(target - sum(fixed.values()), MIN_SECONDS * len(free))

    def of(key: str) -> float:
        return weights[CUSTOM_SLIDE if key.startswith(f"{CUSTOM_SLIDE}-") else key]

    weight = sum(of(kind) for kind in free) or 1.0
    exact = {kind: remaining * of(kind) / weight for kind in free}
    shared = {kind: int(value) for kind, value in exact.items()}
    for kind in sorted(free, key=lambda k: exact[k] - shared[k], reverse=True)[: remaining - sum(shared.values())]:
        shared[kind] += 1
    return {**fixed, **{kind: max(MIN_SECONDS, value) for kind, value in shared.items()}}


def _shares(total: int, count: int) -> list[int]:
    """``total`` seconds in ``count`` whole, near-equal shares (the first ones get the odd seconds)."""
    base, extra = divmod(total, count)
    return [max(MIN_SECONDS, base + (index < extra)) for index in range(count)]


def _live_demo_slides(
    row: SlideSetting, demos: Sequence[StageModel], canvas: CanvasView, lang: str, seconds: int
) -> list[Slide]:
    """The "demo" position of the deck as one slide per live demo model, in the order given.

    The founder's settings for the "demo" kind apply to the whole group: a custom title prefixes every
    model's name, the seconds (planned or overridden) are split evenly, and the founder's notes (or the
    canvas' demo script) go with the first slide, where the script is shown too; the others (and a first one
    with nothing to say) get a short cue for the presenter.
    """
    zh = lang == "zh"
    base = _s(row.title) or slide_labels(lang)["demo"]
    script = _s(canvas.demo.script)
    notes = _s(row.notes) or script
    slides = []
    for index, (model, share) in enumerate(zip(demos, _shares(seconds, len(demos)), strict=True)):
        blocks: tuple[Block, ...] = (Block("live_demo", demo=model),)
        if index == 0 and script:
            blocks += (Block("text", heading="演示脚本" if zh else "Demo script", text=script),)
        cue = (
            f"现场试用{model.name}：按数字键选择示例，或请观众输入自己的内容。"
            if zh
            else f"Try {model.name} live: pick an example with its number key, or ask the room for an input."
        )
        slides.append(
            Slide(
                kind="demo",
                title=f"{base}：{model.name}" if zh else f"{base}: {model.name}",
                blocks=blocks,
                notes=(notes if index == 0 else "") or cue,
                seconds=share,
                layout=LIVE_DEMO_LAYOUT,
            )
        )
    return slides


def build_deck(
    *,
    name: str,
    canvas: CanvasView | Canvas,
    lang: str = "en",
    business_titles: Mapping[str, str] | None = None,
    demos: Sequence[StageModel] = (),
    pictures: DeckPictures = NO_PICTURES,
) -> Deck:
    """The deck of a pitch: its visible slides in the founder's order, and why any slide was left out.

    ``canvas`` is the pitch's read model (a raw validated document is still accepted and parsed here: transitional).
    ``business_titles`` names the business-model items (catalogue key → title in ``lang``). ``demos`` are the
    pitch's live demo models: when there are any, the "demo" position holds one slide per model (see
    ``_live_demo_slides``) instead of the canvas' demo slide; a hidden "demo" kind hides them all. ``pictures``
    are the pitch's pictures the slides place (``deck_pictures.choose``).
    """
    view = as_view(canvas)
    context = SlideContext(company=name, zh=lang == "zh", titles=business_titles or {}, pictures=pictures)
    minutes = view.story.target_minutes
    target = minutes * 60 if minutes is not None and minutes > 0 else 300
    drafts: list[tuple[SlideSetting, tuple[Block, ...]]] = []
    omitted: list[Omitted] = []
    hidden: list[str] = []
    for row in _completed(view):
        kind = row.kind
        if row.hidden:
            hidden.append(row.key)
            continue
        if kind == "demo" and demos:
            drafts.append((row, ()))  # its slides are made below, once its seconds are known
            continue
        if kind == CUSTOM_SLIDE:
            drafts.append((row, _custom(row, context)))  # a founder's own slide shows even with a title alone
            continue
        entry = KINDS[kind]
        chosen = row.layout if row.layout in entry.layouts else ""
        blocks = entry.build(view, replace(context, layout=chosen))
        if not blocks:
            omitted.append(
                Omitted(kind, f"Left out: nothing to show yet. {entry.empty_en}", f"未显示：暂无内容。{entry.empty_zh}")
            )
        else:
            points = _points(row, heading=context.label("Key points", "要点"))
            drafts.append((row, _overridden(blocks + points, row)))
    weights = {kind: weight for kind, (weight, _, _) in SEQUENCE.items()}
    weights[CUSTOM_SLIDE] = CUSTOM_WEIGHT
    weights["demo"] += DEMO_WEIGHT_MORE * max(0, len(demos) - 1)
    seconds = _plan([(row.key, row.seconds) for row, _ in drafts], target, weights)
    pages: list[Slide] = []
    for row, blocks in drafts:
        kind = row.kind
        if kind == "demo" and demos:
            pages += [
                replace(slide, row="demo", sources=_row_sources(row, generated_title=True))
                for slide in _live_demo_slides(row, demos, view, lang, seconds[row.key])
            ]
            continue
        choices = layout_choices(kind)
        if kind == CUSTOM_SLIDE:
            default_title = "未命名幻灯片" if context.zh else "Untitled slide"
            content_layout = _custom_layout(blocks) or CUSTOM_LAYOUT
        else:
            default_title = name if kind == "title" else slide_labels(lang)[kind]
            content_layout = KINDS[kind].layout_for(blocks)
        pages.append(
            Slide(
                kind=kind,
                title=_s(row.title) or default_title,
                blocks=blocks,
                notes=_s(row.notes) or _default_notes(kind, view),
                seconds=seconds[row.key],
                layout=row.layout if row.layout in choices else content_layout,
                row=row.key,
                layouts=choices,
                chosen=row.layout in choices,
                sources=_row_sources(row, generated_title=not _s(row.title)),
            )
        )
    return Deck(
        company=name,
        purpose=_s(view.story.purpose),
        slides=tuple(replace(slide, number=index) for index, slide in enumerate(pages, start=1)),
        omitted=tuple(omitted),
        hidden=tuple(hidden),
        theme=view.deck.theme,
        brand=view.deck.brand,
        pictures=pictures,
        notes_appendix=view.deck.notes_appendix,
        target_seconds=target,
        lang=lang,
    )
