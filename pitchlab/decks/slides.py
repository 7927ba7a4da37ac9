"""The slide model: a pitch's canvas becomes one ordered list of slides (pure).

The web deck, the presenter view and the PDF all render this one list, so they cannot disagree.
The founder's deck settings (order, hidden slides, titles, notes, seconds, theme) live in the
canvas under ``deck`` and travel with it through export and import.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pitchlab.core.numbers import compact, finite, money
from pitchlab.decks.charts.build_confusion import confusion_row
from pitchlab.decks.charts.build_funds import funds_shown
from pitchlab.demos.stage import StageModel
from pitchlab.pitches.canvas import DECK_THEMES as THEMES
from pitchlab.pitches.canvas import SLIDE_KINDS
from pitchlab.pitches.metrics import format_baseline, format_figure, format_interval, format_samples, is_small_sample

BlockKind = Literal["lead", "text", "bullets", "chart", "metrics", "table", "demo", "live_demo"]
# What a table column holds, for renderers that do more than a grid: the record's heading, its accent line, a
# baseline on that line (labelled as one), or its body. A table without roles reads ("head", "sub", "body", …).
ColumnRole = Literal["head", "sub", "baseline", "body"]


@dataclass(frozen=True)
class Block:
    """One piece of a slide's content. ``chart`` names a chart kind (charts.build.ALL_CHART_KINDS).

    A "live_demo" block carries its demo model in ``demo`` (one per live demo slide).
    """

    kind: BlockKind
    text: str = ""
    heading: str = ""
    items: tuple[str, ...] = ()
    chart: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    demo: StageModel | None = None
    columns: tuple[ColumnRole, ...] = ()  # a "table" block's column roles; () for the default


@dataclass(frozen=True)
class Slide:
    kind: str
    title: str
    blocks: tuple[Block, ...]
    notes: str
    seconds: int
    number: int = 0

    @property
    def key(self) -> str:
        """The slide's name within its deck: its kind, or "demo-<model id>" for a live demo slide.

        Unique in a deck and stable when slides are reordered, so rehearsals can compare the same slide over time.
        """
        for block in self.blocks:
            if block.kind == "live_demo" and block.demo is not None:
                return f"demo-{block.demo.id}"
        return self.kind


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


def _s(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _rows(value: Any) -> list[dict[str, Any]]:
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def _number(value: Any, lang: str = "en") -> str:
    """A figure for a slide in the deck's language: 2.5M / 250万, 18B / 180亿, 0.91; "" for what is no finite number.

    Three significant digits, so a 15-digit amount never overflows its box. The canvas' largest amount, 10^15,
    is 1,000T; only a figure stored before the bounds, past that, turns scientific (1e+18).
    """
    number = finite(value)
    return "" if number is None else compact(number, lang=lang)


def _level(value: Any) -> int:
    """A likelihood or impact as the 1–5 the canvas allows (anything stored before its bounds is brought inside)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 1
    if isinstance(value, float):  # an int is compared as it is: math.isfinite(10**400) overflows
        if not math.isfinite(value):
            return 1
        value = round(value)
    level: int = min(5, max(1, value))
    return level


def _provenance(row: dict[str, Any], zh: bool) -> str:
    """Where an experiment's figures come from: "n = 2,000 · dataset", a "small sample" mark when it is one
    (``metrics.is_small_sample``), and for a PitchLab measurement who, when, where.

    n and the mark come first: where a narrow slide cuts the line short, the dataset's name is what is cut.
    """
    lang = "zh" if zh else "en"
    parts = [format_samples(row, lang) or "n = ?"]
    if is_small_sample(row):
        parts.append("样本量小" if zh else "small sample")
    parts.append(_s(row.get("dataset")))
    if row.get("sample_model") is True:
        parts.append("PitchLab 示例模型" if zh else "PitchLab sample model")
    overlap = row.get("overlap")
    if isinstance(overlap, int) and not isinstance(overlap, bool) and overlap > 0:
        en = f"{overlap} evaluation inputs were training examples"
        parts.append(f"{overlap} 条评估输入也在训练集中" if zh else en)
    if row.get("measured"):
        parts += ["PitchLab 实测" if zh else "measured by PitchLab", _s(row.get("date")), _s(row.get("device"))]
    return " · ".join(part for part in parts if part)


