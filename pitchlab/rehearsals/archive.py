"""The rehearsals' part of a pitch's archive (pitches/archive.py), registered in RehearsalsConfig.ready():
rehearsals.json (timings, segments, transcripts) and drill_answers.json (the owner's own Q&A drill)."""

from __future__ import annotations

from collections.abc import Iterator

from pitchlab.pitches.archive import ArchiveFile, LeftOut, json_rows_file, row
from pitchlab.pitches.models import Pitch


def rehearsal_archive_files(pitch: Pitch) -> Iterator[ArchiveFile | LeftOut]:
    """rehearsals.json and drill_answers.json, each written row by row."""
    yield json_rows_file(
        "rehearsals.json",
        (
            row(
                rehearsal,
                "id",
                "status",
                "started_at",
                "finished_at",
                "lang",
                "target_seconds",
                "total_seconds",
                "slides",
                "segments",
                "transcript",
                "created_at",
                "updated_at",
            )
            for rehearsal in pitch.rehearsals.order_by("started_at", "id").iterator()
        ),
    )
    yield json_rows_file(
        "drill_answers.json",
        (
            row(
                answer,
                "id",
                "question_key",
                "source",
                "category",
                "question_text",
                "path",
                "rating",
                "better_answer",
                "seconds",
                "created_at",
            )
            # The owner's own drill: each member's answers are theirs alone (rehearsals/models.py).
            for answer in pitch.drill_answers.filter(user_id=pitch.owner_id).order_by("created_at", "id").iterator()
        ),
    )
