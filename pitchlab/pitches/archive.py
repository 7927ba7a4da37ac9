"""Everything of a pitch in one zip: the owner's own copy of their data.

What the zip holds::

    manifest.json              every other file with its size and SHA-256; what was left out, and why
    pitch.json                 the canvas in the export format: import it back on the dashboard (or
                               POST /api/pitches/import/) to get the same canvas
    revisions.json             the canvas' history, each version whole, with what each recorded of the pitch's
                               pictures (``parts``: their settings and digests, the files under pictures/)
    members.json               who may see or edit the pitch
    … and the parts other apps register in their AppConfig.ready(), since the canvas knows nothing of them:
    exports.json, exports/<file>.pdf                  decks/archive.py: the PDF exports and their files
    demo_models.json, demos/<artefact>/…, examples/…  demos/archive.py: the demo models, their folders, images
    rehearsals.json, drill_answers.json                rehearsals/archive.py
    share_links.json, invitations.json                 sharing, pitches.invitations

A part is either JSON (``archive_part``: a top-level name and a function of the pitch giving its rows) or
files (``archive_files``: a function of the pitch yielding (path in the zip, byte chunks) pairs, and
``LeftOut`` notes for what it could not include). The builder writes each file as its chunks arrive, so a
model's weights never sit in memory, records its size and SHA-256 in the manifest, and refuses an unsafe or
repeated path. The zip is written to an anonymous temporary file (never held in memory, gone when closed,
even after a crash) that the response streams.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.fields.files import FieldFile
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pitchlab.core.exceptions import ApplicationError
from pitchlab.pitches.documents import document_from
from pitchlab.pitches.models import Pitch

FORMAT = "pitchlab.archive"
VERSION = 1
READ_CHUNK = 1024 * 1024  # bytes per read of a stored file
# Already-compressed or incompressible (float weights): stored as they are, which is several times faster.
STORED_SUFFIXES = (".safetensors", ".pdf", ".png", ".jpg", ".jpeg", ".webp", ".zip", ".gz")

# The names the pitches app writes itself; no part may take them.
_CORE_NAMES = frozenset({"manifest.json", "pitch.json", "revisions.json", "members.json"})


@dataclass(frozen=True)
class LeftOut:
    """Something a file part could not put in the zip (``what``: its path), and why: listed in the manifest."""

    what: str
    why: str


# A file in the zip: its path (relative, "/"-separated) and its bytes, in chunks read as they are written.
ArchiveFile = tuple[str, Iterable[bytes]]
FilePart = Callable[[Pitch], Iterable[ArchiveFile | LeftOut]]

# Parts other apps add, by name (written in name order after the core parts): every part is a file part, a
# JSON part being one that yields a single file. Leave secrets out (tokens, password hashes): an archive is
# meant to be kept and passed around.
_PARTS: dict[str, FilePart] = {}


def archive_part(name: str, rows: Callable[[Pitch], Any]) -> None:
    """Add ``name`` (a JSON file at the top of the zip) to every archive, holding ``rows(pitch)``.

    For example, in an AppConfig.ready(): ``archive_part("share_links.json", share_link_rows)``.
    """
    if "/" in name or not name.endswith(".json") or name in _CORE_NAMES:
        raise ValueError(f"{name!r} must be a new top-level .json name")
    _PARTS[name] = lambda pitch: [json_file(name, rows(pitch))]


def archive_files(name: str, files: FilePart) -> None:
    """Add the files ``files(pitch)`` yields to every archive: (path in the zip, iterable of byte chunks) pairs.

    ``name`` names the part (one registration per name; parts are written in name order). A part may also
    yield ``LeftOut(what, why)`` for something it cannot include; the manifest lists it. Each path must be
    relative, without "." or ".." segments, and new in the zip; the builder raises ValueError otherwise.
    ``stored_file`` turns a FileField into a pair, ``json_file`` and ``json_rows_file`` a JSON value.
    For example, in an AppConfig.ready()::

        def picture_files(pitch: Pitch) -> Iterator[ArchiveFile | LeftOut]:
            for picture in pitch.pictures.order_by("id"):
                yield stored_file(f"pictures/{picture.pk}.webp", picture.file)

        archive_files("pictures", picture_files)
    """
    if not name or name in _CORE_NAMES:
        raise ValueError(f"{name!r} must be a new part name")
    _PARTS[name] = files


def json_file(path: str, value: Any) -> ArchiveFile:
    """``value`` as a JSON file of the archive (DjangoJSONEncoder: dates, decimals, UUIDs)."""
    return path, [_dumps(value).encode()]


def json_rows_file(path: str, rows: Iterable[Any]) -> ArchiveFile:
    """A JSON array written row by row: a long history never sits in memory as one string."""

    def chunks() -> Iterator[bytes]:
        yield b"["
        for index, row in enumerate(rows):
            yield (",\n" if index else "\n").encode() + _dumps(row).encode()
        yield b"\n]\n"

    return path, chunks()


def stored_file(path: str, field: FieldFile) -> ArchiveFile | LeftOut:
    """A FileField's file as an archive file read in chunks, or a LeftOut when it cannot be opened."""
    try:
        source = field.open("rb")
    except OSError as exc:
        return LeftOut(path, _("The file could not be read: %(reason)s") % {"reason": exc.strerror or exc})

    def chunks() -> Iterator[bytes]:
        with source:
            yield from iter(lambda: source.read(READ_CHUNK), b"")

    return path, chunks()


