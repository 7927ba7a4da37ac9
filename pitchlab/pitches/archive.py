"""Everything of a pitch in one zip: the owner's own copy of their data.

What the zip holds::

    manifest.json              every other file with its size and SHA-256; what was left out, and why
    pitch.json                 the canvas in the export format: import it back on the dashboard (or
                               POST /api/pitches/import/) to get the same canvas
    revisions.json             the canvas' history, each version whole
    exports.json               the PDF exports (status, theme, language, pages) …
    exports/<file>.pdf         … and the files of those that are ready
    demo_models.json           the demo models with their curated examples, pre-flight and evaluation reports
    demos/<artefact>/…         the folders of the models the founder trained or uploaded (config, safetensors,
                               tokenizer files, pitchlab.json); the shared sample models are PitchLab's own
    examples/<model>/<file>    the curated example images
    rehearsals.json, drill_answers.json, members.json
    <name>.json                parts other apps add with ``archive_part`` (e.g. the sharing app's links)

Model folders live with the inference workers, on another machine once PitchLab is scaled out, so the web
never reads them from its own disk: it asks models_service for the folder's file list (with SHA-256) and then
for each file in chunks (``artefact_files``, ``artefact_read``), through the broker that already carries model
uploads the other way. One path, correct on one machine and on many; the SHA-256 computed on each side must
agree. The zip is written to an anonymous temporary file (never held in memory, gone when closed, even after
a crash) that the response streams.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pitchlab.core.exceptions import ApplicationError
from pitchlab.demos import inference
from pitchlab.demos.inference import InferenceRefused
from pitchlab.demos.models import DemoModel
from pitchlab.pitches.documents import document_from
from pitchlab.pitches.models import Pitch

FORMAT = "pitchlab.archive"
VERSION = 1
CHUNK = 4 * 1024 * 1024  # bytes per artefact_read (at most models_service.service.READ_CHUNK_MAX)
LIST_TIMEOUT_S = 60.0  # the worker hashes every file of the folder before it answers
READ_TIMEOUT_S = 30.0
# Already-compressed or incompressible (float weights): stored as they are, which is several times faster.
STORED_SUFFIXES = (".safetensors", ".pdf", ".png", ".jpg", ".jpeg", ".webp", ".zip", ".gz")

_CORE_NAMES = {
    "manifest.json",
    "pitch.json",
    "revisions.json",
    "exports.json",
    "demo_models.json",
    "rehearsals.json",
    "drill_answers.json",
    "members.json",
}

# Parts other apps add (name in the zip → the JSON-able rows of a pitch), e.g. in their AppConfig.ready():
#     archive_part("share_links.json", lambda pitch: [...])
# Leave secrets out of the rows (tokens, password hashes): an archive is meant to be kept and passed around.
_PARTS: dict[str, Callable[[Pitch], Any]] = {}


def archive_part(name: str, rows: Callable[[Pitch], Any]) -> None:
    """Add ``name`` (a JSON file at the top of the zip) to every archive, holding ``rows(pitch)``."""
    if "/" in name or not name.endswith(".json") or name in _CORE_NAMES:
        raise ValueError(f"{name!r} must be a new top-level .json name")
    _PARTS[name] = rows


class ArchiveFailed(ApplicationError):
    """A model's files changed or vanished while they were being read: trying again gets a consistent copy."""

    status_code = 409


def archive_filename(*, pitch: Pitch) -> str:
    """A safe download name: the company's name as a slug (Chinese kept), the pitch's id and today's date."""
    slug = slugify(pitch.name, allow_unicode=True)[:60] or "pitch"
    return f"pitchlab-{slug}-{pitch.pk}-{datetime.now(UTC):%Y%m%d}.zip"


