"""Predictors: preprocess → forward → postprocess, one module per kind of input."""

from __future__ import annotations

from typing import Any


def argmax(probabilities: list[float]) -> int:
    """The index of the most probable label."""
    return max(range(len(probabilities)), key=probabilities.__getitem__)


def top_k(probabilities: list[float], labels: tuple[str, ...], k: int) -> list[dict[str, Any]]:
    """The ``k`` most probable labels, most probable first."""
    ranked = sorted(range(len(labels)), key=lambda i: probabilities[i], reverse=True)[: max(1, k)]
    return [{"label": labels[i], "probability": round(float(probabilities[i]), 6)} for i in ranked]
