"""The investor Q&A drill (pure, standard library only, no Django).

``generated_questions`` turns the gaps of a canvas into the questions an investor would ask about them;
``load_bank`` reads the general question bank (``data/question_bank.json``). (A founder's answers are summed
up in ``history.py``.)

Generated questions carry a stable key ``gen:<rule>:<detail>`` (the same canvas gives the same keys, so
answers stay attached to their question) and the canvas unit that caused them (``path``). Their wording,
quoting the founder's own items and figures, is data: ``data/question_templates.json``. Rules:

* ``business_missing`` / ``business_partial``: a business item marked missing / partial (a question per catalogue
  key; categories in ``BUSINESS_CATEGORIES``).
* ``risk_unmitigated``: a scored risk (likelihood and impact set) with no mitigation; ``risk_high``: a mitigated
  risk scoring likelihood × impact >= ``RISK_SCORE_THRESHOLD`` ("what if it happens anyway?").
* ``no_baseline``: an experiment with a numeric value and no baseline.
* ``traction_unsourced``: a traction metric none of whose rows names a source.
* ``market_unsourced``: a TAM, SAM or SOM with a value and no source.
* ``growth_claim``: the checker's ``unbacked_growth`` (detail ``<story field>-growth``) and ``unbacked_accuracy``
  (``<story field>-accuracy``) findings, quoting the phrase.
* ``team_empty``: no team member with a name; ``ask_missing``: no amount asked.

The canvas comes as a ``read_model.CanvasView`` (parsed once, where a missing key or a value of the wrong type
reads as not given); nothing here raises on a view.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pitchlab.core.numbers import finite, money
from pitchlab.pitches.canvas import Canvas, unit_paths
from pitchlab.pitches.checks import RISK_SCORE_THRESHOLD, check_canvas
from pitchlab.pitches.read_model import BusinessItem, CanvasView, Data, Risk, TractionRow, as_view

__all__ = [
    "BUSINESS_CATEGORIES",
    "CATEGORIES",
    "DEFAULT_BANK_PATH",
    "Question",
    "generated_questions",
    "load_bank",
]

CATEGORIES = ("market", "product", "technology", "team", "finance", "risk")
DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_BANK_PATH = DATA_DIR / "question_bank.json"
TEMPLATES_PATH = DATA_DIR / "question_templates.json"

BUSINESS_CATEGORIES: dict[str, str] = {
    "problem_alternatives": "market",
    "customer_segments": "market",
    "value_proposition": "product",
    "solution": "product",
    "channels": "market",
    "revenue_pricing": "finance",
    "cost_structure": "finance",
    "key_metrics": "product",
    # An AI startup's moat is usually its data and models, which is where investors probe it.
    "unfair_advantage": "technology",
    "unit_economics": "finance",
    "gross_margin": "finance",
    # Training data without the right to use it is a legal exposure before it is a technical one.
    "data_rights": "risk",
    "model_quality": "technology",
    "competitive_positioning": "market",
    "team": "team",
    "roadmap": "product",
    "feedback_loop": "technology",
}
"""The drill category of each business-model catalogue key; keys not listed count as "product"."""

STORY_LABELS = {
    "purpose": ("Company purpose", "公司使命"),
    "origin": ("Origin", "缘起"),
    "customer_pain": ("Customer and pain", "客户与痛点"),
    "conflict": ("Conflict", "冲突"),
    "why_now": ("Why now", "为什么是现在"),
    "insight": ("Unique insight", "独到洞察"),
    "climax": ("Solution and climax", "解决方案与高潮"),
    "vision": ("Vision", "愿景"),
}
_QUOTE_LIMIT = 120  # longest piece of the founder's text quoted in a question
_SLUG_LIMIT = 60


# --- questions --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One question to rehearse; generated ones point at the canvas unit (``path``) that raised them."""

    key: str
    category: str
    text_en: str
    text_zh: str
    source: Literal["generated", "bank"]
    path: str = ""
    rule: str = ""
    why_en: str = ""
    why_zh: str = ""

    def text(self, lang: str) -> str:
        """The question in ``lang`` ("zh"; anything else is English)."""
        return self.text_zh if lang == "zh" else self.text_en

    def why(self, lang: str) -> str:
        """What in the canvas raised the question, in ``lang``; "" for bank questions."""
        return self.why_zh if lang == "zh" else self.why_en

    def as_json(self, lang: str) -> dict[str, str]:
        """The question as plain strings, with ``text`` and ``why`` in ``lang``."""
        return {
            "key": self.key,
            "category": self.category,
            "text": self.text(lang),
            "text_en": self.text_en,
            "text_zh": self.text_zh,
            "source": self.source,
            "path": self.path,
            "rule": self.rule,
            "why": self.why(lang),
        }


