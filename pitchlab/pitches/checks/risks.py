"""The risk check: a risk likely and grave enough needs a mitigation."""

from __future__ import annotations

from pitchlab.core.numbers import finite
from pitchlab.pitches.checks.findings import CheckContext, Finding, format_number, plain, short
from pitchlab.pitches.read_model import CanvasView

__all__ = ["RISK_SCORE_THRESHOLD", "risk_findings"]

RISK_SCORE_THRESHOLD = 15
"""A risk whose likelihood × impact reaches this needs a mitigation."""


def risk_findings(view: CanvasView, context: CheckContext) -> list[Finding]:
    """``unmitigated_risk`` (warning): a risk scoring likelihood × impact >= ``RISK_SCORE_THRESHOLD`` with no
    mitigation."""
    findings: list[Finding] = []
    for index, risk in enumerate(view.risks, start=1):
        likelihood, impact = finite(risk.likelihood), finite(risk.impact)
        if likelihood is None or impact is None or likelihood <= 0 or impact <= 0:
            continue
        # Each on the canvas' 1–5 scale: a level stored before the bounds (say 1e200) would make a score of inf.
        likelihood, impact = min(5.0, max(1.0, likelihood)), min(5.0, max(1.0, impact))
        score = likelihood * impact
        if score < RISK_SCORE_THRESHOLD or plain(risk.mitigation).strip():
            continue
        title = short(plain(risk.title).strip() or plain(risk.key).strip() or f"#{index}")
        sum_en = f"{format_number(score)} ({format_number(likelihood)}×{format_number(impact)})"
        sum_zh = f"{format_number(score)}（{format_number(likelihood)}×{format_number(impact)}）"
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
