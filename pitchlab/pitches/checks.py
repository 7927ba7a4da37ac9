"""The rational-pitch checker: from fervour to rationality (pure, standard library only, no Django).

``check_canvas`` reads a canvas document (the dict ``canvas.empty_canvas()`` describes) and returns
``Finding``s: places where the pitch sells instead of shows, or claims what it does not yet back up.

Codes:

* ``hype`` (info): a hype word in a story field, a use-of-funds label or a milestone.
* ``absolute`` (warning): an absolute claim ("no competitors", "100%准确") in the same fields.
* ``unbacked_growth`` (warning): a story field claims growth while no traction metric has two periods.
* ``unbacked_accuracy`` (warning): a story field claims model performance while no experiment has a
  numeric value.
* ``no_baseline`` / ``no_sample_count`` (warning): an experiment row without a baseline (rows with a
  value) / without a positive integer sample count (every row).
* ``no_unit`` (warning): a latency or other time-like result (latency, response time, 延迟, 耗时…) with a value
  and no unit: "80" is not a claim until it says ms or s.
* ``small_sample`` (warning): a result on fewer than 100 samples or with a 95 % interval wider than ±10 points
  (``metrics.is_small_sample``, the rule every slide and the API use).
* ``eval_overlap`` (warning): a measured result whose evaluation inputs overlap the model's training examples
  (the row's ``overlap`` count, for models trained in PitchLab).
* ``sample_model_result`` (warning): a result measured on a PitchLab sample model, not the company's own.
* ``unmitigated_risk`` (warning): a risk scoring likelihood × impact ≥ 15 with no mitigation.
* ``missing_checklist`` / ``no_evidence`` (info): a business item still "missing" / "done" without evidence.

The words and phrases are data, in ``data/hype_words.json`` (see its ``_about``); ``load_lexicon``
reads them. English phrases match case-insensitively on whole words, where a hyphenated compound is
one word ("disruptive" matches, "disruptively" and "non-disruptive" do not); an entry with an
upper-case letter ("MoM", "SOTA") matches case-sensitively. Chinese phrases match as substrings.
Text is read as plain text: HTML tags are dropped, entities decoded, and it is NFKC-normalised.

The checker never raises on an odd canvas: missing keys, None and values of the wrong type count as empty.
"""

from __future__ import annotations

import html
import json
import math
import re
import string
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeAlias

from pitchlab.pitches.bounds import is_latency_metric
from pitchlab.pitches.canvas import STORY_FIELDS, unit_paths
from pitchlab.pitches.metrics import SMALL_SAMPLE_N, half_width_points, is_small_sample

__all__ = [
    "CODES",
    "DEFAULT_LEXICON_PATH",
    "RISK_SCORE_THRESHOLD",
    "Finding",
    "Lexicon",
    "Severity",
    "Terms",
    "catalogue_titles",
    "check_canvas",
    "load_lexicon",
]

Severity: TypeAlias = Literal["warning", "info"]

DEFAULT_LEXICON_PATH = Path(__file__).resolve().parent / "data" / "hype_words.json"
RISK_SCORE_THRESHOLD = 15
"""A risk whose likelihood × impact reaches this needs a mitigation."""

CODES = (
    "hype",
    "absolute",
    "unbacked_growth",
    "unbacked_accuracy",
    "no_baseline",
    "no_sample_count",
    "no_unit",
    "small_sample",
    "eval_overlap",
    "sample_model_result",
    "unmitigated_risk",
    "missing_checklist",
    "no_evidence",
)
LANGUAGES = ("en", "zh")
CATEGORIES = ("hype", "absolute", "growth_claims", "accuracy_claims")

# A metric that measures time, beyond what bounds.is_latency_metric already knows ("latency", "ms", 延迟…).
_TIME_LIKE = re.compile(r"\b(time|duration|seconds?|secs?|minutes?)\b|时间|时长|响应|秒", re.IGNORECASE)
_LABEL_LIMIT = 60  # longest risk title / model name quoted in a message
_EXCERPT_LIMIT = 80


# --- findings -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One thing to look at, attached to the canvas unit (``path``) it concerns."""

    code: str
    path: str
    severity: Severity
    message_en: str
    message_zh: str
    excerpt: str = ""

    def as_json(self) -> dict[str, str]:
        """The finding as plain strings, ready for ``json.dumps``."""
        return {
            "code": self.code,
            "path": self.path,
            "severity": self.severity,
            "message_en": self.message_en,
            "message_zh": self.message_zh,
            "excerpt": self.excerpt,
        }