def generated_questions(
    canvas: CanvasView | Canvas, *, business_titles: Mapping[str, tuple[str, str]]
) -> list[Question]:
    """The questions the gaps in ``canvas`` raise, ordered by ``CATEGORIES`` and then canvas (editor) order.

    ``canvas`` is a ``CanvasView``; a validated canvas document is still accepted and parsed once
    (``read_model.as_view``, transitional while callers move to passing a view). ``business_titles`` maps
    catalogue keys to (title_en, title_zh); an unknown key is named after itself. Keys are unique and stable:
    the same canvas always gives the same keys.
    """
    view = as_view(canvas)
    found = _Found()
    _business_questions(found, view.business, business_titles)
    _risk_questions(found, view.risks)
    _experiment_questions(found, view.data)
    _traction_questions(found, view.data)
    _market_questions(found, view.data)
    # The checker takes well-formed titles only: an odd one is named after its key, as the business questions do.
    _claim_questions(found, view, {str(key): _title(pair, str(key)) for key, pair in business_titles.items()})
    if not any(_text(member.name) for member in view.team):
        found.add("team_empty", "team", "team", "team")
    if finite(view.ask.amount) is None:
        found.add("ask_missing", "amount", "finance", "ask.amount")

    business = {item.key: None for item in view.business}  # unit_paths reads the business keys only
    unit_order = {path: index for index, path in enumerate(unit_paths({"business": business}))}
    # sorted() is stable, so questions on one unit keep their row order.
    return sorted(
        found.questions, key=lambda q: (CATEGORIES.index(q.category), unit_order.get(q.path, len(unit_order)))
    )


class _Found:
    """The questions found so far; a detail seen twice under one rule gets a suffix, so keys stay unique."""

    def __init__(self) -> None:
        self.questions: list[Question] = []
        self.keys: set[str] = set()

    def add(self, rule: str, detail: str, category: str, path: str, *, template: str = "", **fields: str) -> None:
        """Word the question with ``template`` (default: the rule's own) filled with ``fields``."""
        key, n = f"gen:{rule}:{detail}", 2
        while key in self.keys:
            key, n = f"gen:{rule}:{detail}-{n}", n + 1
        self.keys.add(key)
        texts = _templates()["rules"][template or rule]
        en, zh, why_en, why_zh = (texts[name].format(**fields) for name in _TEXTS)
        self.questions.append(Question(key, category, en, zh, "generated", path, rule, why_en, why_zh))


def _business_questions(
    found: _Found, business: tuple[BusinessItem, ...], titles: Mapping[str, tuple[str, str]]
) -> None:
    templates = _templates()
    for item in business:
        key = item.key
        status = _text(item.status).lower()
        if status not in ("missing", "partial"):
            continue
        texts = templates["business"].get(key, templates["business_fallback"])
        title_en, title_zh = _title(titles.get(key), key)
        evidence = _quote(item.evidence) if status == "partial" else ""
        found.add(
            f"business_{status}",
            _slug(key) or "item",  # catalogue keys (snake_case) come through unchanged
            BUSINESS_CATEGORIES.get(key, "product"),
            f"business.{key}",
            # A partial item with nothing written yet has no evidence to quote back.
            template="business_partial_no_evidence" if status == "partial" and not evidence else "",
            title_en=title_en,
            title_zh=title_zh,
            evidence=evidence,
            question_en=texts[f"{status}_en"],
            question_zh=texts[f"{status}_zh"],
        )