def _experiment_value(row: dict[str, Any], zh: bool) -> str:
    """An experiment's figure in the deck's language with its unit and, when it has one, its 95 % interval:
    "80% (95% CI 49–94.3%)", "14.0 ms", "91%"."""
    lang = "zh" if zh else "en"
    interval = format_interval(row, lang)
    return f"{format_figure(row, lang)} ({interval})" if interval else format_figure(row, lang)


def _texts(*pairs: tuple[str, str]) -> tuple[Block, ...]:
    return tuple(Block("text", heading=heading, text=text) for heading, text in pairs if text)


def _content(
    kind: str, canvas: dict[str, Any], company: str, zh: bool, titles: dict[str, str]
) -> tuple[tuple[Block, ...], str, str]:
    """The blocks of a slide kind, or no blocks and the reason (en, zh) it has nothing to show."""
    story, data, demo, ask = (canvas.get(key) or {} for key in ("story", "data", "demo", "ask"))

    def label(en: str, cn: str) -> str:
        return cn if zh else en

    if kind == "title":
        return (Block("lead", text=company), *_texts(("", _s(story.get("purpose"))))), "", ""
    if kind == "problem":
        blocks = _texts((label("Customer and pain", "客户与痛点"), _s(story.get("customer_pain"))))
        return blocks, "Fill in customer and pain in the story.", "请在故事中填写客户与痛点。"
    if kind == "story":
        blocks = _texts(
            (label("Origin", "缘起"), _s(story.get("origin"))),
            (label("What stands in the way", "阻碍"), _s(story.get("conflict"))),
            (label("Why now", "为什么是现在"), _s(story.get("why_now"))),
        )
        return blocks, "Fill in origin, conflict or why now.", "请填写缘起、冲突或时机。"
    if kind == "solution":
        blocks = _texts(
            ("", _s(story.get("climax"))),
            (label("Our insight", "我们的洞察"), _s(story.get("insight"))),
        )
        return blocks, "Fill in solution and climax.", "请填写方案与高潮。"
    if kind == "demo":
        examples = tuple(_s(row.get("text")) for row in _rows(demo.get("examples")) if _s(row.get("text")))
        script = _s(demo.get("script"))
        if not examples and not script:
            return (), "Add a demo script or curated examples.", "请添加演示脚本或示例输入。"
        return (Block("demo", text=script, items=examples[:6]),), "", ""
    if kind == "traction":
        if len(_rows(data.get("traction"))) < 1:
            return (), "Add traction rows in the data section.", "请在数据部分添加增长数据。"
        return (Block("chart", chart="traction"),), "", ""
    if kind == "market":
        market = data.get("market") or {}
        if not any(isinstance((market.get(k) or {}).get("value"), int | float) for k in ("tam", "sam", "som")):
            return (), "Add TAM, SAM or SOM values.", "请添加 TAM、SAM 或 SOM 数值。"
        return (Block("chart", chart="market"),), "", ""
    if kind == "competition":
        if not _rows((data.get("competitors") or {}).get("items")):
            return (), "Add competitors with scores on two axes.", "请添加竞争对手及两个维度的评分。"
        return (Block("chart", chart="competition"),), "", ""
    if kind == "performance":
        results = [r for r in _rows(data.get("experiments")) if isinstance(r.get("value"), int | float)]
        if not results:
            return (), "Add experiment results.", "请添加实验结果。"
        table = tuple(
            (
                _s(r.get("model")),
                _s(r.get("metric")),
                _experiment_value(r, zh),
                format_baseline(r, "zh" if zh else "en"),
                _provenance(r, zh),
            )
            # PitchLab's own measurements first: the strongest evidence should not be the row left out.
            for r in sorted(results, key=lambda r: r.get("measured") is not True)
        )
        charts: tuple[Block, ...] = (Block("chart", chart="performance"),)
        if confusion_row(canvas) is not None:
            charts += (Block("chart", chart="confusion"),)
        return (*charts, Block("table", rows=table, columns=("head", "sub", "sub", "baseline", "body"))), "", ""
    if kind == "business":
        business = canvas.get("business") or {}
        done = [
            f"{titles.get(key) or key.replace('_', ' ').capitalize()}: {_s((v or {}).get('evidence'))}"
            for key, v in business.items()
            if isinstance(v, dict) and v.get("status") in ("done", "partial") and _s(v.get("evidence"))
        ]
        if not done:
            return (), "Mark business-model items done with evidence.", "请在商业模式清单中填写已完成项及证据。"
        return (Block("bullets", items=tuple(done[:6])),), "", ""
    if kind == "team":
        members = _rows(canvas.get("team"))
        if not members:
            return (), "Add team members.", "请添加团队成员。"
        people = tuple((_s(m.get("name")), _s(m.get("role")), _s(m.get("bio"))) for m in members[:6])
        return (Block("table", rows=people),), "", ""
    if kind == "risks":
        scored = [r for r in _rows(canvas.get("risks")) if r.get("likelihood") and r.get("impact")]
        if not scored:
            return (), "Rate risks for likelihood and impact.", "请为风险评估可能性与影响。"
        top = sorted(scored, key=lambda r: -(_level(r["likelihood"]) * _level(r["impact"])))[:4]
        items = tuple(
            f"{_s(r.get('title'))} — {_s(r.get('mitigation')) or label('no mitigation yet', '暂无应对')}" for r in top
        )
        return (Block("chart", chart="risks"), Block("bullets", items=items)), "", ""
    if kind == "roadmap":
        milestones = _rows(ask.get("milestones"))
        vision = _s(story.get("vision"))
        if not milestones and not vision:
            return (), "Add milestones or a vision.", "请添加里程碑或愿景。"
        steps = tuple((_s(m.get("date")), _s(m.get("text"))) for m in milestones[:6])
        return (*((Block("table", rows=steps),) if steps else ()), *_texts((label("Vision", "愿景"), vision))), "", ""
    if kind == "ask":
        amount = ask.get("amount")
        if not isinstance(amount, int | float) and not _rows(ask.get("use_of_funds")):
            return (), "Add the amount you raise and the use of funds.", "请填写融资金额与资金用途。"
        parts: list[Block] = []
        chart = funds_shown(canvas)
        figure = finite(amount)
        # The use-of-funds donut carries a positive amount in its hole: the slide says the amount once.
        if figure is not None and not (chart and figure > 0):
            raising = money(figure, _s(ask.get("currency")), "zh" if zh else "en")
            parts.append(Block("metrics", rows=((label("Raising", "本轮融资"), raising),)))
        if chart:
            parts.append(Block("chart", chart="funds"))
        return tuple(parts), "Add the amount you raise and the use of funds.", "请填写融资金额与资金用途。"
    raise KeyError(kind)