# --- lexicon --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """The phrases of one category, per language."""

    en: tuple[str, ...] = ()
    zh: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    """Every phrase the checker looks for, by category; see ``data/hype_words.json``."""

    hype: Terms = field(default_factory=Terms)
    absolute: Terms = field(default_factory=Terms)
    growth_claims: Terms = field(default_factory=Terms)
    accuracy_claims: Terms = field(default_factory=Terms)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Lexicon:
        """Build a lexicon from ``{category: {language: [phrase, ...]}}``; keys starting with "_" are comments.

        Raises ``ValueError`` when the shape is wrong (an unknown category or language, a phrase that is
        not a non-empty string).
        """
        if not isinstance(data, Mapping):
            raise ValueError("The lexicon must be a JSON object of categories.")
        categories: dict[str, Terms] = {}
        for category, languages in data.items():
            if isinstance(category, str) and category.startswith("_"):
                continue
            if category not in CATEGORIES:
                raise ValueError(f"Unknown lexicon category {category!r}; expected one of {', '.join(CATEGORIES)}.")
            if not isinstance(languages, Mapping):
                raise ValueError(f"Lexicon category {category!r} must map languages to lists of phrases.")
            per_language: dict[str, tuple[str, ...]] = {}
            for language, phrases in languages.items():
                if language not in LANGUAGES:
                    raise ValueError(f"Unknown language {language!r} in {category!r}; expected en or zh.")
                if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
                    raise ValueError(f"{category}.{language} must be a list of non-empty strings.")
                per_language[language] = tuple(dict.fromkeys(p.strip() for p in phrases))
            categories[category] = Terms(**per_language)
        return cls(**categories)


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The lexicon in the JSON file at ``path``; the packaged ``data/hype_words.json`` (read once) when None."""
    if path is None:
        return _default_lexicon()
    return _read_lexicon(path)


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    return _read_lexicon(DEFAULT_LEXICON_PATH)


def _read_lexicon(path: Path) -> Lexicon:
    with path.open(encoding="utf-8") as handle:
        return Lexicon.from_mapping(json.load(handle))


# --- matching -------------------------------------------------------------------------------------------------

_SEPARATOR = re.compile(r"[\s\-]+")
_APOSTROPHES = "['\u2019]"
# A whole English word: no letter or digit (or letter-hyphen, i.e. a compound) right before or after.
_EN_BEFORE = r"(?<![A-Za-z0-9])(?<![A-Za-z0-9]-)"
_EN_AFTER = r"(?![A-Za-z0-9])(?!-[A-Za-z0-9])"


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    text: str
    key: str


def _case_scoped(regex: str, phrase: str) -> str:
    return f"(?-i:{regex})" if any(ch.isupper() for ch in phrase) else regex


def _en_regex(phrase: str) -> str:
    words = [re.escape(word).replace("'", _APOSTROPHES) for word in _SEPARATOR.split(phrase) if word]
    return _case_scoped(r"[\s\-]+".join(words), phrase)


def _zh_regex(phrase: str) -> str:
    chars = [re.escape(ch) for ch in phrase if not ch.isspace()]
    return _case_scoped(r"\s*".join(chars), phrase)


_TOKEN = re.compile(r"[A-Za-z0-9]+")


class _Matcher:
    """The compiled phrases of one category.

    English phrases starting with an ASCII letter or digit are indexed by their first word, so a text is
    scanned word by word with dictionary look-ups (a long alternation tried at every position is several
    times slower); everything else (Chinese, odd English) is one alternation, longest phrase first.
    """

    def __init__(self, terms: Terms) -> None:
        by_token: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
        others: list[tuple[int, str]] = []
        for phrase in (unicodedata.normalize("NFKC", p) for p in terms.en):
            regex = f"{_EN_BEFORE}{_en_regex(phrase)}{_EN_AFTER}"
            first = _TOKEN.match(phrase)
            if first is None:
                others.append((len(phrase), regex))
            else:
                by_token.setdefault(first.group().lower(), []).append((len(phrase), re.compile(regex, re.IGNORECASE)))
        others += [(len(p), _zh_regex(p)) for p in (unicodedata.normalize("NFKC", p) for p in terms.zh)]
        self.by_token = {
            token: tuple(rx for _, rx in sorted(entries, key=lambda e: -e[0])) for token, entries in by_token.items()
        }
        self.first_words = frozenset(self.by_token)
        ordered = [regex for _, regex in sorted(others, key=lambda e: -e[0])]
        self.others = re.compile("|".join(ordered), re.IGNORECASE) if ordered else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Non-overlapping (start, end) of the phrases in ``text``: leftmost first, then longest."""
        found: list[tuple[int, int]] = []
        if self.first_words:
            lowered, words = _words(text)
            for word in self.first_words & words:
                regexes, size, pos = self.by_token[word], len(word), lowered.find(word)
                while pos != -1:
                    after = pos + size
                    if (pos == 0 or lowered[pos - 1] not in _ALNUM) and (
                        after == len(lowered) or lowered[after] not in _ALNUM
                    ):
                        for regex in regexes:
                            match = regex.match(text, pos)
                            if match:
                                found.append(match.span())
                                break
                    pos = lowered.find(word, after)
        if self.others is not None:
            found += [m.span() for m in self.others.finditer(text)]
        found.sort(key=lambda span: (span[0], -span[1]))
        kept: list[tuple[int, int]] = []
        for span in found:
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        return kept


