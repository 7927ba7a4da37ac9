"""Native PowerPoint charts of a pitch (placeholder interface: the charts helper replaces this module)."""

from __future__ import annotations

from typing import Any

from pptx.shapes.shapetree import SlideShapes

from pitchlab.decks.powerpoint.base import Frame, Look
from pitchlab.decks.slides import Deck
from pitchlab.pitches.canvas import Canvas
from pitchlab.pitches.read_model import CanvasView

NativeChart = Any


def native_chart(kind: str, canvas: CanvasView | Canvas, *, lang: str, company: str) -> NativeChart | None:
    return None


def native_charts(deck: Deck, canvas: CanvasView | Canvas) -> dict[str, NativeChart]:
    kinds = {block.chart for slide in deck.slides for block in slide.blocks if block.kind == "chart" and block.chart}
    found = {kind: native_chart(kind, canvas, lang=deck.lang, company=deck.company) for kind in sorted(kinds)}
    return {kind: chart for kind, chart in found.items() if chart is not None}


def draw_native_chart(shapes: SlideShapes, chart: NativeChart, frame: Frame, look: Look) -> None:
    return None