def slide_labels(lang: str = "en") -> dict[str, str]:
    """A readable name per slide kind."""
    names = {kind: (titles[2] if lang == "zh" else titles[1]) for kind, titles in SEQUENCE.items()}
    names["title"] = "封面" if lang == "zh" else "Title"
    return names


def _default_notes(kind: str, canvas: dict[str, Any]) -> str:
    story = canvas.get("story") or {}
    source = {
        "title": "purpose",
        "problem": "customer_pain",
        "story": "origin",
        "solution": "climax",
        "roadmap": "vision",
    }.get(kind)
    if source:
        return _s(story.get(source))
    if kind == "demo":
        return _s((canvas.get("demo") or {}).get("script"))
    return ""


def deck_settings(canvas: dict[str, Any]) -> dict[str, Any]:
    """The founder's deck settings, completed: every slide kind once, in their order, new kinds appended."""
    raw = canvas.get("deck")
    stored: dict[str, Any] = raw if isinstance(raw, dict) else {}
    by_kind = {row["kind"]: row for row in _rows(stored.get("slides")) if row.get("kind") in SEQUENCE}
    slides = [
        {"kind": kind, "title": "", "notes": "", "seconds": None, "hidden": False, **by_kind.get(kind, {})}
        for kind in [*by_kind, *(k for k in SEQUENCE if k not in by_kind)]
    ]
    theme = stored.get("theme") if stored.get("theme") in THEMES else "light"
    return {"slides": slides, "theme": theme, "notes_appendix": bool(stored.get("notes_appendix"))}


