"""The slide model: a pitch's canvas becomes one ordered list of slides (pure).

The web deck, the presenter view and the PDF all render this one list, so they cannot disagree.
The founder's deck settings (order, hidden slides, titles, notes, seconds, theme) live in the
canvas under ``deck`` and travel with it through export and import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pitchlab.pitches.canvas import DECK_THEMES as THEMES
from pitchlab.pitches.canvas import SLIDE_KINDS

BlockKind = Literal["lead", "text", "bullets", "chart", "metrics", "table", "demo"]


@dataclass(frozen=True)
class Block:
    """One piece of a slide's content. ``chart`` names a chart kind (charts.build.CHART_KINDS)."""

    kind: BlockKind
    text: str = ""
    heading: str = ""
    items: tuple[str, ...] = ()
    chart: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Slide:
    kind: str
    title: str
    blocks: tuple[Block, ...]
    notes: str
    seconds: int
    number: int = 0


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
assert tuple(SEQUENCE) == SLIDE_KINDS, "the default sequence names every slide kind once, in order"


def _s(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _rows(value: Any) -> list[dict[str, Any]]:
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def _number(value: Any) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return ""
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:g}"


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
                _number(r.get("value")),
                _number(r.get("baseline")),
                f"{_s(r.get('dataset'))} · n={r.get('samples') or '?'}"
                + (label(" · measured by PitchLab", " · PitchLab 实测") if r.get("measured") else ""),
            )
            for r in results
        )
        return (Block("chart", chart="performance"), Block("table", rows=table)), "", ""
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
        top = sorted(scored, key=lambda r: -(r["likelihood"] * r["impact"]))[:4]
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
        if isinstance(amount, int | float):
            parts.append(
                Block("metrics", rows=((label("Raising", "本轮融资"), f"{_number(amount)} {_s(ask.get('currency'))}"),))
            )
        if _rows(ask.get("use_of_funds")):
            parts.append(Block("chart", chart="funds"))
        return tuple(parts), "", ""
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


def _plan(slides: list[tuple[str, Any]], target: int) -> dict[str, int]:
    """Seconds per slide: overrides as given, the rest of the target shared by weight.

    Whole seconds by the largest-remainder method, so the shares add up to what is left exactly.
    """
    fixed = {kind: int(seconds) for kind, seconds in slides if isinstance(seconds, int) and seconds > 0}
    free = [kind for kind, _ in slides if kind not in fixed]
    remaining = max(target - sum(fixed.values()), MIN_SECONDS * len(free))
    weight = sum(SEQUENCE[kind][0] for kind in free) or 1.0
    exact = {kind: remaining * SEQUENCE[kind][0] / weight for kind in free}
    shared = {kind: int(value) for kind, value in exact.items()}
    for kind in sorted(free, key=lambda k: exact[k] - shared[k], reverse=True)[: remaining - sum(shared.values())]:
        shared[kind] += 1
    return {**fixed, **{kind: max(MIN_SECONDS, value) for kind, value in shared.items()}}


def build_deck(
    *, name: str, canvas: dict[str, Any], lang: str = "en", business_titles: dict[str, str] | None = None
) -> Deck:
    """The deck of a pitch: its visible slides in the founder's order, and why any slide was left out.

    ``business_titles`` names the business-model items (catalogue key → title in ``lang``).
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
        blocks, reason_en, reason_zh = _content(kind, canvas, name, zh, business_titles or {})
        if row["hidden"]:
            hidden.append(kind)
        elif not blocks:
            omitted.append(
                Omitted(kind, f"Left out: nothing to show yet. {reason_en}", f"未显示：暂无内容。{reason_zh}")
            )
        else:
            drafts.append((row, blocks))
    seconds = _plan([(row["kind"], row["seconds"]) for row, _ in drafts], target)
    slides = tuple(
        Slide(
            kind=row["kind"],
            title=_s(row["title"]) or (name if row["kind"] == "title" else slide_labels(lang)[row["kind"]]),
            blocks=blocks,
            notes=_s(row["notes"]) or _default_notes(row["kind"], canvas),
            seconds=seconds[row["kind"]],
            number=index,
        )
        for index, (row, blocks) in enumerate(drafts, start=1)
    )
    return Deck(
        company=name,
        purpose=_s((canvas.get("story") or {}).get("purpose")),
        slides=slides,
        omitted=tuple(omitted),
        hidden=tuple(hidden),
        theme=settings["theme"],
        notes_appendix=settings["notes_appendix"],
        target_seconds=target,
        lang=lang,
    )
