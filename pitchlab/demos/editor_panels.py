"""The demos' part of the canvas editor (pitches/panels.py), registered in DemosConfig.ready(): the summary of
the pitch's demo models at the top of the Demo section, linking to their page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pitchlab.demos.selectors import demo_model_list
from pitchlab.pitches.panels import EditorPage


def demo_panel_context(page: EditorPage) -> Mapping[str, Any]:
    return {"demo_models": list(demo_model_list(pitch=page.pitch))}
