"""The decks' part of a pitch's archive (pitches/archive.py), registered in DecksConfig.ready(): exports.json
(the exports: format, status, theme, language, pages) and exports/<id>-<file>.pdf or .pptx for those that are
ready."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from pitchlab.pitches.archive import ArchiveFile, LeftOut, json_file, row, stored_file
from pitchlab.pitches.models import Pitch


def export_archive_files(pitch: Pitch) -> Iterator[ArchiveFile | LeftOut]:
    """Each ready export's file (PDF or PowerPoint), then exports.json naming the file of each (None when it has
    none)."""
    rows = []
    for export in pitch.exports.select_related("revision").order_by("created_at", "id"):
        export_row = row(export, "id", "format", "status", "theme", "lang", "pages", "attempts", "error", "created_at")
        export_row.update(revision_version=export.revision.version, finished_at=export.finished_at, file=None)
        if export.status == export.Status.READY and export.file:
            name = f"exports/{export.pk}-{posixpath.basename(export.file.name or f'export.{export.format}')}"
            item = stored_file(name, export.file)
            yield item
            if not isinstance(item, LeftOut):
                export_row["file"] = name
        rows.append(export_row)
    yield json_file("exports.json", rows)