_ALNUM = frozenset(string.ascii_letters + string.digits)


@lru_cache(maxsize=64)  # the four categories of one check read the same texts
def _words(text: str) -> tuple[str, frozenset[str]]:
    """``text`` with ASCII letters lower-cased (same length, so offsets hold) and its set of ASCII words."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few non-ASCII letters change length when lower-cased
        lowered = text.translate(_ASCII_LOWER)
    return lowered, frozenset(_TOKEN.findall(lowered))


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


@lru_cache(maxsize=64)
def _matcher(terms: Terms) -> _Matcher:
    return _Matcher(terms)


def _find(terms: Terms, text: str) -> list[_Match]:
    if not text:
        return []
    matches = []
    keys: dict[str, str] = {}
    for start, end in _matcher(terms).spans(text):
        phrase = text[start:end]
        if (key := keys.get(phrase)) is None:
            key = keys[phrase] = _SEPARATOR.sub(" ", phrase.casefold().replace("\u2019", "'"))
        matches.append(_Match(start, end, phrase, key))
    return matches


def _distinct(matches: list[_Match]) -> list[_Match]:
    seen: dict[str, _Match] = {}
    for match in matches:
        seen.setdefault(match.key, match)
    return list(seen.values())


# --- reading an odd canvas safely -------------------------------------------------------------------------------

_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")


def _plain(value: Any) -> str:
    """``value`` as plain, NFKC-normalised text; anything but a string is empty."""
    if not isinstance(value, str) or not value:
        return ""
    text = value
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def _mapping(value: Any) -> Mapping[Any, Any]:
    return value if isinstance(value, Mapping) else {}


def _rows(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def as_number(value: Any) -> float | None:
    """A finite number from an int, a float or a numeric string ("1,200", "92%"); else None."""
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, int | float):
            number = float(value)
        elif isinstance(value, str):
            number = float(value.strip().replace(",", "").removesuffix("%"))
        else:
            return None
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _label(value: Any) -> str:
    """A period or metric label: stripped text, or a number written out ("2024"); else empty."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return _format_number(value) if math.isfinite(value) else ""
    return " ".join(_plain(value).split())


