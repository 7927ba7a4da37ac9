"""A pitch that travels: its export file, imported back elsewhere, and its duplicate, with what other apps keep.

A pitch whose apps have nothing of their own to carry exports as the plain JSON document (``documents.py``), as
it always has. One with files (its pictures) exports as a zip::

    pitch.json                 the same JSON document
    <part>/…                   each part's files, e.g. pictures/manifest.json and the masters beside it

The canvas knows nothing of the apps built on it: they register a ``PortablePart`` in ``AppConfig.ready``
(``portable_part``), named by its folder in the zip. A part exports its files, recreates its rows for a new
pitch from them (an import) or from another pitch (a duplicate), and answers the canvas units that name its
rows (the brand's logo ids), rewritten to the new rows' ids.

An uploaded zip is hostile until read: ``bundle_read`` refuses it, naming the member and what is wrong, before
anything is stored (too many entries, too large in total or in one member, a path that climbs out or is
absolute, an encrypted or unknown member, no pitch.json). Sizes are those the zip declares, and reading never
goes past them (``zipfile`` stops at the declared size and then checks the CRC), so a zip bomb is refused from
its directory and a member that lies about its size reads as damaged.

Revisions are the other way pictures are kept: ``revision_parts.py`` (a restore brings back the pictures
deleted since and remaps the logo ids the same way).
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _
from rest_framework import serializers

from pitchlab.pitches.documents import document_from
from pitchlab.pitches.models import Pitch

DOCUMENT = "pitch.json"
DOCUMENT_MAX_BYTES = 5_000_000  # the JSON document alone, uploaded or inside a zip
BUNDLE_MAX_BYTES = 100_000_000  # an uploaded zip, as sent (read into memory, like its members)
BUNDLE_MAX_UNCOMPRESSED = 200_000_000  # every member together, as the directory declares them: all held at once
BUNDLE_MAX_ENTRIES = 500

# A part's changes to the new pitch's canvas: unit path → value (the logo ids, remapped).
CanvasChanges = dict[str, Any]


@dataclass(frozen=True)
class PortablePart:
    """What an app carries with a pitch, under ``folder/`` in an export zip.

    ``files(pitch)``: (path inside the folder, bytes) for the export; none when the pitch has nothing to carry.
    ``holders(pitch_ids)``: which of those pitches have files to carry (their export is a zip).
    ``restore(pitch, files, user)``: the folder's files of an uploaded zip (path inside the folder → bytes; empty
    for a JSON import) made rows of the new ``pitch``, whose canvas is the imported one; raises
    serializers.ValidationError naming the member before it writes anything. Returns the canvas changes.
    ``copy(source, pitch, user)``: the same from another pitch (a duplicate).
    ``discard(pitch_id)``: remove the files ``restore`` or ``copy`` wrote, when the import fails after them.
    ``max_file_bytes()``: the largest file the folder may hold in a zip.
    """

    folder: str
    files: Callable[[Pitch], Iterable[tuple[str, bytes]]]
    holders: Callable[[Collection[int]], set[int]]
    restore: Callable[[Pitch, Mapping[str, bytes], AbstractBaseUser | None], CanvasChanges]
    copy: Callable[[Pitch, Pitch, AbstractBaseUser | None], CanvasChanges]
    discard: Callable[[int], None]
    max_file_bytes: Callable[[], int]


_PARTS: dict[str, PortablePart] = {}


def portable_part(part: PortablePart) -> None:
    """Register ``part`` (in an AppConfig.ready()); one per folder."""
    if not part.folder or "/" in part.folder or part.folder == DOCUMENT:
        raise ValueError(f"{part.folder!r} must be a plain folder name")
    _PARTS[part.folder] = part


def portable_parts() -> list[PortablePart]:
    return [_PARTS[folder] for folder in sorted(_PARTS)]


def bundled_pitch_ids(pitch_ids: Collection[int]) -> set[int]:
    """Which of ``pitch_ids`` export as a zip (some part has files for them)."""
    return {pitch_id for part in portable_parts() for pitch_id in part.holders(pitch_ids)}


def pitch_bundle_build(*, pitch: Pitch) -> IO[bytes] | None:
    """``pitch``'s export zip as an anonymous temporary file read from its start, or None when no part has a
    file for it (it exports as the plain JSON document). The caller closes the file (a FileResponse does)."""
    if not bundled_pitch_ids([pitch.pk]):
        return None
    handle = tempfile.TemporaryFile(prefix="pitchlab-export-")  # noqa: SIM115 (returned open, closed by the caller)
    try:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            document = document_from(name=pitch.name, content=pitch.content)
            bundle.writestr(DOCUMENT, json.dumps(document, ensure_ascii=False, indent=2))
            for part in portable_parts():
                for path, data in part.files(pitch):
                    # Pictures are compressed already: stored as they are.
                    kind = zipfile.ZIP_DEFLATED if path.endswith(".json") else zipfile.ZIP_STORED
                    bundle.writestr(f"{part.folder}/{path}", data, compress_type=kind)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


@dataclass(frozen=True)
class Bundle:
    """An uploaded zip, read and checked: its JSON document and each part's files (path inside the folder)."""

    document: Any
    files: dict[str, dict[str, bytes]]


