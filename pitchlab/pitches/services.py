"""Writes to pitches: creation, renaming, the canvas under the version rule, revisions."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from pitchlab.checklists.services import catalogue_for_new_pitch
from pitchlab.core.exceptions import ApplicationError
from pitchlab.pitches.canvas import Canvas, empty_canvas, get_unit, is_unit, set_unit, unit_paths
from pitchlab.pitches.documents import document_read
from pitchlab.pitches.models import NAME_MAX_LENGTH, Pitch, PitchRevision
from pitchlab.pitches.portable import (
    DOCUMENT_MAX_BYTES,
    CanvasChanges,
    PortablePart,
    bundle_read,
    document_parse,
    portable_parts,
)
from pitchlab.pitches.revision_parts import revision_parts
from pitchlab.pitches.signals import pitch_changed_on_commit
from pitchlab.pitches.validation import check_unit_for_pitch, validate_unit

# At most one automatic revision per this much editing time, per pitch.
REVISION_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True)
class Conflict:
    path: str
    value: Any
    version: int


class StaleWrite(ApplicationError):
    """A write was based on a version older than the last change of a unit it touches."""

    status_code = 409

    def __init__(self, *, current_version: int, conflicts: list[Conflict]) -> None:
        super().__init__(
            "Someone changed this since you loaded it. Keep yours or take theirs.",
            extra={
                "current_version": current_version,
                "conflicts": {c.path: {"value": c.value, "version": c.version} for c in conflicts},
            },
        )
        self.current_version = current_version
        self.conflicts = conflicts


def _clean_name(name: str) -> str:
    return " ".join(name.split())


@transaction.atomic
def pitch_create(*, owner: AbstractBaseUser, name: str, content: Canvas | None = None) -> Pitch:
    """A new pitch; a blank canvas gets the current business and risk catalogues.

    A canvas given (an import, a template, a duplicate) is announced by ``pitch_changed`` on commit, so the
    apps above can prepare for it (decks warms its charts); a blank one has nothing for them to prepare.
    """
    given = content is not None
    if content is None:
        content = empty_canvas()
        content["business"], content["risks"] = catalogue_for_new_pitch()
    pitch = Pitch(owner_id=owner.pk, name=_clean_name(name), content=content)
    pitch.full_clean()
    pitch.save()
    if given:
        pitch_changed_on_commit(pitch_id=pitch.pk, paths=None)
    return pitch


@transaction.atomic
def pitch_import(
    *, owner: AbstractBaseUser, document: Any, files: Mapping[str, Mapping[str, bytes]] | None = None
) -> Pitch:
    """A new pitch from an export document or a template, with the files of an export zip (``portable.py``:
    folder → path → bytes) made its pictures and the like; nothing is stored when any of it is refused.

    "Measured by PitchLab" cannot be proven for results that arrive in a file, so imported
    results are marked as the founder's own.
    """
    name, content = document_read(document)
    for row in content["data"]["experiments"]:
        row["measured"] = False
    pitch = pitch_create(owner=owner, name=name, content=content)
    with _parts_discarded_on_failure(pitch):
        _with_parts(pitch, lambda part: part.restore(pitch, (files or {}).get(part.folder, {}), owner))
        revision_create(pitch=pitch, reason=PitchRevision.Reason.IMPORT)
    return pitch


def pitch_import_file(*, owner: AbstractBaseUser, data: bytes, name: str) -> Pitch:
    """A new pitch from an uploaded export file called ``name``: a ``.zip`` (the document and its pictures,
    ``portable.bundle_read``) or the JSON document. Raises serializers.ValidationError saying what is wrong."""
    if name.lower().endswith(".zip"):
        bundle = bundle_read(data)
        return pitch_import(owner=owner, document=bundle.document, files=bundle.files)
    if len(data) > DOCUMENT_MAX_BYTES:
        raise serializers.ValidationError(
            [_("The file is larger than %(mb)d MB.") % {"mb": DOCUMENT_MAX_BYTES // 1_000_000}]
        )
    return pitch_import(owner=owner, document=document_parse(data))


@transaction.atomic
def pitch_duplicate(*, pitch: Pitch, owner: AbstractBaseUser) -> Pitch:
    """A copy of ``pitch`` owned by ``owner`` (who asked for it), measured results included (measured here), with
    what the apps carry (its pictures, the logo ids pointing to the copies)."""
    copy = pitch_create(owner=owner, name=f"{pitch.name} (copy)"[:NAME_MAX_LENGTH], content=pitch.content)
    with _parts_discarded_on_failure(copy):
        _with_parts(copy, lambda part: part.copy(pitch, copy, owner))
        revision_create(pitch=copy, reason=PitchRevision.Reason.CREATED, note=f"duplicated from {pitch.name}")
    return copy


@contextmanager
def _parts_discarded_on_failure(pitch: Pitch) -> Iterator[None]:
    """The files the portable parts wrote for the new ``pitch`` go when what follows fails.

    Its rows roll back with the transaction, but not its files; and a rolled-back pitch's id may be given again
    (SQLite), so its folder must not keep strangers' files.
    """
    try:
        yield
    except BaseException:
        for part in portable_parts():
            part.discard(pitch.pk)
        raise


def _with_parts(pitch: Pitch, make: Callable[[PortablePart], CanvasChanges]) -> None:
    """Let each portable part make its rows for the new ``pitch`` and apply the canvas changes they answer."""
    changes: CanvasChanges = {}
    for part in portable_parts():
        changes.update(make(part))
    for path, value in changes.items():
        pitch.content = set_unit(pitch.content, path, value)
    if changes:
        pitch.save(update_fields=["content", "updated_at"])


@transaction.atomic
def pitch_rename(*, pitch: Pitch, name: str) -> Pitch:
    pitch.name = _clean_name(name)
    pitch.full_clean()
    pitch.save(update_fields=["name", "updated_at"])
    return pitch


@transaction.atomic
def pitch_delete(*, pitch: Pitch) -> None:
    """Delete the pitch and everything it owns.

    Rows go by cascade (revisions, members, exports, demo models with their examples and audience links,
    rehearsals, drill answers). What lives outside the database goes on commit, by post_delete receivers, so
    any deletion (the admin, a deleted account) takes it too: PDF files (decks/signals.py), example images,
    the folders of the pitch's own models, removed by the inference side, and audience links' rate-limit
    counters (demos/signals.py), the phone remote's relay streams (rehearsals/signals.py). Shared sample models
    stay.
    """
    pitch.delete()


def _keep_measured_rows(current: list[dict[str, Any]], new: list[dict[str, Any]]) -> None:
    """Results measured by PitchLab are read-only for the founder: they may be neither edited nor forged."""
    measured = [row for row in current if row.get("measured")]
    kept = [row for row in new if row.get("measured")]
    if kept != measured:
        raise serializers.ValidationError(
            {"measured": ["Results measured by PitchLab cannot be added, changed or removed by hand."]}
        )


@transaction.atomic
def pitch_write(*, pitch_id: int, changes: dict[str, Any], base_version: int) -> Pitch:
    """Apply ``changes`` (unit path → value) to the canvas if none of those units changed after ``base_version``.

    Raises StaleWrite (HTTP 409) naming each unit that changed since, with its current value, and
    serializers.ValidationError (HTTP 400) with field-level detail; in both cases nothing is written.
    """
    pitch = Pitch.objects.select_for_update().get(pk=pitch_id)
    if isinstance(base_version, bool) or not isinstance(base_version, int) or not 0 <= base_version <= pitch.version:
        # A version from the future was never read: taking it would let the write skip every conflict check.
        raise serializers.ValidationError(
            {"base_version": [f"Must be a version this pitch has had, from 0 to {pitch.version}."]}
        )
    if not changes:
        raise serializers.ValidationError({"changes": ["Nothing to save."]})
    unknown = [path for path in changes if not is_unit(pitch.content, path)]
    if unknown:
        raise serializers.ValidationError({"changes": [f"No such part of the canvas: {', '.join(unknown)}."]})

    cleaned: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for path, value in changes.items():
        try:
            cleaned[path] = validate_unit(path, value)
            check_unit_for_pitch(pitch, path, cleaned[path], get_unit(pitch.content, path))
            if path == "data.experiments":
                _keep_measured_rows(get_unit(pitch.content, path), cleaned[path])
        except serializers.ValidationError as exc:
            errors[path] = exc.detail
    if errors:
        raise serializers.ValidationError(errors)

    conflicts = [
        Conflict(path, get_unit(pitch.content, path), pitch.unit_versions.get(path, 0))
        for path in cleaned
        if pitch.unit_versions.get(path, 0) > base_version and get_unit(pitch.content, path) != cleaned[path]
    ]
    if conflicts:
        raise StaleWrite(current_version=pitch.version, conflicts=conflicts)

    content = pitch.content
    for path, value in cleaned.items():
        content = set_unit(content, path, value)
    pitch.version += 1
    pitch.content = content
    pitch.unit_versions = {**pitch.unit_versions, **{path: pitch.version for path in cleaned}}
    pitch.save(update_fields=["content", "version", "unit_versions", "updated_at"])
    _revision_if_due(pitch)
    pitch_changed_on_commit(pitch_id=pitch.pk, paths=cleaned)
    return pitch


@transaction.atomic
def experiments_record_measured(*, pitch_id: int, model: str, dataset: str, rows: list[dict[str, Any]]) -> Pitch:
    """Write results PitchLab measured itself (``measured`` true) into the Data section.

    Each replaces an earlier measured row of the same metric of the same model on the same dataset (so
    accepting a figure again, or another figure of the same evaluation, never duplicates or drops one);
    the founder's own rows are kept. Like any write this moves the unit's version, so an open editor sees
    the new rows.
    """
    pitch = Pitch.objects.select_for_update().get(pk=pitch_id)
    path = "data.experiments"
    current = get_unit(pitch.content, path)
    metrics = {row.get("metric") for row in rows}
    kept = [
        r
        for r in current
        if not (
            r.get("measured") and r.get("model") == model and r.get("dataset") == dataset and r.get("metric") in metrics
        )
    ]
    cleaned = validate_unit(
        path, kept + [{**row, "model": model, "dataset": dataset, "measured": True} for row in rows]
    )
    pitch.version += 1
    pitch.content = set_unit(pitch.content, path, cleaned)
    pitch.unit_versions = {**pitch.unit_versions, path: pitch.version}
    pitch.save(update_fields=["content", "version", "unit_versions", "updated_at"])
    _revision_if_due(pitch)
    pitch_changed_on_commit(pitch_id=pitch.pk, paths=[path])
    return pitch


def _revision_if_due(pitch: Pitch) -> None:
    last = pitch.revisions.values_list("created_at", flat=True).first()  # newest first (Meta.ordering)
    if last is None or timezone.now() - last >= REVISION_INTERVAL:
        revision_create(pitch=pitch, reason=PitchRevision.Reason.AUTOSAVE)


@transaction.atomic
def revision_create(*, pitch: Pitch, reason: str, note: str = "") -> PitchRevision:
    """A revision of ``pitch`` as it is now: its canvas and what the registered parts keep (its pictures)."""
    revision = PitchRevision.objects.create(
        pitch=pitch,
        version=pitch.version,
        name=pitch.name,
        content=pitch.content,
        reason=reason,
        note=note,
        parts={part.name: part.snapshot(pitch) for part in revision_parts()},
    )
    return revision


@transaction.atomic
def revision_restore(*, pitch_id: int, revision: PitchRevision) -> Pitch:
    """Put a revision's canvas back, and what the parts it recorded keep (pictures deleted since come back, the
    brand's logo ids pointing at them). Every unit that differs counts as changed, so open editors see it."""
    pitch = Pitch.objects.select_for_update().get(pk=pitch_id)
    if revision.pitch_id != pitch.pk:
        raise ApplicationError("That revision belongs to another pitch.")
    content = revision.content
    for part in revision_parts():
        if part.name in revision.parts:  # a revision made before the part existed keeps the canvas alone
            for path, value in part.restore(pitch, revision.parts[part.name], content).items():
                content = set_unit(content, path, value)
    changed = [
        path
        for path in set(unit_paths(pitch.content)) | set(unit_paths(content))
        if _unit_or_none(pitch.content, path) != _unit_or_none(content, path)
    ]
    pitch.version += 1
    pitch.content = content
    pitch.unit_versions = {**pitch.unit_versions, **{path: pitch.version for path in changed}}
    pitch.save(update_fields=["content", "version", "unit_versions", "updated_at"])
    revision_create(pitch=pitch, reason=PitchRevision.Reason.RESTORE, note=f"from version {revision.version}")
    pitch_changed_on_commit(pitch_id=pitch.pk, paths=changed)
    return pitch


def _unit_or_none(canvas: Canvas, path: str) -> Any:
    try:
        return get_unit(canvas, path)
    except (KeyError, TypeError):
        return None


def revision_diff(*, old: Canvas, new: Canvas) -> list[dict[str, Any]]:
    """Field-by-field differences between two canvases, in editor order."""
    paths = list(dict.fromkeys(unit_paths(old) + unit_paths(new)))
    return [
        {"path": path, "before": _unit_or_none(old, path), "after": _unit_or_none(new, path)}
        for path in paths
        if _unit_or_none(old, path) != _unit_or_none(new, path)
    ]