def _plan(slides: list[tuple[str, Any]], target: int, weights: dict[str, float]) -> dict[str, int]:
    """Seconds per slide kind: overrides as given, the rest of the target shared by ``weights``.

    Whole seconds by the largest-remainder method, so the shares add up to what is left exactly.
    """
    fixed = {kind: int(seconds) for kind, seconds in slides if isinstance(seconds, int) and seconds > 0}
    free = [kind for kind, _ in slides if kind not in fixed]
    remaining = max(target - sum(fixed.values()), MIN_SECONDS * len(free))
    weight = sum(weights[kind] for kind in free) or 1.0
    exact = {kind: remaining * weights[kind] / weight for kind in free}
    shared = {kind: int(value) for kind, value in exact.items()}
    for kind in sorted(free, key=lambda k: exact[k] - shared[k], reverse=True)[: remaining - sum(shared.values())]:
        shared[kind] += 1
    return {**fixed, **{kind: max(MIN_SECONDS, value) for kind, value in shared.items()}}


def _shares(total: int, count: int) -> list[int]:
    """``total`` seconds in ``count`` whole, near-equal shares (the first ones get the odd seconds)."""
    base, extra = divmod(total, count)
    return [max(MIN_SECONDS, base + (index < extra)) for index in range(count)]


def _live_demo_slides(
    row: dict[str, Any], demos: Sequence[StageModel], canvas: dict[str, Any], lang: str, seconds: int
) -> list[Slide]:
    """The "demo" position of the deck as one slide per live demo model, in the order given.

    The founder's settings for the "demo" kind apply to the whole group: a custom title prefixes every
    model's name, the seconds (planned or overridden) are split evenly, and the founder's notes (or the
    canvas' demo script) go with the first slide, where the script is shown too; the others (and a first one
    with nothing to say) get a short cue for the presenter.
    """
    zh = lang == "zh"
    base = _s(row["title"]) or slide_labels(lang)["demo"]
    script = _s((canvas.get("demo") or {}).get("script"))
    notes = _s(row["notes"]) or script
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
            )
        )
    return slides


def build_deck(
    *,
    name: str,
    canvas: dict[str, Any],
    lang: str = "en",
    business_titles: dict[str, str] | None = None,
    demos: Sequence[StageModel] = (),
) -> Deck:
    """The deck of a pitch: its visible slides in the founder's order, and why any slide was left out.

    ``business_titles`` names the business-model items (catalogue key → title in ``lang``). ``demos`` are the
    pitch's live demo models: when there are any, the "demo" position holds one slide per model (see
    ``_live_demo_slides``) instead of the canvas' demo slide; a hidden "demo" kind hides them all.
    """
    zh = lang == "zh"
    settings = deck_settings(canvas)
    minutes = (canvas.get("story") or {}).get("target_minutes")
    target = int(minutes) * 60 if isinstance(minutes, int) and minutes > 0 else 300
    drafts: list[tuple[dict[str, Any], tuple[Block, ...]]] = []
    omitted: list[Omitted] = []
    hidden: list[str] = []
    for row in settings["slides"]:
        kind = row["kind"]
        if row["hidden"]:
            hidden.append(kind)
            continue
        if kind == "demo" and demos:
            drafts.append((row, ()))  # its slides are made below, once its seconds are known
            continue
        blocks, reason_en, reason_zh = _content(kind, canvas, name, zh, business_titles or {})
        if not blocks:
            omitted.append(
                Omitted(kind, f"Left out: nothing to show yet. {reason_en}", f"未显示：暂无内容。{reason_zh}")
            )
        else:
            drafts.append((row, blocks))
    weights = {kind: weight for kind, (weight, _, _) in SEQUENCE.items()}
    weights["demo"] += DEMO_WEIGHT_MORE * max(0, len(demos) - 1)
    seconds = _plan([(row["kind"], row["seconds"]) for row, _ in drafts], target, weights)
    pages: list[Slide] = []
    for row, blocks in drafts:
        kind = row["kind"]
        if kind == "demo" and demos:
            pages += _live_demo_slides(row, demos, canvas, lang, seconds[kind])
            continue
        pages.append(
            Slide(
                kind=kind,
                title=_s(row["title"]) or (name if kind == "title" else slide_labels(lang)[kind]),
                blocks=blocks,
                notes=_s(row["notes"]) or _default_notes(kind, canvas),
                seconds=seconds[kind],
            )
        )
    return Deck(
        company=name,
        purpose=_s((canvas.get("story") or {}).get("purpose")),
        slides=tuple(replace(slide, number=index) for index, slide in enumerate(pages, start=1)),
        omitted=tuple(omitted),
        hidden=tuple(hidden),
        theme=settings["theme"],
        notes_appendix=settings["notes_appendix"],
        target_seconds=target,
        lang=lang,
    )