def _is_filled(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    return bool(_plain(value).strip())


def _is_positive_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value > 0
    if isinstance(value, float):
        return math.isfinite(value) and value.is_integer() and value > 0
    if isinstance(value, str):
        digits = value.strip().replace(",", "").replace("_", "").replace(" ", "")
        return digits.isascii() and digits.isdigit() and digits.strip("0") != ""
    return False


def _short(text: str, limit: int = _LABEL_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _format_number(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"


# --- the rules --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    path: str
    row: int | None  # 1-based, for list units
    text: str


def _claim_fields(story: Mapping[str, str], ask: Mapping[Any, Any]) -> list[_Field]:
    fields = [_Field(f"story.{name}", None, text) for name, text in story.items()]
    for unit, key in (("use_of_funds", "label"), ("milestones", "text")):
        for index, row in enumerate(_rows(ask.get(unit)), start=1):
            value = row if isinstance(row, str) else _mapping(row).get(key)
            fields.append(_Field(f"ask.{unit}", index, _plain(value)))
    return [f for f in fields if f.text]


def _row_prefix(row: int | None) -> tuple[str, str]:
    return ("", "") if row is None else (f"Row {row}: ", f"第 {row} 行：")


def _inside(match: _Match, sorted_matches: list[_Match], starts: list[int]) -> bool:
    """Whether ``match`` lies within one of ``sorted_matches`` (non-overlapping, in text order; ``starts`` theirs)."""
    index = bisect_right(starts, match.start) - 1
    return index >= 0 and match.end <= sorted_matches[index].end


def _wording_findings(fields: list[_Field], lexicon: Lexicon) -> list[Finding]:
    findings: list[Finding] = []
    for f in fields:
        en, zh = _row_prefix(f.row)
        absolute_matches = _find(lexicon.absolute, f.text)
        starts = [m.start for m in absolute_matches]
        # A hype word inside an absolute claim ("绝对" in "绝对安全") is reported once, as the claim.
        hype = [m for m in _find(lexicon.hype, f.text) if not _inside(m, absolute_matches, starts)]
        for m in _distinct(hype):
            findings.append(
                Finding(
                    code="hype",
                    path=f.path,
                    severity="info",
                    message_en=f'{en}Swap "{m.text}" for something concrete: a number, a customer, a result.',
                    message_zh=f"{zh}把“{m.text}”换成具体的事实：一个数字、一位客户或一个结果。",
                    excerpt=_short(m.text, _EXCERPT_LIMIT),
                )
            )
        for m in _distinct(absolute_matches):
            findings.append(
                Finding(
                    code="absolute",
                    path=f.path,
                    severity="warning",
                    message_en=f'{en}"{m.text}" is hard to prove; say what you measured and against whom.',
                    message_zh=f"{zh}“{m.text}”很难证明；写出你测了什么、和谁做了比较。",
                    excerpt=_short(m.text, _EXCERPT_LIMIT),
                )
            )
    return findings


def _traction_backed(data: Mapping[Any, Any]) -> bool:
    """True when some metric has numeric values for at least two distinct periods."""
    periods: dict[str, set[str]] = {}
    for raw in _rows(data.get("traction")):
        row = _mapping(raw)
        period = _label(row.get("period"))
        if not period or as_number(row.get("value")) is None:
            continue
        metric = _label(row.get("metric")).casefold()
        periods.setdefault(metric, set()).add(period)
        if len(periods[metric]) >= 2:
            return True
    return False


def _experiments_backed(data: Mapping[Any, Any]) -> bool:
    return any(as_number(_mapping(row).get("value")) is not None for row in _rows(data.get("experiments")))


def _unbacked_findings(story: Mapping[str, str], data: Mapping[Any, Any], lexicon: Lexicon) -> list[Finding]:
    findings: list[Finding] = []
    growth_backed = _traction_backed(data)
    accuracy_backed = _experiments_backed(data)
    if growth_backed and accuracy_backed:
        return findings
    for name, text in story.items():
        if not text:
            continue
        path = f"story.{name}"
        if not growth_backed and (claims := _find(lexicon.growth_claims, text)):
            phrase = claims[0].text
            findings.append(
                Finding(
                    code="unbacked_growth",
                    path=path,
                    severity="warning",
                    message_en=f'You mention growth ("{phrase}"); add the traction figures that show it '
                    "(one metric over at least two periods).",
                    message_zh=f"这里提到了增长（“{phrase}”）；请在数据里补充能体现它的业务数据（同一指标至少两个周期）。",
                    excerpt=_short(phrase, _EXCERPT_LIMIT),
                )
            )
        if not accuracy_backed and (claims := _find(lexicon.accuracy_claims, text)):
            phrase = claims[0].text
            findings.append(
                Finding(
                    code="unbacked_accuracy",
                    path=path,
                    severity="warning",
                    message_en=f'You mention model performance ("{phrase}"); add an experiment that measures it.',
                    message_zh=f"这里提到了模型表现（“{phrase}”）；请补充一条带实测数值的实验记录。",
                    excerpt=_short(phrase, _EXCERPT_LIMIT),
                )
            )
    return findings


def _experiment_warning(*, code: str, message_en: str, message_zh: str, excerpt: str) -> Finding:
    """A warning about one row of the experiments table."""
    return Finding(
        code=code,
        path="data.experiments",
        severity="warning",
        message_en=message_en,
        message_zh=message_zh,
        excerpt=excerpt,
    )


def _experiment_findings(data: Mapping[Any, Any]) -> list[Finding]:
    findings: list[Finding] = []
    for index, raw in enumerate(_rows(data.get("experiments")), start=1):
        row = _mapping(raw)
        label = _short(" · ".join(s for s in (_plain(row.get(k)).strip() for k in ("model", "metric")) if s))
        en = f"Row {index} ({label})" if label else f"Row {index}"
        zh = f"第 {index} 行（{label}）" if label else f"第 {index} 行"
        if _is_filled(row.get("value")) and not _is_filled(row.get("baseline")):
            findings.append(
                _experiment_warning(
                    code="no_baseline",
                    message_en=f"{en}: add the baseline you compare against.",
                    message_zh=f"{zh}：请补充用来对比的基线。",
                    excerpt=label,
                )
            )
        if not _is_positive_integer(row.get("samples")):
            findings.append(
                _experiment_warning(
                    code="no_sample_count",
                    message_en=f"{en}: add how many samples you measured on.",
                    message_zh=f"{zh}：请补充测试用的样本数。",
                    excerpt=label,
                )
            )
        metric = _plain(row.get("metric"))
        if _is_filled(row.get("value")) and _is_time_metric(metric) and not _plain(row.get("unit")).strip():
            findings.append(
                _experiment_warning(
                    code="no_unit",
                    message_en=f"{en}: say the unit of this time (ms or s) in the Unit column.",
                    message_zh=f"{zh}：请在“单位”一栏写明这个时间的单位（ms 或 s）。",
                    excerpt=label,
                )
            )
        findings += _measured_findings(row, en, zh, label)
    return findings


def _is_time_metric(metric: str) -> bool:
    """Whether ``metric`` measures time: latency, response time, duration, 延迟, 耗时, 响应时间…"""
    return is_latency_metric(metric) or bool(_TIME_LIKE.search(metric))


def _measured_findings(row: Mapping[Any, Any], en: str, zh: str, label: str) -> list[Finding]:
    """What an investor's diligence would ask of one result: is n large enough, was the model tested on what it
    was trained on, and is it the company's own model at all."""
    findings: list[Finding] = []
    plain = {str(key): value for key, value in row.items()}
    if is_small_sample(plain):
        samples = as_number(row.get("samples"))
        n = f"n = {_format_number(samples)}" if samples is not None else ""
        half = half_width_points(plain)
        width = f"±{half:.0f}" if half is not None else ""
        size_en = ", ".join(part for part in (n, f"95% interval {width} points" if width else "") if part)
        size_zh = "，".join(part for part in (n, f"95% 置信区间 {width} 个百分点" if width else "") if part)
        findings.append(
            _experiment_warning(
                code="small_sample",
                message_en=f"{en}: a small sample ({size_en}); measure on at least {SMALL_SAMPLE_N} samples "
                "before you lean on this figure.",
                message_zh=f"{zh}：样本量偏小（{size_zh}）；请至少用 {SMALL_SAMPLE_N} 个样本测试后再引用该数字。",
                excerpt=label,
            )
        )
    overlap = as_number(row.get("overlap"))
    if overlap is not None and overlap > 0:
        count = _format_number(overlap)
        findings.append(
            _experiment_warning(
                code="eval_overlap",
                message_en=f"{en}: {count} of the evaluation inputs were also training examples, so the figure "
                "overstates how the model does on new data. Evaluate on examples it has never seen.",
                message_zh=f"{zh}：有 {count} 条评估输入同时是训练样本，该数字会高估模型在新数据上的表现。"
                "请用模型从未见过的样本评估。",
                excerpt=label,
            )
        )
    if row.get("sample_model") is True:
        findings.append(
            _experiment_warning(
                code="sample_model_result",
                message_en=f"{en}: measured on a PitchLab sample model, not your own; remove it or replace it "
                "with your model's result.",
                message_zh=f"{zh}：该结果来自 PitchLab 示例模型，并非你们自己的模型；请删除或替换为你们模型的结果。",
                excerpt=label,
            )
        )
    return findings


def _risk_findings(risks: Any) -> list[Finding]:
    findings: list[Finding] = []
    for index, raw in enumerate(_rows(risks), start=1):
        risk = _mapping(raw)
        likelihood, impact = as_number(risk.get("likelihood")), as_number(risk.get("impact"))
        if likelihood is None or impact is None or likelihood <= 0 or impact <= 0:
            continue
        # Each on the canvas' 1–5 scale: a level stored before the bounds (say 1e200) would make a score of inf.
        likelihood, impact = min(5.0, max(1.0, likelihood)), min(5.0, max(1.0, impact))
        score = likelihood * impact
        if score < RISK_SCORE_THRESHOLD or _plain(risk.get("mitigation")).strip():
            continue
        title = _short(_plain(risk.get("title")).strip() or _plain(risk.get("key")).strip() or f"#{index}")
        sum_en = f"{_format_number(score)} ({_format_number(likelihood)}×{_format_number(impact)})"
        sum_zh = f"{_format_number(score)}（{_format_number(likelihood)}×{_format_number(impact)}）"
        findings.append(
            Finding(
                code="unmitigated_risk",
                path="risks",
                severity="warning",
                message_en=f'Risk "{title}" scores {sum_en}: add how you will reduce it.',
                message_zh=f"风险“{title}”评分 {sum_zh}：请补充应对措施。",
                excerpt=title,
            )
        )
    return findings


CATALOGUE_PATH = Path(__file__).resolve().parents[1] / "checklists" / "data" / "catalogue.json"


@lru_cache(maxsize=1)
def catalogue_titles() -> dict[str, tuple[str, str]]:
    """The packaged business-model items' titles by key: (English, Chinese); {} when the file cannot be read."""
    try:
        data = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    titles: dict[str, tuple[str, str]] = {}
    for raw in _rows(_mapping(data).get("business")):
        item = _mapping(raw)
        key, en, zh = (str(item.get(name) or "").strip() for name in ("key", "title_en", "title_zh"))
        if key and en:
            titles[key] = (en, zh or en)
    return titles


def _business_findings(business: Mapping[Any, Any], titles: Mapping[str, tuple[str, str]]) -> list[Finding]:
    findings: list[Finding] = []
    for key, raw in business.items():
        item = _mapping(raw)
        status = _plain(item.get("status")).strip().lower()
        # The item's own title in each language; a key the catalogue does not know is the founder's own word.
        own = str(key).replace("_", " ").replace("-", " ")
        name_en, name_zh = (_short(title) for title in titles.get(str(key), (own, own)))
        path = f"business.{key}"
        if status == "missing":
            findings.append(
                Finding(
                    code="missing_checklist",
                    path=path,
                    severity="info",
                    message_en=f'"{name_en}" is not started yet; jot down what you know so far.',
                    message_zh=f"“{name_zh}”还没有开始；先写下你目前掌握的情况。",
                )
            )
        elif status == "done" and not _plain(item.get("evidence")).strip():
            findings.append(
                Finding(
                    code="no_evidence",
                    path=path,
                    severity="info",
                    message_en=f'"{name_en}" is marked done; add the evidence (a link, a figure, a document).',
                    message_zh=f"“{name_zh}”已标记为完成；请补充证据（链接、数字或文件）。",
                )
            )
    return findings


def check_canvas(
    canvas: Mapping[str, Any],
    *,
    lexicon: Lexicon | None = None,
    titles: Mapping[str, tuple[str, str]] | None = None,
) -> list[Finding]:
    """Every finding for ``canvas``, ordered by unit (``canvas.unit_paths`` order), then code.

    ``lexicon`` defaults to the packaged one (``load_lexicon()``); ``titles`` names the business-model items
    (key → English and Chinese title) and defaults to the packaged catalogue's (``catalogue_titles()``).
    Never raises on a partial or odd canvas.
    """
    lexicon = lexicon if lexicon is not None else load_lexicon()
    titles = titles if titles is not None else catalogue_titles()
    root = _mapping(canvas)
    story_unit, data, ask = _mapping(root.get("story")), _mapping(root.get("data")), _mapping(root.get("ask"))
    business = _mapping(root.get("business"))
    story = {name: _plain(story_unit.get(name)) for name in STORY_FIELDS}  # plain text, in editor order

    findings = _wording_findings(_claim_fields(story, ask), lexicon)
    findings += _unbacked_findings(story, data, lexicon)
    findings += _experiment_findings(data)
    findings += _risk_findings(root.get("risks"))
    findings += _business_findings(business, titles)

    order = {path: index for index, path in enumerate(unit_paths({"business": business}))}
    findings.sort(key=lambda f: (order.get(f.path, len(order)), f.code))  # stable: row and text order kept
    return findings
