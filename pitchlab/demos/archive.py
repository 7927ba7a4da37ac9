"""The demos' part of a pitch's archive (pitches/archive.py), registered in DemosConfig.ready():
demo_models.json (the models with their curated examples, pre-flight and evaluation reports), the folders of
the models the founder trained or uploaded under demos/<artefact>/ (config, safetensors, tokenizer files,
pitchlab.json; the shared sample models are PitchLab's own), and the example images under examples/<model>/.

Model folders live with the inference workers, on another machine once PitchLab is scaled out, so the web
never reads them from its own disk: it asks models_service for the folder's file list (with SHA-256) and then
for each file in chunks (``artefact_files``, ``artefact_read``), through the broker that already carries model
uploads the other way. One path, correct on one machine and on many; the SHA-256 computed on each side must
agree.
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from pitchlab.demos import inference
from pitchlab.demos.inference import InferenceRefused
from pitchlab.demos.models import DemoModel
from pitchlab.pitches.archive import ArchiveFailed, ArchiveFile, LeftOut, json_file, row, stored_file
from pitchlab.pitches.models import Pitch

CHUNK = 4 * 1024 * 1024  # bytes per artefact_read (at most models_service.files.READ_CHUNK_MAX)
LIST_TIMEOUT_S = 60.0  # the worker hashes every file of the folder before it answers
READ_TIMEOUT_S = 30.0


def demo_archive_files(pitch: Pitch) -> Iterator[ArchiveFile | LeftOut]:
    """Every demo model's folder and example images, then demo_models.json naming where each went."""
    rows = []
    for model in pitch.demo_models.prefetch_related("examples", "audience_links").order_by("created_at", "id"):
        model_row = row(
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
        folder, listing = _model_listing(model)
        if isinstance(listing, LeftOut):
            yield listing
        else:
            for path, size, sha256 in listing:
                yield folder + path, _checked(_model_file(model.artefact, path, size), sha256, model.name)
        model_row["folder"] = None if isinstance(listing, LeftOut) else folder
        model_row["examples"] = []
        for example in model.examples.all():
            entry = row(example, "id", "position", "text", "expected_label", "cached_output", "created_at")
            entry["image"] = None
            if example.image:
                name = f"examples/{model.pk}/{example.pk}-{posixpath.basename(example.image.name or 'image.png')}"
                item = stored_file(name, example.image)
                yield item
                if not isinstance(item, LeftOut):
                    entry["image"] = name
            model_row["examples"].append(entry)
        # The tokens are left out: they are the keys of live public links.
        model_row["audience_links"] = [
            row(link, "created_at", "expires_at", "revoked_at") for link in model.audience_links.all()
        ]
        rows.append(model_row)
    yield json_file("demo_models.json", rows)


def _model_listing(model: DemoModel) -> tuple[str, list[tuple[str, int, str]] | LeftOut]:
    """The model's folder in the zip and its files (path, size, SHA-256), or why it has none there."""
    folder = f"demos/{model.artefact}/"
    if not model.owns_artefact:
        return folder, LeftOut(folder, _("A sample model that comes with PitchLab; any PitchLab can run it again."))
    if model.status != model.Status.READY:
        return folder, LeftOut(folder, _("The model was not ready, so it has no folder yet."))
    try:
        listing = _inference("artefact_files", {"model": model.artefact}, timeout_s=LIST_TIMEOUT_S)
    except InferenceRefused as exc:
        return folder, LeftOut(folder, exc.message)
    files = []
    for entry in listing["files"]:
        path = str(entry["path"])
        if path.startswith("/") or ".." in path.split("/"):
            raise ArchiveFailed(_("The inference worker named an unsafe file: %(path)s") % {"path": path})
        files.append((path, int(entry["size"]), str(entry["sha256"])))
    return folder, files


def _checked(chunks: Iterator[bytes], sha256: str, name: str) -> Iterator[bytes]:
    """``chunks`` as they come; ArchiveFailed at the end when they do not hash to what the worker listed."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
        yield chunk
    if digest.hexdigest() != sha256:
        raise ArchiveFailed(_("The model “%(name)s” changed while it was being copied; try again.") % {"name": name})


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