def pitch_archive_build(*, pitch: Pitch) -> IO[bytes]:
    """The zip of everything ``pitch`` holds, as an anonymous temporary file read from its start.

    The caller closes it (a FileResponse does), which removes it. Raises InferenceUnavailable (503) when a
    model's files cannot be fetched from the inference side: an archive that silently lacked the models
    would not be "everything".
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


class _Builder:
    def __init__(self, archive: zipfile.ZipFile, pitch: Pitch) -> None:
        self.archive = archive
        self.pitch = pitch
        self.files: list[dict[str, Any]] = []
        self.left_out: list[dict[str, str]] = []

    # ---------- writing ----------

    def add(self, name: str, chunks: Iterable[bytes]) -> str:
        """Write ``chunks`` as the file ``name``; its SHA-256, recorded in the manifest."""
        compress = zipfile.ZIP_STORED if name.lower().endswith(STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
        info = zipfile.ZipInfo(name, date_time=datetime.now(UTC).timetuple()[:6])
        info.compress_type = compress
        info.external_attr = 0o644 << 16
        digest, size = hashlib.sha256(), 0
        with self.archive.open(info, "w", force_zip64=True) as out:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        self.files.append({"path": name, "size": size, "sha256": digest.hexdigest()})
        return digest.hexdigest()

    def add_json(self, name: str, value: Any) -> None:
        self.add(name, [_dumps(value).encode()])

    def add_json_rows(self, name: str, rows: Iterable[dict[str, Any]]) -> None:
        """A JSON array written row by row: a long history never sits in memory as one string."""

        def chunks() -> Iterator[bytes]:
            yield b"["
            for index, row in enumerate(rows):
                yield (",\n" if index else "\n").encode() + _dumps(row).encode()
            yield b"\n]\n"

        self.add(name, chunks())

    def add_stored_file(self, name: str, field: Any) -> bool:
        """Copy a FileField's file into the zip; False (and a note) when it cannot be read."""
        try:
            with field.open("rb") as source:
                self.add(name, iter(lambda: source.read(1024 * 1024), b""))
        except OSError as exc:
            self.leave_out(name, _("The file could not be read: %(reason)s") % {"reason": exc.strerror or exc})
            return False
        return True

    def leave_out(self, what: str, why: str) -> None:
        self.left_out.append({"what": what, "why": why})

    # ---------- the parts ----------

    def build(self) -> None:
        pitch = self.pitch
        self.add_json("pitch.json", document_from(name=pitch.name, content=pitch.content))
        self.add_json_rows(
            "revisions.json",
            (
                _row(revision, "version", "name", "reason", "note", "created_at", "content")
                for revision in pitch.revisions.order_by("version", "created_at", "id").iterator()
            ),
        )
        self.exports()
        self.demo_models()
        self.add_json_rows(
            "rehearsals.json",
            (
                _row(
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
        self.add_json_rows(
            "drill_answers.json",
            (
                _row(
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
        self.add_json_rows(
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
        for name, rows in sorted(_PARTS.items()):
            self.add_json(name, rows(pitch))
        self.add_json(
            "manifest.json",
            {
                "format": FORMAT,
                "version": VERSION,
                "created_at": datetime.now(UTC),
                "pitch": {"id": pitch.pk, "name": pitch.name, "owner": pitch.owner.get_username()},
                "import": "pitch.json is a PitchLab pitch document: import it on the dashboard to get the canvas back.",
                "files": self.files,
                "left_out": self.left_out,
            },
        )

    def exports(self) -> None:
        rows = []
        for export in self.pitch.exports.select_related("revision").order_by("created_at", "id"):
            row = _row(export, "id", "status", "theme", "lang", "pages", "attempts", "error", "created_at")
            row.update(revision_version=export.revision.version, finished_at=export.finished_at, file=None)
            if export.status == export.Status.READY and export.file:
                name = f"exports/{export.pk}-{posixpath.basename(export.file.name or 'export.pdf')}"
                if self.add_stored_file(name, export.file):
                    row["file"] = name
            rows.append(row)
        self.add_json("exports.json", rows)

    def demo_models(self) -> None:
        rows = []
        for model in self.pitch.demo_models.prefetch_related("examples", "audience_links").order_by("created_at", "id"):
            row = _row(
                model,
                "id",
                "name",
                "kind",
                "source",
                "status",
                "failure",
                "artefact",
                "labels",
                "metrics",
                "device",
                "on_slide",
                "preflight",
                "capacity",
                "evaluation",
                "created_at",
            )
            row["folder"] = self.model_folder(model)
            row["examples"] = []
            for example in model.examples.all():
                entry = _row(example, "id", "position", "text", "expected_label", "cached_output", "created_at")
                entry["image"] = None
                if example.image:
                    name = f"examples/{model.pk}/{example.pk}-{posixpath.basename(example.image.name or 'image.png')}"
                    if self.add_stored_file(name, example.image):
                        entry["image"] = name
                row["examples"].append(entry)
            # The tokens are left out: they are the keys of live public links.
            row["audience_links"] = [
                _row(link, "created_at", "expires_at", "revoked_at") for link in model.audience_links.all()
            ]
            rows.append(row)
        self.add_json("demo_models.json", rows)

    def model_folder(self, model: DemoModel) -> str | None:
        """Copy the model's own folder from the inference side; its place in the zip, or None (with a note)."""
        if not model.owns_artefact:
            self.leave_out(
                f"demos/{model.artefact}/",
                _("A sample model that comes with PitchLab; any PitchLab can run it again."),
            )
            return None
        if model.status != model.Status.READY:
            self.leave_out(f"demos/{model.artefact}/", _("The model was not ready, so it has no folder yet."))
            return None
        try:
            listing = _inference("artefact_files", {"model": model.artefact}, timeout_s=LIST_TIMEOUT_S)
        except InferenceRefused as exc:
            self.leave_out(f"demos/{model.artefact}/", exc.message)
            return None
        folder = f"demos/{model.artefact}/"
        for entry in listing["files"]:
            path = str(entry["path"])
            if path.startswith("/") or ".." in path.split("/"):
                raise ArchiveFailed(_("The inference worker named an unsafe file: %(path)s") % {"path": path})
            digest = self.add(folder + path, _model_file(model.artefact, path, int(entry["size"])))
            if digest != entry["sha256"]:
                raise ArchiveFailed(
                    _("The model “%(name)s” changed while it was being copied; try again.") % {"name": model.name}
                )
        return folder


def _model_file(artefact: str, path: str, size: int) -> Iterator[bytes]:
    offset = 0
    while offset < size:
        answer = _inference(
            "artefact_read",
            {"model": artefact, "path": path, "offset": offset, "length": min(CHUNK, size - offset)},
            timeout_s=READ_TIMEOUT_S,
        )
        data = base64.b64decode(answer["data"])
        if not data:
            raise ArchiveFailed(
                _("A file of model %(model)s got shorter while it was being copied.") % {"model": artefact}
            )
        offset += len(data)
        yield data


def _inference(task: str, payload: dict[str, Any], *, timeout_s: float) -> dict[str, Any]:
    # Forgotten once read: a chunk of a model must not sit in Redis for CELERY_RESULT_EXPIRES.
    return inference.call(task, payload, timeout_s=timeout_s, what=_("The inference worker"), forget=True)


def _row(obj: Any, *fields: str) -> dict[str, Any]:
    return {field: getattr(obj, field) for field in fields}


def _dumps(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