def _risk_questions(found: _Found, risks: tuple[Risk, ...]) -> None:
    for index, risk in enumerate(risks, start=1):
        likelihood, impact = finite(risk.likelihood), finite(risk.impact)
        if likelihood is None or impact is None or likelihood <= 0 or impact <= 0:
            continue
        score, mitigation = likelihood * impact, _quote(risk.mitigation)
        if mitigation and score < RISK_SCORE_THRESHOLD:
            continue
        key = _text(risk.key)
        title = _quote(risk.title) or key.replace("_", " ") or f"#{index}"
        found.add(
            # Unmitigated wins when both apply: "what will you do?" comes before "what if it happens anyway?".
            "risk_high" if mitigation else "risk_unmitigated",
            _slug(key) or _slug(_text(risk.title)) or f"row-{index}",
            "risk",
            "risks",
            title=title,
            mitigation=mitigation,
            likelihood=_figure(likelihood),
            impact=_figure(impact),
            score=_figure(score),
            threshold=str(RISK_SCORE_THRESHOLD),
        )


def _experiment_questions(found: _Found, data: Data) -> None:
    for index, row in enumerate(data.experiments, start=1):
        value = finite(row.value)
        if value is None or finite(row.baseline) is not None:
            continue
        model, metric = _quote(row.model), _quote(row.metric)
        found.add(
            "no_baseline",
            _slug(f"{model}-{metric}") or f"row-{index}",
            "technology",
            "data.experiments",
            value=_figure(value),
            model_en=model or "your model",
            model_zh=model or "未命名模型",
            metric_en=metric or "score",
            metric_zh=metric or "未命名指标",
        )


def _traction_questions(found: _Found, data: Data) -> None:
    metrics: dict[str, list[TractionRow]] = {}  # casefolded name -> its rows, in canvas order
    for row in data.traction:
        if name := _quote(row.metric):
            metrics.setdefault(name.casefold(), []).append(row)
    for rows in metrics.values():
        if any(_text(row.source) for row in rows):  # rows written before "source" existed read as ""
            continue
        name, last = _quote(rows[0].metric), rows[-1]
        figure = " ".join(s for s in (_figure(finite(last.value)), _quote(last.unit)) if s)
        found.add(
            "traction_unsourced",
            _slug(name),
            "market",
            "data.traction",
            metric=name,
            rows=str(len(rows)),
            period=_quote(last.period) or "?",
            figure_en=figure or "no value",
            figure_zh=figure or "无数值",
        )


def _market_questions(found: _Found, data: Data) -> None:
    currency = _quote(data.market.currency) or "USD"
    for name, size in data.market.sizes:
        value = finite(size.value)
        if value is None or _text(size.source):
            continue
        found.add(
            "market_unsourced",
            name,
            "market",
            "data.market",
            label=name.upper(),
            money_en=_money_en(value, currency),
            money_zh=_money_zh(value, currency),
        )


def _claim_questions(found: _Found, view: CanvasView, titles: Mapping[str, tuple[str, str]]) -> None:
    for finding in check_canvas(view, titles=titles):
        if finding.code not in ("unbacked_growth", "unbacked_accuracy"):
            continue
        field = finding.path.removeprefix("story.")
        label_en, label_zh = STORY_LABELS.get(field, (field, field))
        growth = finding.code == "unbacked_growth"
        found.add(
            "growth_claim",
            f"{field}-{'growth' if growth else 'accuracy'}",
            "market" if growth else "technology",
            finding.path,
            template="growth_claim" if growth else "accuracy_claim",
            phrase=finding.excerpt,
            field_en=label_en,
            field_zh=label_zh,
        )


_TEXTS = ("en", "zh", "why_en", "why_zh")
_RULE_TEMPLATES = (
    "business_missing",
    "business_partial",
    "business_partial_no_evidence",
    "risk_unmitigated",
    "risk_high",
    "no_baseline",
    "traction_unsourced",
    "market_unsourced",
    "growth_claim",
    "accuracy_claim",
    "team_empty",
    "ask_missing",
)
_BUSINESS_TEXTS = ("missing_en", "missing_zh", "partial_en", "partial_zh")


@lru_cache(maxsize=1)
def _templates() -> dict[str, Any]:
    """``data/question_templates.json``, checked: the four texts of every rule, catalogue key and the fallback."""
    with TEMPLATES_PATH.open(encoding="utf-8") as handle:
        raw = json.load(handle)
    rules, business = (raw.get(part) if isinstance(raw.get(part), dict) else {} for part in ("rules", "business"))
    wanted = [(f"rules.{name}", rules.get(name), _TEXTS) for name in _RULE_TEMPLATES]
    wanted += [(f"business.{key}", business.get(key), _BUSINESS_TEXTS) for key in BUSINESS_CATEGORIES]
    wanted += [("business_fallback", raw.get("business_fallback"), _BUSINESS_TEXTS)]
    for where, entry, names in wanted:
        for name in names:
            if not isinstance(entry, dict) or not isinstance(entry.get(name), str) or not entry[name].strip():
                raise ValueError(f"{TEMPLATES_PATH.name}: {where} needs a non-empty {name!r}.")
    return {"rules": rules, "business": business, "business_fallback": raw["business_fallback"]}


