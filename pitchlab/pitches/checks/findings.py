"""What the checker reports (a ``Finding`` per thing to look at), what a rule receives, and what rules share."""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

from pitchlab.pitches.checks.lexicon import Lexicon
from pitchlab.pitches.read_model import CanvasView, Num

__all__ = [
    "CODES",
    "EXCERPT_LIMIT",
    "LABEL_LIMIT",
    "CheckContext",
    "Finding",
    "Rule",
    "Severity",
    "format_number",
    "is_filled",
    "plain",
    "row_prefix",
    "short",
]

Severity: TypeAlias = Literal["warning", "info"]

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

LABEL_LIMIT = 60  # longest risk title / model name quoted in a message
EXCERPT_LIMIT = 80


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


def short(text: str, limit: int = LABEL_LIMIT) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_number(value: float) -> str:
    """A figure as a message quotes it: 25 rather than 25.0, else the shortest form."""
    return str(int(value)) if value.is_integer() else f"{value:g}"


def row_prefix(row: int | None) -> tuple[str, str]:
    """ "Row 2: " / "第 2 行：" for a list unit's 1-based row; nothing for a single field."""
    return ("", "") if row is None else (f"Row {row}: ", f"第 {row} 行：")


_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")


def plain(text: str) -> str:
    """``text`` as plain, NFKC-normalised text: HTML tags dropped, entities decoded (editors may store rich text)."""
    if not text:
        return ""
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def is_filled(value: Num | None) -> bool:
    """Whether a figure is given: any int, or a finite float (a NaN stored before the canvas' bounds is not)."""
    return value is not None and (not isinstance(value, float) or math.isfinite(value))


@dataclass(frozen=True)
class CheckContext:
    """What every rule reads besides the canvas: the phrases to look for and the business items' titles."""

    lexicon: Lexicon
    titles: Mapping[str, tuple[str, str]]


Rule: TypeAlias = Callable[[CanvasView, CheckContext], list[Finding]]
"""One family of checks: the canvas and the context in, its findings (in canvas order) out."""
