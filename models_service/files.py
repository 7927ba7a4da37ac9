"""A model's folder by its id, and its files read for the web side's data archive: nothing is loaded here.

Model ids are names, never paths: :func:`check_model_id` is the one check, :func:`model_path` the one way
from an id to a folder under the models folder.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Any

from models_service.config import ServiceConfig
from models_service.errors import ServiceError
from models_service.payloads import request

MODEL_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,80}$")


def model_path(config: ServiceConfig, model_id: Any) -> Path:
    """The artefact folder of ``model_id`` under the models folder; ids are names, never paths."""
    path = config.models_dir / check_model_id(model_id)
    if not (path / "config.json").is_file():
        raise ServiceError("unknown_model", f"There is no model {model_id!r}.")
    return path


def check_model_id(model_id: Any) -> str:
    """``model_id`` when it is a valid model id (a name, never a path); ServiceError("bad_model_id") if not."""
    if not isinstance(model_id, str) or not MODEL_ID.match(model_id) or ".." in model_id:
        raise ServiceError("bad_model_id", "A model id is lower-case letters, digits, '.', '_' or '-'.")
    return model_id


READ_CHUNK_MAX = 8 * 1024 * 1024  # bytes of one artefact_read answer (base64 makes it a third bigger in Redis)


def _artefact_folder(config: ServiceConfig, model_id: Any) -> Path:
    """The model's folder, resolved: a linked folder is read where it points."""
    return model_path(config, model_id).resolve()


def _artefact_file(folder: Path, name: Any) -> Path:
    """A regular file inside ``folder`` named by its relative POSIX path; links and escapes are refused."""
    if not isinstance(name, str) or not name or name.startswith("/") or "\\" in name or ".." in name.split("/"):
        raise ServiceError("bad_path", "Name a file of the model by its path inside the model's folder.")
    path = folder / name
    if path.is_symlink() or not path.is_file() or not path.resolve().is_relative_to(folder):
        raise ServiceError("unknown_file", f"The model has no file {name!r}.")
    return path


def artefact_files(payload: Any, *, config: ServiceConfig) -> dict[str, Any]:
    """The files of a model's folder, for a founder's archive of their pitch: nothing is loaded.

    ``payload``: {"model": id}. Answers {"ok": true, "model", "files": [{"path", "size", "sha256"}, ...]},
    paths relative to the folder, sorted; links are left out (an accepted artefact has none).
    """
    payload = request(payload)
    model_id = check_model_id(payload.get("model"))
    folder = _artefact_folder(config, model_id)
    files: list[dict[str, Any]] = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(block)
        files.append(
            {"path": path.relative_to(folder).as_posix(), "size": path.stat().st_size, "sha256": digest.hexdigest()}
        )
    return {"ok": True, "model": model_id, "files": files}


def artefact_read(payload: Any, *, config: ServiceConfig) -> dict[str, Any]:
    """One chunk of one file of a model's folder, so a model of any size crosses the broker in pieces.

    ``payload``: {"model": id, "path": a path from :func:`artefact_files`, "offset": bytes, "length": at most
    ``READ_CHUNK_MAX``}. Answers {"ok": true, "model", "path", "offset", "size" (the whole file's), "data" (base64,
    empty past the end)}.
    """
    payload = request(payload)
    model_id = check_model_id(payload.get("model"))
    path = _artefact_file(_artefact_folder(config, model_id), payload.get("path"))
    offset, length = payload.get("offset", 0), payload.get("length", READ_CHUNK_MAX)
    for name, value in (("offset", offset), ("length", length)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ServiceError("bad_request", f"{name} must be a whole number of bytes.")
    if not 1 <= length <= READ_CHUNK_MAX:
        raise ServiceError("bad_request", f"length must be from 1 to {READ_CHUNK_MAX} bytes.")
    with path.open("rb") as handle:
        handle.seek(offset)
        data = handle.read(length)
        size = path.stat().st_size
    return {
        "ok": True,
        "model": model_id,
        "path": payload["path"],
        "offset": offset,
        "size": size,
        "data": base64.b64encode(data).decode("ascii"),
    }