# --- the question bank ------------------------------------------------------------------------------------------

_BANK_KEY = re.compile(r"bank:[a-z0-9]+(?:[-_][a-z0-9]+)*")
_BANK_FIELDS = ("key", "category", "en", "zh")
_BANK_KEY_LIMIT = 80  # DrillQuestion.key's max_length


def load_bank(path: Path | None = None) -> list[dict[str, str]]:
    """The rows of the question bank at ``path`` (default ``data/question_bank.json``), checked.

    Each row is ``{"key": "bank:<slug>", "category", "en", "zh"}``, texts stripped. Raises ``ValueError``
    naming the row (1-based number and key) for an unknown category, a repeated or malformed key, an
    empty text or an unexpected field.
    """
    path = path or DEFAULT_BANK_PATH
    with path.open(encoding="utf-8") as handle:
        raw = json.load(handle)
    questions = raw.get("questions") if isinstance(raw, dict) else None
    if not isinstance(questions, list):
        raise ValueError(f'{path.name}: expected an object with a "questions" list.')
    rows: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(questions, start=1):
        where = f"{path.name}: question {number}"
        if not isinstance(row, dict):
            raise ValueError(f"{where} is not an object.")
        where += f" ({row['key']})" if isinstance(row.get("key"), str) else ""
        if extra := sorted(set(row) - set(_BANK_FIELDS)):
            raise ValueError(f"{where}: unexpected field(s) {', '.join(extra)}.")
        for field in _BANK_FIELDS:
            if not isinstance(row.get(field), str) or not row[field].strip():
                raise ValueError(f"{where}: {field!r} must be a non-empty string.")
        key = row["key"].strip()
        if not _BANK_KEY.fullmatch(key) or len(key) > _BANK_KEY_LIMIT:
            limit = f"{_BANK_KEY_LIMIT} characters at most"
            raise ValueError(f"{where}: a key is 'bank:' and a lower-case slug, e.g. bank:why-now ({limit}).")
        if key in seen:
            raise ValueError(f"{where}: key {key} is already used by question {seen[key]}.")
        if row["category"] not in CATEGORIES:
            raise ValueError(f"{where}: unknown category {row['category']!r}; expected one of {', '.join(CATEGORIES)}.")
        seen[key] = number
        rows.append({field: row[field].strip() for field in _BANK_FIELDS})
    return rows


# --- wording the founder's own text -------------------------------------------------------------------------------


def _text(value: str) -> str:
    """``value`` with its whitespace collapsed."""
    return " ".join(value.split())


def _quote(value: str, limit: int = _QUOTE_LIMIT) -> str:
    """The founder's text, short enough to quote back; a closing full stop is dropped, as the template adds one."""
    text = _text(value).rstrip(".。 ")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _figure(value: float | None) -> str:
    """A number as a founder would write it: 1,200 / 0.91 / 4.5; "" for None."""
    if value is None:
        return ""
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) >= 1000 else f"{value:.4g}"


def _money_en(value: float, currency: str) -> str:
    return money(value, currency, "en")  # one formatter per language, the deck's own: "4.2B USD"


def _money_zh(value: float, currency: str) -> str:
    return money(value, currency, "zh")  # "42亿 USD"


def _slug(text: str) -> str:
    """A key-safe slug: lower-case words (any script, underscores kept, so catalogue keys stay as they are)."""
    return re.sub(r"\W+", "-", text.casefold()).strip("-")[:_SLUG_LIMIT].strip("-")


def _title(pair: Any, key: str) -> tuple[str, str]:
    if isinstance(pair, tuple | list) and len(pair) == 2 and all(isinstance(p, str) and p.strip() for p in pair):
        return (pair[0].strip(), pair[1].strip())
    name = key.replace("_", " ").replace("-", " ").strip() or key
    return (name[:1].upper() + name[1:], name)
