"""What every PDF block drawer shares: boxes, the drawing style (canvas, theme, fonts, language) and words (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from pitchlab.decks.charts.ir import Drawing
from pitchlab.decks.deck_pictures import PrintFiles
from pitchlab.decks.fonts import FontSet
from pitchlab.decks.themes import Theme

GAP = 24.0  # between columns and stacked blocks
PAD = 18.0  # inside a card
MIN_SIZE = 9.0
_WORDS = {
    "live": ("Live on stage", "现场演示"),
    "script": ("Demo script", "演示脚本"),
    "examples": ("Curated example inputs", "精选示例输入"),
    "no_chart": ("Chart unavailable", "图表暂不可用"),
    "more": ("+{n} more", "另有 {n} 项"),
    "baseline": ("baseline", "基线"),
    "kind_text": ("Text classifier", "文本分类器"),
    "kind_image": ("Image classifier", "图像分类器"),
    "preparing": ("Not ready yet", "尚未就绪"),
    "labels": ("Labels", "标签"),
    "expected": ("expected {label}", "预期 {label}"),
    "no_expected": ("no expected label", "未设预期标签"),
    "not_preflighted": ("not pre-flighted yet", "尚未预检"),
    "image_example": ("image example", "图片示例"),
    "no_examples": ("No curated examples yet: the audience types its own.", "暂无精选示例：请观众现场输入。"),
    "metrics": ("Measured quality", "实测指标"),
    "no_metrics": ("Not evaluated yet", "尚未评估"),
    "accuracy": ("Accuracy", "准确率"),
    "macro_f1": ("Macro F1", "宏平均 F1"),
    "samples": ("Samples", "样本数"),
    "source": ("Source", "来源"),
    "small_sample": ("small sample", "样本量小"),
    "held_out": ("held-out set", "留出集"),
    "try": ("Try it on your phone", "用手机扫码试用"),
}


def block_word(lang: str, key: str, **values: object) -> str:
    """One of the words the slides' blocks print ("baseline", "+3 more", …) in ``lang``, for every renderer."""
    en, zh = _WORDS[key]
    return (zh if lang.startswith("zh") else en).format(**values)


@dataclass(frozen=True)
class Box:
    x: float
    y: float  # bottom
    w: float
    h: float

    @property
    def top(self) -> float:
        return self.y + self.h

    def inset(self, pad: float) -> Box:
        return Box(self.x + pad, self.y + pad, max(0.0, self.w - 2 * pad), max(0.0, self.h - 2 * pad))


@dataclass(frozen=True)
class Style:
    """How a page is drawn: its canvas, theme, fonts and language, the deck's charts and example images.

    ``images`` maps a demo example's ``image_url`` to the image's bytes (PNG or JPEG), for thumbnails;
    ``pictures`` cuts the pitch's pictures (logo, cover, screenshots, headshots) to a placement's size, or is None
    when the deck places none.
    """

    c: Canvas
    theme: Theme
    fonts: FontSet
    lang: str
    charts: Mapping[str, Drawing]
    images: Mapping[str, bytes] = field(default_factory=dict)
    pictures: PrintFiles | None = None

    def word(self, key: str, **values: object) -> str:
        return block_word(self.lang, key, **values)

    def card(self, box: Box, fill: str | None = None, radius: float = 10) -> None:
        self.c.setFillColor(fill or self.theme.surface)
        self.c.roundRect(box.x, box.y, box.w, box.h, min(radius, box.h / 2, box.w / 2), stroke=0, fill=1)


def split(box: Box, weights: Sequence[float], *, vertical: bool, gap: float = GAP) -> list[Box]:
    """``box`` cut into parts in proportion to ``weights``, side by side or (``vertical``) top to bottom."""
    total = sum(weights) or 1.0
    room = (box.h if vertical else box.w) - gap * (len(weights) - 1)
    boxes, offset = [], 0.0
    for weight in weights:
        length = room * weight / total
        if vertical:
            boxes.append(Box(box.x, box.top - offset - length, box.w, length))
        else:
            boxes.append(Box(box.x + offset, box.y, length, box.h))
        offset += length + gap
    return boxes
