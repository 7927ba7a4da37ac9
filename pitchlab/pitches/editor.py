"""What the canvas editor shows: sections, units, their guidance and how each is edited (pure)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from pitchlab.pitches.canvas import (
    BUSINESS_STATUSES,
    DECK_THEMES,
    RISK_CATEGORIES,
    RISK_RESPONSES,
    STORY_FIELDS,
    TARGET_MINUTES,
    TEXT_LIMIT,
    Canvas,
    get_unit,
)

GUIDANCE_FILE = Path(__file__).resolve().parent / "data" / "guidance.json"

Column = dict[str, Any]


def col(key: str, label: str, kind: str = "text", **extra: Any) -> Column:
    return {"key": key, "label": label, "type": kind, **extra}


LIST_COLUMNS: dict[str, list[Column]] = {
    "data.traction": [
        col("period", "Period", placeholder="2025-01"),
        col("metric", "Metric", placeholder="paying teams"),
        col("value", "Value", "number"),
        col("unit", "Unit", placeholder="USD"),
        col("source", "Source", placeholder="Stripe dashboard"),
    ],
    "data.experiments": [
        col("model", "Model"),
        col("metric", "Metric", placeholder="accuracy"),
        col("value", "Value", "number"),
        col("baseline", "Baseline", "number"),
        col("unit", "Unit", placeholder="ms"),  # a time needs one: 80 ms and 80 s are not the same claim
        col("dataset", "Dataset"),
        col("samples", "Samples", "int"),
        col("date", "Date", "date"),
        col("measured", "Measured by PitchLab", "readonly_bool"),
    ],
    "demo.examples": [col("text", "Example input", "textarea"), col("label", "Expected label")],
    "team": [col("name", "Name"), col("role", "Role"), col("bio", "Short bio", "textarea")],
    "ask.use_of_funds": [col("label", "Use"), col("percent", "%", "number")],
    "ask.milestones": [col("date", "Date", "date"), col("text", "Milestone")],
    "risks": [
        col("title", "Risk"),
        col("category", "Category", "select", options=list(RISK_CATEGORIES)),
        col("likelihood", "Likelihood 1–5", "int", min=1, max=5),
        col("impact", "Impact 1–5", "int", min=1, max=5),
        col("response", "Response", "select", options=list(RISK_RESPONSES)),
        col("mitigation", "Mitigation", "textarea"),
        col("owner", "Owner"),
    ],
}

OBJECT_FIELDS: dict[str, list[Column]] = {
    "data.market": [
        *[
            field
            for size in ("tam", "sam", "som")
            for field in (
                col(f"{size}.value", f"{size.upper()} value", "number"),
                col(f"{size}.source", f"{size.upper()} source"),
                col(f"{size}.year", f"{size.upper()} year", "int"),
            )
        ],
        col("currency", "Currency"),
        col("growth_rate", "Market growth, % a year", "number"),
    ],
    "data.competitors": [col("x_axis", "Horizontal axis"), col("y_axis", "Vertical axis")],
}
OBJECT_LISTS: dict[str, tuple[str, list[Column]]] = {
    "data.competitors": (
        "items",
        [
            col("name", "Name"),
            col("us", "Us", "bool", label_zh="我们"),
            col("x", "Score on horizontal axis (0–10)", "number", min=0, max=10),
            col("y", "Score on vertical axis (0–10)", "number", min=0, max=10),
            col("strengths", "Strengths", "textarea"),
            col("weaknesses", "Weaknesses", "textarea"),
        ],
    ),
}


COLUMN_ZH = {
    "period": "期间",
    "metric": "指标",
    "value": "数值",
    "unit": "单位",
    "source": "来源",
    "model": "模型",
    "baseline": "基线",
    "dataset": "数据集",
    "samples": "样本量",
    "date": "日期",
    "measured": "PitchLab 实测",
    "text": "内容",
    "label": "标签",
    "name": "名称",
    "role": "角色",
    "bio": "简介",
    "percent": "%",
    "title": "风险",
    "category": "类别",
    "likelihood": "可能性 1–5",
    "impact": "影响 1–5",
    "response": "应对",
    "mitigation": "缓解措施",
    "owner": "负责人",
    "currency": "币种",
    "year": "年份",
    "growth_rate": "市场年增长率 %",
    "x_axis": "横轴",
    "y_axis": "纵轴",
    "x": "横轴得分 (0–10)",
    "y": "纵轴得分 (0–10)",
    "strengths": "优势",
    "weaknesses": "劣势",
    "status": "状态",
    "evidence": "证据",
    "kind": "幻灯片",
    "hidden": "隐藏",
}


# What a select shows for each stored value in Chinese (the value itself stays the stored English word).
OPTION_ZH = {
    "missing": "未开始",
    "partial": "进行中",
    "done": "已完成",
    "technical": "技术",
    "market": "市场",
    "financial": "财务",
    "legal": "法律",
    "avoid": "规避",
    "mitigate": "缓解",
    "transfer": "转移",
    "accept": "接受",
}


def _localised(columns: list[Column], lang: str) -> list[Column]:
    if lang != "zh":
        return columns
    result = []
    for column in columns:
        key = column["key"]
        size, _, leaf = key.partition(".")
        if leaf:  # tam.value → "TAM 数值"
            label = f"{size.upper()} {COLUMN_ZH.get(leaf, leaf)}"
        else:  # a column's own Chinese label wins over the shared one (the deck's "title" is not a risk's)
            label = column.get("label_zh") or COLUMN_ZH.get(key) or str(column["label"])
        extra = {"option_labels": {o: OPTION_ZH.get(o, o) for o in column["options"]}} if column.get("options") else {}
        result.append({**column, "label": label, **extra})
    return result


@lru_cache(maxsize=1)
def load_guidance() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GUIDANCE_FILE.read_text(encoding="utf-8"))
    return data


def _text(entry: dict[str, Any], key: str, lang: str) -> str:
    return str(entry.get(f"{key}_{lang}") or entry.get(f"{key}_en") or "")


def _unit(canvas: Canvas, path: str, kind: str, lang: str, **extra: Any) -> dict[str, Any]:
    entry = load_guidance().get(path, {})
    return {
        "path": path,
        "kind": kind,
        "label": _text(entry, "label", lang) or path,
        "guidance": _text(entry, "guidance", lang),
        "placeholder": _text(entry, "placeholder", lang),
        "value": get_unit(canvas, path),
        **extra,
    }


def editor_sections(
    canvas: Canvas,
    *,
    catalogue: dict[str, dict[str, Any]],
    lang: str = "en",
) -> list[dict[str, Any]]:
    """The editor's sections in order, each with its units and the guidance in ``lang`` ("en" or "zh").

    Units that show another app's data (the deck's slide list) are completed by that app's unit view
    (panels.editor_unit_view).
    """
    guidance = load_guidance()
    sections_text = guidance.get("sections", {})

    def section(key: str, units: list[dict[str, Any]]) -> dict[str, Any]:
        entry = sections_text.get(key, {})
        return {"key": key, "label": _text(entry, "label", lang), "intro": _text(entry, "intro", lang), "units": units}

    def lst(path: str) -> dict[str, Any]:
        return _unit(canvas, path, "list", lang, columns=_localised(LIST_COLUMNS[path], lang))

    def obj(path: str) -> dict[str, Any]:
        list_key, list_columns = OBJECT_LISTS.get(path, ("", []))
        return _unit(
            canvas,
            path,
            "object",
            lang,
            fields=_localised(OBJECT_FIELDS[path], lang),
            list_key=list_key,
            list_columns=_localised(list_columns, lang),
        )

    business_units = []
    for key in canvas.get("business", {}):
        item = catalogue.get(f"business.{key}", {})
        business_units.append(
            {
                **_unit(canvas, f"business.{key}", "object", lang),
                "label": item.get(f"title_{lang}") or item.get("title_en") or key,
                "guidance": item.get(f"guidance_{lang}") or item.get("guidance_en") or "",
                "fields": _localised(
                    [
                        col("status", "Status", "select", options=list(BUSINESS_STATUSES)),
                        col("evidence", "Evidence", "textarea"),
                    ],
                    lang,
                ),
                "list_key": "",
                "list_columns": [],
            }
        )

    return [
        section(
            "story",
            [_unit(canvas, f"story.{name}", "text", lang, limit=TEXT_LIMIT) for name in STORY_FIELDS]
            + [_unit(canvas, "story.target_minutes", "choice", lang, options=list(TARGET_MINUTES))],
        ),
        section(
            "data",
            [lst("data.traction"), obj("data.market"), obj("data.competitors"), lst("data.experiments")],
        ),
        section("demo", [_unit(canvas, "demo.script", "text", lang, limit=TEXT_LIMIT), lst("demo.examples")]),
        section(
            "team_ask",
            [
                lst("team"),
                _unit(canvas, "ask.amount", "number", lang),
                _unit(canvas, "ask.currency", "short", lang),
                lst("ask.use_of_funds"),
                lst("ask.milestones"),
            ],
        ),
        section("business", business_units),
        section("risks", [lst("risks")]),
        section(
            "deck",
            [
                {
                    **_unit(canvas, "deck.slides", "list", lang),
                    "columns": _localised(
                        [
                            col("kind", "Slide", "readonly_text", labels={}),
                            col("title", "Title (blank: the default)", label_zh="标题（留空则用默认标题）"),
                            col(
                                "notes",
                                "Speaker notes (blank: from the canvas)",
                                "textarea",
                                label_zh="演讲备注（留空则取自画布）",
                            ),
                            col(
                                "seconds",
                                "Seconds (blank: shared)",
                                "int",
                                min=5,
                                max=3600,
                                label_zh="秒数（留空则平分剩余时长）",
                            ),
                            col("hidden", "Hidden", "bool"),
                            # labels and what "Automatic" is per row come from decks (editor_panels)
                            col("layout", "Layout", "layout", label_zh="版式"),
                        ],
                        lang,
                    ),
                    "fixed": True,
                    "reorder": True,
                },
                _unit(canvas, "deck.theme", "choice_text", lang, options=list(DECK_THEMES)),
                _unit(canvas, "deck.notes_appendix", "checkbox", lang),
            ],
        ),
    ]
