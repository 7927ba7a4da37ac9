"""A pitch as one JSON document (export, import, templates), schema-versioned."""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from rest_framework import serializers

from pitchlab.core.text import first_unencodable
from pitchlab.pitches.canvas import SCHEMA_VERSION, Canvas, empty_canvas, get_unit, set_unit, unit_paths
from pitchlab.pitches.models import NAME_MAX_LENGTH
from pitchlab.pitches.validation import validate_unit

FORMAT = "pitchlab.pitch"
TEMPLATES_DIR = Path(__file__).resolve().parent / "data" / "templates"
TEMPLATE_META = ("template_title_en", "template_title_zh", "template_description_en", "template_description_zh")


def document_from(*, name: str, content: Canvas) -> dict[str, Any]:
    """The export document of a pitch."""
    return {"format": FORMAT, "schema": SCHEMA_VERSION, "name": name, "canvas": content}


def document_read(document: Any) -> tuple[str, Canvas]:
    """The name and a validated canvas from an export document; serializers.ValidationError says what is wrong."""
    if not isinstance(document, dict):
        raise serializers.ValidationError({"document": ["A PitchLab document is a JSON object."]})
    # A file upload does not pass the API's parsers: the same edge check, on the document itself.
    finding = first_unencodable(document)
    if finding is not None:
        raise serializers.ValidationError({finding.path or "document": [finding.message()]})
    if document.get("format") != FORMAT:
        raise serializers.ValidationError({"format": [f"This is not a PitchLab pitch (expected format {FORMAT!r})."]})
    schema = document.get("schema")
    if not isinstance(schema, int) or schema > SCHEMA_VERSION or schema < 1:
        raise serializers.ValidationError(
            {"schema": [f"Schema version {schema!r} is not supported (this PitchLab reads 1 to {SCHEMA_VERSION})."]}
        )
    name = document.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > NAME_MAX_LENGTH:
        raise serializers.ValidationError({"name": [f"A company name of 1 to {NAME_MAX_LENGTH} characters is needed."]})
    source = document.get("canvas")
    if not isinstance(source, dict):
        raise serializers.ValidationError({"canvas": ["The document has no canvas object."]})
    return " ".join(name.split()), canvas_read(source)


def canvas_read(source: dict[str, Any]) -> Canvas:
    """A canvas built unit by unit from ``source``, each unit validated; missing units stay blank."""
    canvas = empty_canvas()
    canvas["business"] = {key: None for key in (source.get("business") or {})}
    errors: dict[str, Any] = {}
    for path in unit_paths(canvas):
        try:
            value = get_unit(source, path)
        except (KeyError, TypeError):
            if path.startswith("business."):
                continue
            value = get_unit(canvas, path)
        try:
            canvas = set_unit(canvas, path, validate_unit(path, value))
        except serializers.ValidationError as exc:
            errors[path] = exc.detail
    if errors:
        raise serializers.ValidationError(errors)
    return canvas


@lru_cache(maxsize=1)
def _template_files() -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(TEMPLATES_DIR.glob("*.json"))}


def template_list() -> list[dict[str, str]]:
    """The example pitches a founder can start from, with their titles in both languages."""
    return [
        {"key": key, "name": data["name"], **{meta: data.get(meta, "") for meta in TEMPLATE_META}}
        for key, data in _template_files().items()
    ]


def template_document(key: str) -> dict[str, Any] | None:
    data = _template_files().get(key)
    if data is None:
        return None
    # A copy: the parsed files are cached for the process, and a caller that edits the document it got (a test
    # adding rows, a future import step) must never change the template for every later founder.
    canvas = copy.deepcopy({k: v for k, v in data.items() if k not in {"name", "language", *TEMPLATE_META}})
    return document_from(name=data["name"], content=canvas)