def _refuse(member: str | None, message: str) -> serializers.ValidationError:
    return serializers.ValidationError([message] if member is None else {member: [message]})


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f}"


def _safe_path(name: str) -> bool:
    segments = name.split("/")
    return not (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or ":" in segments[0]
        or any(segment in ("", ".", "..") for segment in segments)
    )


def document_parse(data: bytes, *, member: str | None = None) -> Any:
    """The JSON document in ``data``; a ValidationError (naming ``member``, a file of a zip) when it is not JSON."""
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _refuse(member, _("The file is not valid JSON: %(error)s.") % {"error": exc}) from None
    except RecursionError:  # "[[[[…" a thousand times deep: no PitchLab document looks like that
        raise _refuse(member, _("The file is not a PitchLab document: its JSON is nested too deeply.")) from None


def bundle_read(data: bytes) -> Bundle:
    """``data`` (an uploaded zip) read as an export zip: raises serializers.ValidationError naming the member
    and what is wrong with it, before a byte of any member is decompressed when its directory is at fault."""
    if len(data) > BUNDLE_MAX_BYTES:
        raise _refuse("file", _("The zip is larger than %(mb)s MB.") % {"mb": f"{BUNDLE_MAX_BYTES // 1_000_000}"})
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _refuse("file", _("The file is not a readable zip archive.")) from None
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        _check_directory(members)
        files: dict[str, dict[str, bytes]] = {}
        document: Any = None
        for info in members:
            content = _read_member(archive, info)
            if info.filename == DOCUMENT:
                document = document_parse(content, member=DOCUMENT)
            else:
                folder, _slash, path = info.filename.partition("/")
                files.setdefault(folder, {})[path] = content
    return Bundle(document=document, files=files)


def _check_directory(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > BUNDLE_MAX_ENTRIES:
        raise _refuse(
            "file",
            _("The zip holds %(count)d files; an export holds at most %(limit)d.")
            % {"count": len(members), "limit": BUNDLE_MAX_ENTRIES},
        )
    total = sum(info.file_size for info in members)
    if total > BUNDLE_MAX_UNCOMPRESSED:
        raise _refuse(
            "file",
            _("The zip unpacks to %(size)s MB; the limit is %(limit)s MB.")
            % {"size": _mb(total), "limit": f"{BUNDLE_MAX_UNCOMPRESSED // 1_000_000}"},
        )
    names: set[str] = set()
    for info in members:
        name = info.filename
        if not _safe_path(name):
            raise _refuse(name, _("A path in the zip must stay inside it (no absolute path, no “..”)."))
        if name in names:
            raise _refuse(name, _("The zip holds this file twice."))
        names.add(name)
        if info.flag_bits & 0x1:
            raise _refuse(name, _("The file is encrypted."))
        folder, slash, _path = name.partition("/")
        part = _PARTS.get(folder) if slash else None
        if name != DOCUMENT and part is None:
            raise _refuse(name, _("This file is not part of a PitchLab export."))
        limit = DOCUMENT_MAX_BYTES if part is None else part.max_file_bytes()
        if info.file_size > limit:
            raise _refuse(
                name,
                _("The file unpacks to %(size)s MB; the limit is %(limit)s MB.")
                % {"size": _mb(info.file_size), "limit": _mb(limit)},
            )
    if DOCUMENT not in names:
        raise _refuse(DOCUMENT, _("The zip has no pitch.json: it is not a PitchLab export."))


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        # Never more than the declared size: zipfile stops there, and a stream that does not end there fails its CRC.
        with archive.open(info) as member:
            return member.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, OSError, EOFError, ValueError):
        raise _refuse(info.filename, _("The file is damaged in the zip and cannot be read.")) from None