def row(obj: Any, *fields: str) -> dict[str, Any]:
    """The named attributes of ``obj`` as an archive row."""
    return {field: getattr(obj, field) for field in fields}


class ArchiveFailed(ApplicationError):
    """A file changed or vanished while it was being read: trying again gets a consistent copy."""

    status_code = 409


def archive_filename(*, pitch: Pitch) -> str:
    """A safe download name: the company's name as a slug (Chinese kept), the pitch's id and today's date."""
    slug = slugify(pitch.name, allow_unicode=True)[:60] or "pitch"
    return f"pitchlab-{slug}-{pitch.pk}-{datetime.now(UTC):%Y%m%d}.zip"


def pitch_archive_build(*, pitch: Pitch) -> IO[bytes]:
    """The zip of everything ``pitch`` holds, as an anonymous temporary file read from its start.

    The caller closes it (a FileResponse does), which removes it. A part's error propagates (e.g. the demos
    part's InferenceUnavailable, 503, when a model's files cannot be fetched: an archive that silently lacked
    the models would not be "everything").
    """
    handle = tempfile.TemporaryFile(prefix="pitchlab-archive-")  # noqa: SIM115 (returned open, closed by the caller)
    try:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            _Builder(archive, pitch).build()
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


def _check_path(path: str) -> None:
    parts = path.split("/")
    if not path or path.startswith("/") or "\\" in path or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"{path!r} is not a safe path in the archive")


class _Builder:
    def __init__(self, archive: zipfile.ZipFile, pitch: Pitch) -> None:
        self.archive = archive
        self.pitch = pitch
        self.names: set[str] = set()
        self.files: list[dict[str, Any]] = []
        self.left_out: list[dict[str, str]] = []

    def add(self, name: str, chunks: Iterable[bytes]) -> None:
        """Write ``chunks`` as the file ``name``, recorded in the manifest with its size and SHA-256.

        An OSError while reading the chunks (a stored file that went unreadable) leaves the file out, with a
        note; any other error ends the archive.
        """
        _check_path(name)
        if name in self.names:
            raise ValueError(f"two parts of the archive wrote {name!r}")
        self.names.add(name)
        compress = zipfile.ZIP_STORED if name.lower().endswith(STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
        info = zipfile.ZipInfo(name, date_time=datetime.now(UTC).timetuple()[:6])
        info.compress_type = compress
        info.external_attr = 0o644 << 16
        digest, size = hashlib.sha256(), 0
        source = iter(chunks)
        with self.archive.open(info, "w", force_zip64=True) as out:
            while True:
                try:
                    chunk = next(source)
                except StopIteration:
                    break
                except OSError as exc:
                    self.leave_out(name, _("The file could not be read: %(reason)s") % {"reason": exc.strerror or exc})
                    return
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        self.files.append({"path": name, "size": size, "sha256": digest.hexdigest()})

    def leave_out(self, what: str, why: str) -> None:
        self.left_out.append({"what": what, "why": why})

    def build(self) -> None:
        pitch = self.pitch
        self.add(*json_file("pitch.json", document_from(name=pitch.name, content=pitch.content)))
        self.add(
            *json_rows_file(
                "revisions.json",
                (
                    row(revision, "version", "name", "reason", "note", "created_at", "content", "parts")
                    for revision in pitch.revisions.order_by("version", "created_at", "id").iterator()
                ),
            )
        )
        self.add(
            *json_rows_file(
                "members.json",
                (
                    {
                        "username": member.user.get_username(),
                        "role": member.role,
                        "invited_by": member.invited_by.get_username() if member.invited_by else None,
                        "created_at": member.created_at,
                    }
                    for member in pitch.members.select_related("user", "invited_by").order_by("created_at", "id")
                ),
            )
        )
        for _name, part in sorted(_PARTS.items()):
            for item in part(pitch):
                if isinstance(item, LeftOut):
                    self.leave_out(item.what, item.why)
                else:
                    self.add(*item)
        self.add(
            *json_file(
                "manifest.json",
                {
                    "format": FORMAT,
                    "version": VERSION,
                    "created_at": datetime.now(UTC),
                    "pitch": {"id": pitch.pk, "name": pitch.name, "owner": pitch.owner.get_username()},
                    "import": "pitch.json is a PitchLab pitch document: import it on the dashboard to get the "
                    "canvas back.",
                    "files": self.files,
                    "left_out": self.left_out,
                },
            )
        )


def _dumps(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
