"""What other apps keep in a pitch's revisions beside the canvas: their parts of ``PitchRevision.parts``.

The canvas knows nothing of the apps built on it, so they register a ``RevisionPart`` in ``AppConfig.ready``
(``revision_part``), named by its key in ``parts``. ``revision_create`` stores each part's ``snapshot(pitch)``
(small JSON: what the app needs to bring its rows back, never file contents); ``revision_restore`` hands each
part what that revision recorded, inside its transaction and before the canvas is saved, and applies the canvas
changes the part answers (the brand's logo ids, remapped to the rows as they are now). A revision made before a
part existed has no entry for it: the part's ``restore`` is not called, and the restore is the canvas alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pitchlab.pitches.canvas import Canvas
from pitchlab.pitches.models import Pitch, PitchRevision
from pitchlab.pitches.portable import CanvasChanges


@dataclass(frozen=True)
class RevisionPart:
    """``snapshot(pitch)``: JSON for the revision being made. ``restore(pitch, saved, canvas)``: bring back what
    ``saved`` (a snapshot of this part) records for ``pitch``, whose canvas becomes ``canvas``; answers the
    changes that canvas needs (unit path → value)."""

    name: str
    snapshot: Callable[[Pitch], Any]
    restore: Callable[[Pitch, Any, Canvas], CanvasChanges]


_PARTS: dict[str, RevisionPart] = {}


def revision_part(part: RevisionPart) -> None:
    """Register ``part`` (in an AppConfig.ready()); one per name."""
    if not part.name:
        raise ValueError("a revision part needs a name")
    _PARTS[part.name] = part


def revision_parts() -> list[RevisionPart]:
    return [_PARTS[name] for name in sorted(_PARTS)]


def parts_since(*, revision: PitchRevision, pitch: Pitch) -> list[dict[str, Any]]:
    """How many of each part's things (pictures) ``revision`` recorded and how many ``pitch`` has now, for the
    parts whose count differs: ``[{"part": "pictures", "before": 2, "after": 3}]``. A revision made before a part
    existed says nothing of it."""
    counts = []
    for part in revision_parts():
        saved = revision.parts.get(part.name)
        if isinstance(saved, list):
            now = part.snapshot(pitch)
            if len(now) != len(saved):
                counts.append({"part": part.name, "before": len(saved), "after": len(now)})
    return counts
