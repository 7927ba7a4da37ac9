"""A Drawing to plain JSON and back, so rendered charts can sit in the cache (no pickle)."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from pitchlab.decks.charts.ir import Circle, Drawing, Line, Polyline, Rect, Shape, Text, Wedge

_TYPES: dict[str, type[Any]] = {cls.__name__: cls for cls in (Rect, Line, Polyline, Circle, Wedge, Text)}


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(item) for item in value)
    return value


def drawing_to_json(drawing: Drawing) -> dict[str, Any]:
    data = asdict(drawing)
    data["shapes"] = [{"type": type(shape).__name__, **asdict(shape)} for shape in drawing.shapes]
    return data


def drawing_from_json(data: dict[str, Any]) -> Drawing:
    shapes: list[Shape] = []
    for raw in data["shapes"]:
        cls = _TYPES[raw["type"]]
        names = {f.name for f in fields(cls)}
        shapes.append(cls(**{key: _tuples(value) for key, value in raw.items() if key in names}))
    return Drawing(
        kind=data["kind"],
        width=data["width"],
        height=data["height"],
        shapes=tuple(shapes),
        title=data.get("title", ""),
        description=data.get("description", ""),
        meta=_tuples(data.get("meta", [])),
    )
