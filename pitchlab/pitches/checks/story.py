"""Checks of the founder's wording: hype and absolute claims, and growth or accuracy claims the data does not back."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from pitchlab.core.numbers import finite
from pitchlab.pitches.canvas import STORY_FIELDS
from pitchlab.pitches.checks.findings import EXCERPT_LIMIT, CheckContext, Finding, plain, row_prefix, short
from pitchlab.pitches.checks.lexicon import Match, distinct, find
from pitchlab.pitches.read_model import CanvasView, Data

__all__ = ["unbacked_findings", "wording_findings"]


@dataclass(frozen=True)
class _Field:
    path: str
    row: int | None  # 1-based, for list units
    text: str


def _story(view: CanvasView) -> dict[str, str]:
    """The story fields as plain text, in editor order."""
    return {name: plain(getattr(view.story, name)) for name in STORY_FIELDS}


def _claim_fields(view: CanvasView) -> list[_Field]:
    """Every text where a claim can be made: the story, the use-of-funds labels and the milestones."""
    fields = [_Field(f"story.{name}", None, text) for name, text in _story(view).items()]
    fields += [_Field("ask.use_of_funds", i, plain(row.label)) for i, row in enumerate(view.ask.use_of_funds, 1)]
    fields += [_Field("ask.milestones", i, plain(row.text)) for i, row in enumerate(view.ask.milestones, 1)]
    return [f for f in fields if f.text]


def _inside(match: Match, sorted_matches: list[Match], starts: list[int]) -> bool:
    """Whether ``match`` lies within one of ``sorted_matches`` (non-overlapping, in text order; ``starts`` theirs)."""
    index = bisect_right(starts, match.start) - 1
    return index >= 0 and match.end <= sorted_matches[index].end


def wording_findings(view: CanvasView, context: CheckContext) -> list[Finding]:
    """``hype`` (info) and ``absolute`` (warning): the lexicon's phrases in the story, use of funds and milestones."""
    lexicon = context.lexicon
    findings: list[Finding] = []
    for f in _claim_fields(view):
        en, zh = row_prefix(f.row)
        absolute_matches = find(lexicon.absolute, f.text)
        starts = [m.start for m in absolute_matches]
        # A hype word inside an absolute claim ("绝对" in "绝对安全") is reported once, as the claim.
        hype = [m for m in find(lexicon.hype, f.text) if not _inside(m, absolute_matches, starts)]
        for m in distinct(hype):
            findings.append(
                Finding(
                    code="hype",
                    path=f.path,
                    severity="info",
                    message_en=f'{en}Swap "{m.text}" for something concrete: a number, a customer, a result.',
                    message_zh=f"{zh}把“{m.text}”换成具体的事实：一个数字、一位客户或一个结果。",
                    excerpt=short(m.text, EXCERPT_LIMIT),
                )
            )
        for m in distinct(absolute_matches):
            findings.append(
                Finding(
                    code="absolute",
                    path=f.path,
                    severity="warning",
                    message_en=f'{en}"{m.text}" is hard to prove; say what you measured and against whom.',
                    message_zh=f"{zh}“{m.text}”很难证明；写出你测了什么、和谁做了比较。",
                    excerpt=short(m.text, EXCERPT_LIMIT),
                )
            )
    return findings


def _label(text: str) -> str:
    return " ".join(plain(text).split())


def _traction_backed(data: Data) -> bool:
    """True when some metric has numeric values for at least two distinct periods."""
    periods: dict[str, set[str]] = {}
    for row in data.traction:
        period = _label(row.period)
        if not period or finite(row.value) is None:
            continue
        metric = _label(row.metric).casefold()
        periods.setdefault(metric, set()).add(period)
        if len(periods[metric]) >= 2:
            return True
    return False


def _experiments_backed(data: Data) -> bool:
    return any(finite(row.value) is not None for row in data.experiments)


def unbacked_findings(view: CanvasView, context: CheckContext) -> list[Finding]:
    """``unbacked_growth`` / ``unbacked_accuracy`` (warnings): a story field claims growth / model performance
    while no traction metric has two periods / no experiment has a numeric value."""
    findings: list[Finding] = []
    growth_backed = _traction_backed(view.data)
    accuracy_backed = _experiments_backed(view.data)
    if growth_backed and accuracy_backed:
        return findings
    for name, text in _story(view).items():
        if not text:
            continue
        path = f"story.{name}"
        if not growth_backed and (claims := find(context.lexicon.growth_claims, text)):
            phrase = claims[0].text
            findings.append(
                Finding(
                    code="unbacked_growth",
                    path=path,
                    severity="warning",
                    message_en=f'You mention growth ("{phrase}"); add the traction figures that show it '
                    "(one metric over at least two periods).",
                    message_zh=f"这里提到了增长（“{phrase}”）；请在数据里补充能体现它的业务数据（同一指标至少两个周期）。",
                    excerpt=short(phrase, EXCERPT_LIMIT),
                )
            )
        if not accuracy_backed and (claims := find(context.lexicon.accuracy_claims, text)):
            phrase = claims[0].text
            findings.append(
                Finding(
                    code="unbacked_accuracy",
                    path=path,
                    severity="warning",
                    message_en=f'You mention model performance ("{phrase}"); add an experiment that measures it.',
                    message_zh=f"这里提到了模型表现（“{phrase}”）；请补充一条带实测数值的实验记录。",
                    excerpt=short(phrase, EXCERPT_LIMIT),
                )
            )
    return findings
