"""Checks of the experiments table: what an investor's diligence asks of each result."""

from __future__ import annotations

import math
import re

from pitchlab.core.numbers import finite
from pitchlab.pitches.bounds import is_latency_metric
from pitchlab.pitches.checks.findings import CheckContext, Finding, format_number, is_filled, plain, short
from pitchlab.pitches.metrics import SMALL_SAMPLE_N, half_width_points, is_small_sample
from pitchlab.pitches.read_model import CanvasView, Experiment, Num

__all__ = ["experiment_findings"]

# A metric that measures time, beyond what bounds.is_latency_metric already knows ("latency", "ms", 延迟…).
_TIME_LIKE = re.compile(r"\b(time|duration|seconds?|secs?|minutes?)\b|时间|时长|响应|秒", re.IGNORECASE)


def _warning(*, code: str, message_en: str, message_zh: str, excerpt: str) -> Finding:
    """A warning about one row of the experiments table."""
    return Finding(
        code=code,
        path="data.experiments",
        severity="warning",
        message_en=message_en,
        message_zh=message_zh,
        excerpt=excerpt,
    )


def _is_positive_integer(value: Num | None) -> bool:
    if isinstance(value, float):
        return math.isfinite(value) and value.is_integer() and value > 0
    return value is not None and value > 0


def _is_time_metric(metric: str) -> bool:
    """Whether ``metric`` measures time: latency, response time, duration, 延迟, 耗时, 响应时间…"""
    return is_latency_metric(metric) or bool(_TIME_LIKE.search(metric))


def experiment_findings(view: CanvasView, context: CheckContext) -> list[Finding]:
    """Per row: ``no_baseline`` (a value without a baseline), ``no_sample_count``, ``no_unit`` (a time without
    ms or s), and the diligence findings of ``_measured_findings``; all warnings, naming the row."""
    findings: list[Finding] = []
    for index, row in enumerate(view.data.experiments, start=1):
        label = short(" · ".join(s for s in (plain(row.model).strip(), plain(row.metric).strip()) if s))
        en = f"Row {index} ({label})" if label else f"Row {index}"
        zh = f"第 {index} 行（{label}）" if label else f"第 {index} 行"
        if is_filled(row.value) and not is_filled(row.baseline):
            findings.append(
                _warning(
                    code="no_baseline",
                    message_en=f"{en}: add the baseline you compare against.",
                    message_zh=f"{zh}：请补充用来对比的基线。",
                    excerpt=label,
                )
            )
        if not _is_positive_integer(row.samples):
            findings.append(
                _warning(
                    code="no_sample_count",
                    message_en=f"{en}: add how many samples you measured on.",
                    message_zh=f"{zh}：请补充测试用的样本数。",
                    excerpt=label,
                )
            )
        if is_filled(row.value) and _is_time_metric(plain(row.metric)) and not plain(row.unit).strip():
            findings.append(
                _warning(
                    code="no_unit",
                    message_en=f"{en}: say the unit of this time (ms or s) in the Unit column.",
                    message_zh=f"{zh}：请在“单位”一栏写明这个时间的单位（ms 或 s）。",
                    excerpt=label,
                )
            )
        findings += _measured_findings(row, en, zh, label)
    return findings


def _measured_findings(row: Experiment, en: str, zh: str, label: str) -> list[Finding]:
    """What an investor's diligence would ask of one result: is n large enough, was the model tested on what it
    was trained on, and is it the company's own model at all."""
    findings: list[Finding] = []
    figures = row.figures()
    if is_small_sample(figures):
        samples = finite(row.samples)
        n = f"n = {format_number(samples)}" if samples is not None else ""
        half = half_width_points(figures)
        width = f"±{half:.0f}" if half is not None else ""
        size_en = ", ".join(part for part in (n, f"95% interval {width} points" if width else "") if part)
        size_zh = "，".join(part for part in (n, f"95% 置信区间 {width} 个百分点" if width else "") if part)
        findings.append(
            _warning(
                code="small_sample",
                message_en=f"{en}: a small sample ({size_en}); measure on at least {SMALL_SAMPLE_N} samples "
                "before you lean on this figure.",
                message_zh=f"{zh}：样本量偏小（{size_zh}）；请至少用 {SMALL_SAMPLE_N} 个样本测试后再引用该数字。",
                excerpt=label,
            )
        )
    if row.overlap is not None and row.overlap > 0:
        count = str(row.overlap)
        findings.append(
            _warning(
                code="eval_overlap",
                message_en=f"{en}: {count} of the evaluation inputs were also training examples, so the figure "
                "overstates how the model does on new data. Evaluate on examples it has never seen.",
                message_zh=f"{zh}：有 {count} 条评估输入同时是训练样本，该数字会高估模型在新数据上的表现。"
                "请用模型从未见过的样本评估。",
                excerpt=label,
            )
        )
    if row.sample_model:
        findings.append(
            _warning(
                code="sample_model_result",
                message_en=f"{en}: measured on a PitchLab sample model, not your own; remove it or replace it "
                "with your model's result.",
                message_zh=f"{zh}：该结果来自 PitchLab 示例模型，并非你们自己的模型；请删除或替换为你们模型的结果。",
                excerpt=label,
            )
        )
    return findings
