"""What a demo slide needs of a demo model, as plain data (the deck and the PDF render it; no ORM)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pitchlab.demos.qr import loopback_warning, url_is_loopback


@dataclass(frozen=True)
class StageExample:
    """A curated example. ``cached`` is pre-flight's answer:
    {"labels": [{label, score}], "latency_ms", "device", "at"}."""

    id: int
    text: str
    image_url: str  # "" for a text example
    expected: str
    cached: dict[str, Any] | None


@dataclass(frozen=True)
class StageModel:
    """One live demo slide: the model, its curated examples with their cached outputs, and where to call it."""

    id: int
    name: str
    kind: str  # "text" | "image"
    labels: tuple[str, ...]
    ready: bool
    metrics: dict[str, Any]  # e.g. {"accuracy": 0.98, "macro_f1": 0.97, "examples": 64, "source": "held-out"}
    examples: tuple[StageExample, ...] = ()
    predict_url: str = ""
    explain_url: str = ""
    audience_url: str = ""  # the absolute public link, "" when none is open
    qr_svg: str = ""  # the audience link as an SVG QR code, "" when none is open
    budget_ms: int = 2000
    trained_on: str = ""  # what the model was trained on, its languages and labels (demos/domain.py), "" if unsaid

    @property
    def audience_loopback(self) -> bool:
        """Whether the audience link names this computer only: the QR code is dead for every phone."""
        return url_is_loopback(self.audience_url)

    @property
    def audience_warning(self) -> str:
        """What every surface says next to a dead QR code (in the active language), "" when phones can open it."""
        return loopback_warning(self.audience_url)
