"""The one artefact format of PitchLab's models, checked before anything loads it.

An artefact is a Hugging Face–format folder::

    config.json                     architectures (one *ForSequenceClassification or
                                    *ForImageClassification), model_type, id2label ("0".."n-1", >= 2)
    model.safetensors               or model.safetensors.index.json + the shards it names
    tokenizer files                 text models: tokenizer.json, or vocab.txt (WordPiece), or
                                    vocab.json + merges.txt (BPE), or a sentencepiece *.model
    preprocessor_config.json        image models
    anything else inert             tokenizer_config.json, special_tokens_map.json, README.md, ...

The architectures and the files each kind needs come from the kind's predictor (the one registry,
:mod:`models_service.predictors.registry`); the zip reading shared with labelled image sets is in
:mod:`models_service.zips`.

Nothing here imports torch or transformers, and no weights file is ever deserialised: pickle-based
formats are refused by name before any file is opened, disguised ones by their first bytes, and a
safetensors file is only read as far as its JSON header.

Every refusal is an :class:`ArtefactRefused` whose ``code`` is one of:

============================  ==========================================================================
``not_a_folder``              the path is not a folder
``link``                      a symbolic link, in the folder or in a zip
``unsafe_path``               a zip member with an absolute path, ``..``, a drive letter or a backslash; a
                              device/fifo/socket in the folder; a file name that is not UTF-8
``hidden_file``               a hidden file or folder (name starting with ``.``) other than the ignored
                              ``.gitattributes``, ``.gitignore`` and ``.DS_Store``
``too_deep``                  a file nested in more than ``Limits.max_depth`` folders
``too_many_files``            more than ``Limits.max_files`` files
``too_large``                 a file over ``Limits.max_file_bytes``, all files over ``Limits.max_total_bytes``,
                              or a JSON config over ``Limits.max_config_bytes``
``pickle_weights``            a pickle-capable weights file (.bin .pt .pth .pkl .pickle .ckpt .joblib .npy
                              .npz), or any file whose first bytes are a pickle / torch zip / numpy header
``unsupported_weights``       weights of another framework (.h5 .hdf5 .keras .msgpack .onnx .pb .tflite .gguf
                              .ggml), by name or by an HDF5 signature
``custom_code``               code in the folder (.py .pyc .pyo .pyd .pyw .so .dylib .dll .ipynb), an
                              ``auto_map`` key or a true ``trust_remote_code`` in a ``*config*.json``
``missing_config``            no config.json
``bad_config``                config.json (or another ``*config*.json``) is not a JSON object, or has no
                              ``model_type``
``unsupported_architecture``  ``architectures`` is not exactly one *ForSequenceClassification or
                              *ForImageClassification class
``missing_labels``            no ``id2label``, or fewer than two labels
``bad_labels``                ``id2label`` keys are not "0".."n-1" or a label is not a non-empty string
``missing_weights``           neither model.safetensors nor model.safetensors.index.json, or a shard the
                              index names is absent
``bad_weights``               a safetensors file whose header is not valid, or an index that does not
                              match its shards
``missing_tokenizer``         a text model without tokenizer files
``missing_preprocessor``      an image model without preprocessor_config.json
``bad_zip``                   not a zip, a corrupt or encrypted one, duplicate or colliding members
``zip_bomb``                  a member compressed more than ``Limits.max_zip_ratio`` times, or one that
                              expands past the size it declares
============================  ==========================================================================
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import re
import secrets
import shutil
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models_service.predictors.base import Predictor
from models_service.predictors.registry import PREDICTORS, predictor_for_architecture
from models_service.zips import DEFAULT_LIMITS, ZIP_ERRORS, MiB, plan_members
from models_service.zips import ArtefactRefused as ArtefactRefused
from models_service.zips import Limits as Limits
from models_service.zips import read_labelled_images as read_labelled_images


@dataclass(frozen=True)
class ArtefactInfo:
    """What :func:`validate_folder` found. ``files`` are the artefact's files, relative POSIX names, sorted;
    ``total_bytes`` their sizes summed; ``labels`` are id2label's values in index order."""

    path: Path
    kind: str
    architecture: str
    model_type: str
    labels: tuple[str, ...]
    total_bytes: int
    files: tuple[str, ...]


# --- names --------------------------------------------------------------------------------------------------------

PICKLE_SUFFIXES = frozenset({".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt", ".joblib", ".npy", ".npz"})
FOREIGN_WEIGHT_SUFFIXES = frozenset({".h5", ".hdf5", ".keras", ".msgpack", ".onnx", ".pb", ".tflite", ".gguf", ".ggml"})
CODE_SUFFIXES = frozenset({".py", ".pyc", ".pyo", ".pyd", ".pyw", ".so", ".dylib", ".dll", ".ipynb"})
# Hidden names that are harmless and left out of the artefact (not counted, not hashed, not listed).
IGNORED_NAMES = frozenset({".gitattributes", ".gitignore", ".DS_Store"})

SINGLE_WEIGHTS = "model.safetensors"
WEIGHTS_INDEX = "model.safetensors.index.json"

_SAFETENSORS_MAX_HEADER = 100_000_000  # the safetensors library's own limit
# Bits per element of every safetensors dtype.
_DTYPE_BITS = {
    "BOOL": 8,
    "U8": 8,
    "I8": 8,
    "F8_E5M2": 8,
    "F8_E4M3": 8,
    "F8_E8M0": 8,
    "I16": 16,
    "U16": 16,
    "F16": 16,
    "BF16": 16,
    "I32": 32,
    "U32": 32,
    "F32": 32,
    "I64": 64,
    "U64": 64,
    "F64": 64,
    "C64": 64,
    "F4": 4,
    "F6_E2M3": 6,
    "F6_E3M2": 6,
}
_ARCHITECTURE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _looks_like_pickle(head: bytes) -> bool:
    """A pickle of protocol 2..5 starts with the PROTO opcode (0x80) and the protocol number."""
    return len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5


def _magic_refusal(name: str, head: bytes) -> ArtefactRefused | None:
    if _looks_like_pickle(head):
        return ArtefactRefused(
            "pickle_weights",
            f"{name} is a Python pickle, which can run code when loaded; PitchLab only loads safetensors weights.",
            file=name,
        )
    if head.startswith(b"PK\x03\x04"):
        return ArtefactRefused(
            "pickle_weights",
            f"{name} is a zip archive (the format of a PyTorch checkpoint, which holds a pickle); "
            "PitchLab only loads safetensors weights.",
            file=name,
        )
    if head.startswith(b"\x93NUMPY"):
        return ArtefactRefused(
            "pickle_weights",
            f"{name} is a NumPy array file, which can hold pickles; PitchLab only loads safetensors weights.",
            file=name,
        )
    if head.startswith(b"\x89HDF\r\n\x1a\n"):
        return ArtefactRefused(
            "unsupported_weights",
            f"{name} is an HDF5 (Keras/TensorFlow) file; PitchLab only loads safetensors weights.",
            file=name,
        )
    return None


def _read_head(path: Path, size: int = 8) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


def _name_refusal(name: str) -> ArtefactRefused | None:
    """Refusals decided by a file's name alone, before it is opened."""
    suffix = Path(name).suffix.lower()
    if suffix in PICKLE_SUFFIXES:
        return ArtefactRefused(
            "pickle_weights",
            f"{name} is a pickle-based file ({suffix}), which can run code when loaded; PitchLab only loads "
            "safetensors weights. Re-save the model with save_pretrained(..., safe_serialization=True) and "
            "leave the .bin/.pt files out.",
            file=name,
        )
    if suffix in FOREIGN_WEIGHT_SUFFIXES:
        return ArtefactRefused(
            "unsupported_weights",
            f"{name} holds weights in a format PitchLab does not load ({suffix}); only safetensors weights "
            "are accepted.",
            file=name,
        )
    if suffix in CODE_SUFFIXES:
        return ArtefactRefused(
            "custom_code",
            f"{name} is code ({suffix}); PitchLab only runs the model classes built into transformers, so "
            "artefacts may not carry code.",
            file=name,
        )
    return None


# --- walking a folder ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    name: str  # relative POSIX name
    path: Path
    size: int


def _walk(root: Path, limits: Limits | None) -> Iterator[_Entry]:
    """Every regular file under ``root``, ignored junk left out. Refuses links, special files, hidden names,
    names that are not UTF-8 and, when ``limits`` is given, too deep nesting and too many files. Opens nothing."""
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    count = 0
    while stack:
        folder, parts = stack.pop()
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
        for entry in entries:
            rel_parts = (*parts, entry.name)
            name = "/".join(rel_parts)
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:
                raise ArtefactRefused(
                    "unsafe_path", f"{name!r} is not a UTF-8 file name; rename it.", file=name
                ) from None
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISLNK(st.st_mode):
                raise ArtefactRefused(
                    "link", f"{name} is a symbolic link; an artefact must hold real files only.", file=name
                )
            if entry.name in IGNORED_NAMES and stat.S_ISREG(st.st_mode):
                continue
            if entry.name.startswith("."):
                raise ArtefactRefused(
                    "hidden_file",
                    f"{name} is a hidden file or folder; remove it (only .gitattributes, .gitignore and .DS_Store "
                    "are ignored).",
                    file=name,
                )
            if stat.S_ISDIR(st.st_mode):
                if limits is not None and len(rel_parts) > limits.max_depth:
                    raise ArtefactRefused(
                        "too_deep",
                        f"{name}/ is nested more than {limits.max_depth} folders deep; keep the artefact's files "
                        "at its top level.",
                        file=name,
                    )
                stack.append((Path(entry.path), rel_parts))
                continue
            if not stat.S_ISREG(st.st_mode):
                raise ArtefactRefused(
                    "unsafe_path", f"{name} is not a regular file (a device, pipe or socket).", file=name
                )
            count += 1
            if limits is not None and count > limits.max_files:
                raise ArtefactRefused(
                    "too_many_files", f"The artefact has more than {limits.max_files} files.", file=None
                )
            yield _Entry(name, Path(entry.path), st.st_size)


# --- JSON and safetensors -----------------------------------------------------------------------------------------


def _load_json_object(entry: _Entry, limits: Limits, code: str) -> dict[str, Any]:
    if entry.size > limits.max_config_bytes:
        raise ArtefactRefused(
            "too_large",
            f"{entry.name} is {entry.size:,} bytes; PitchLab reads JSON files of at most "
            f"{limits.max_config_bytes:,} bytes.",
            file=entry.name,
        )
    with open(entry.path, "rb") as handle:
        raw = handle.read(limits.max_config_bytes + 1)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ArtefactRefused(code, f"{entry.name} is not valid JSON ({exc}).", file=entry.name) from None
    if not isinstance(data, dict):
        raise ArtefactRefused(code, f"{entry.name} must hold a JSON object.", file=entry.name)
    return data


def _find_key(data: Any, key: str) -> bool:
    """Whether ``key`` is a key of ``data`` or of any object nested in it."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if key in item:
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _check_no_remote_code(name: str, data: dict[str, Any]) -> None:
    if _find_key(data, "auto_map"):
        raise ArtefactRefused(
            "custom_code",
            f"{name} has an auto_map, which points transformers at code shipped with the model; PitchLab only runs "
            "the model classes built into transformers.",
            file=name,
        )
    if data.get("trust_remote_code"):
        raise ArtefactRefused(
            "custom_code",
            f"{name} asks for trust_remote_code; PitchLab never runs code shipped with a model.",
            file=name,
        )


def _bad_weights(name: str, why: str) -> ArtefactRefused:
    return ArtefactRefused("bad_weights", f"{name} is not a valid safetensors file: {why}.", file=name)


def _safetensors_tensors(entry: _Entry) -> set[str]:
    """Check a safetensors file's header (the 8-byte little-endian length, then a JSON object of tensors whose
    byte ranges tile the data exactly) and return its tensor names. Reads the header only. A file that is not
    safetensors at all but starts like a pickle or a torch zip is refused as pickle_weights."""
    name = entry.name
    with open(entry.path, "rb") as handle:
        head = handle.read(8)
        if len(head) < 8:
            raise _magic_refusal(name, head) or _bad_weights(name, "it is shorter than its 8-byte header length")
        length = int.from_bytes(head, "little")
        if length < 2 or length > _SAFETENSORS_MAX_HEADER or length > entry.size - 8:
            raise _magic_refusal(name, head) or _bad_weights(name, f"its header length ({length}) is impossible")
        raw = handle.read(length)
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _magic_refusal(name, head) or _bad_weights(name, "its header is not JSON") from None
    if not isinstance(header, dict):
        raise _bad_weights(name, "its header is not a JSON object")
    data_bytes = entry.size - 8 - length
    spans: list[tuple[int, int, str]] = []
    for tensor, spec in header.items():
        if tensor == "__metadata__":
            if not isinstance(spec, dict) or not all(isinstance(v, str) for v in spec.values()):
                raise _bad_weights(name, "its __metadata__ is not a string map")
            continue
        if not isinstance(spec, dict):
            raise _bad_weights(name, f"tensor {tensor!r} has no description")
        dtype, shape, offsets = spec.get("dtype"), spec.get("shape"), spec.get("data_offsets")
        if not isinstance(dtype, str) or dtype not in _DTYPE_BITS:
            raise _bad_weights(name, f"tensor {tensor!r} has an unknown dtype {dtype!r}")
        if not isinstance(shape, list) or not all(type(d) is int and d >= 0 for d in shape):
            raise _bad_weights(name, f"tensor {tensor!r} has a bad shape")
        if (
            not isinstance(offsets, list)
            or len(offsets) != 2
            or not all(type(o) is int for o in offsets)
            or not 0 <= offsets[0] <= offsets[1] <= data_bytes
        ):
            raise _bad_weights(name, f"tensor {tensor!r} lies outside the file")
        bits = math.prod(shape) * _DTYPE_BITS[dtype]
        if bits % 8 or offsets[1] - offsets[0] != bits // 8:
            raise _bad_weights(name, f"tensor {tensor!r} does not fit its byte range")
        spans.append((offsets[0], offsets[1], tensor))
    if not spans:
        raise _bad_weights(name, "it holds no tensors")
    position = 0
    for start, end, tensor in sorted(spans):
        if start != position:
            raise _bad_weights(name, f"tensor {tensor!r} overlaps another or leaves a gap")
        position = end
    if position != data_bytes:
        raise _bad_weights(name, "its tensors do not cover its data")
    return {tensor for _, _, tensor in spans}


def _check_weights(entries: dict[str, _Entry], limits: Limits) -> None:
    tensors = {
        name: _safetensors_tensors(entry) for name, entry in entries.items() if name.lower().endswith(".safetensors")
    }
    if SINGLE_WEIGHTS in entries:
        return
    if WEIGHTS_INDEX not in entries:
        raise ArtefactRefused(
            "missing_weights",
            f"There are no weights: PitchLab needs {SINGLE_WEIGHTS} (or {WEIGHTS_INDEX} with its shards) in the "
            "folder's top level.",
        )
    index = _load_json_object(entries[WEIGHTS_INDEX], limits, "bad_weights")
    weight_map = index.get("weight_map")
    if not isinstance(weight_map, dict) or not weight_map:
        raise ArtefactRefused("bad_weights", f"{WEIGHTS_INDEX} has no weight_map.", file=WEIGHTS_INDEX)
    for tensor, shard in weight_map.items():
        if not isinstance(shard, str) or "/" in shard or "\\" in shard or not shard.endswith(".safetensors"):
            raise ArtefactRefused(
                "bad_weights", f"{WEIGHTS_INDEX} names a shard {shard!r} that is not a safetensors file beside it."
            )
        if shard not in tensors:
            raise ArtefactRefused(
                "missing_weights", f"{WEIGHTS_INDEX} names the shard {shard}, which is missing.", file=shard
            )
        if tensor not in tensors[shard]:
            raise ArtefactRefused(
                "bad_weights", f"{WEIGHTS_INDEX} puts tensor {tensor!r} in {shard}, which does not hold it.", file=shard
            )


# --- config ---------------------------------------------------------------------------------------------------------


def _architecture(config: dict[str, Any]) -> tuple[str, Predictor]:
    """config.json's one architecture and the registered predictor whose kind it is."""
    predictors = list(PREDICTORS.values())
    architectures = config.get("architectures")
    if not isinstance(architectures, list) or len(architectures) != 1 or not isinstance(architectures[0], str):
        suffixes = " or ".join(f"…{p.architecture_suffix}" for p in predictors)
        raise ArtefactRefused(
            "unsupported_architecture",
            f"config.json must name exactly one architecture (a {suffixes} class); it has {architectures!r}.",
            file="config.json",
        )
    architecture = architectures[0]
    predictor = predictor_for_architecture(architecture) if _ARCHITECTURE.match(architecture) else None
    if predictor is not None:
        return architecture, predictor
    kinds = " or ".join(f"{p.noun} (…{p.architecture_suffix})" for p in predictors)
    raise ArtefactRefused(
        "unsupported_architecture",
        f"config.json's architecture {architecture!r} is not a classifier PitchLab can run: it must be {kinds}.",
        file="config.json",
    )


def _labels(config: dict[str, Any]) -> tuple[str, ...]:
    id2label = config.get("id2label")
    if not isinstance(id2label, dict) or not id2label:
        raise ArtefactRefused(
            "missing_labels",
            "config.json has no id2label, so PitchLab cannot name the model's predictions; save the model with "
            "id2label set to its class names.",
            file="config.json",
        )
    if len(id2label) < 2:
        raise ArtefactRefused(
            "missing_labels",
            f"config.json's id2label has only {len(id2label)} label; a classifier needs at least two.",
            file="config.json",
        )
    expected = [str(i) for i in range(len(id2label))]
    if sorted(id2label, key=lambda key: (len(key), key)) != expected:
        raise ArtefactRefused(
            "bad_labels",
            f'config.json\'s id2label keys must be "0" to "{len(id2label) - 1}".',
            file="config.json",
        )
    labels = tuple(id2label[key] for key in expected)
    for key, label in zip(expected, labels, strict=True):
        if not isinstance(label, str) or not label.strip():
            raise ArtefactRefused(
                "bad_labels", f"config.json's label {key} is not a non-empty string ({label!r}).", file="config.json"
            )
    return labels


# --- public API -----------------------------------------------------------------------------------------------------


def validate_folder(path: Path, *, limits: Limits = DEFAULT_LIMITS) -> ArtefactInfo:
    """Check that ``path`` is an artefact PitchLab may load, without loading it; raise ArtefactRefused if not.

    In order: the folder's shape (no links, special files or hidden names; at most ``limits.max_depth`` folders
    deep and ``limits.max_files`` files), every file's name (pickle-based, foreign or code files are refused
    before anything is opened), sizes, the first 8 bytes of every file (a pickle, torch zip, NumPy or HDF5 file
    in disguise), every top-level ``*config*.json`` (a JSON object, no ``auto_map``, no ``trust_remote_code``),
    config.json's architecture, model_type and id2label, the safetensors headers and index, and finally the
    tokenizer (text) or preprocessor_config.json (image) files. Ignored junk (.gitattributes, .gitignore,
    .DS_Store) is left out of ``files`` and ``total_bytes``.
    """
    path = Path(path)
    if path.is_symlink():
        raise ArtefactRefused("link", f"{path.name} is a symbolic link, not a folder.", file=path.name)
    if not path.is_dir():
        raise ArtefactRefused("not_a_folder", f"{path.name} is not a folder.", file=path.name)

    entries: dict[str, _Entry] = {}
    total = 0
    for entry in _walk(path, limits):
        refusal = _name_refusal(entry.name)
        if refusal is not None:
            raise refusal
        if entry.size > limits.max_file_bytes:
            raise ArtefactRefused(
                "too_large",
                f"{entry.name} is {entry.size:,} bytes; the most PitchLab accepts for one file is "
                f"{limits.max_file_bytes:,}.",
                file=entry.name,
            )
        total += entry.size
        if total > limits.max_total_bytes:
            raise ArtefactRefused(
                "too_large",
                f"The artefact's files add up to more than {limits.max_total_bytes:,} bytes, the most PitchLab "
                "accepts.",
            )
        entries[entry.name] = entry

    for entry in entries.values():
        if entry.name.lower().endswith(".safetensors"):
            continue  # its header is checked below; a disguised pickle fails that check and is named then
        refusal = _magic_refusal(entry.name, _read_head(entry.path))
        if refusal is not None:
            raise refusal

    if "config.json" not in entries:
        raise ArtefactRefused(
            "missing_config",
            "There is no config.json in the folder's top level; save the model with save_pretrained().",
            file="config.json",
        )
    configs = {
        name: _load_json_object(entry, limits, "bad_config")
        for name, entry in entries.items()
        if "/" not in name and name.endswith(".json") and "config" in name
    }
    for name, data in configs.items():
        _check_no_remote_code(name, data)
    config = configs["config.json"]
    architecture, predictor = _architecture(config)
    model_type = config.get("model_type")
    if not isinstance(model_type, str) or not model_type.strip():
        raise ArtefactRefused("bad_config", "config.json has no model_type.", file="config.json")
    labels = _labels(config)

    _check_weights(entries, limits)

    refusal = predictor.artefact_refusal({name for name in entries if "/" not in name})
    if refusal is not None:
        raise refusal
    return ArtefactInfo(
        path=path,
        kind=predictor.kind,
        architecture=architecture,
        model_type=model_type,
        labels=labels,
        total_bytes=total,
        files=tuple(sorted(entries)),
    )


def artefact_id(path: Path) -> str:
    """A stable id for an artefact's content: the hex sha256 of, for each file in sorted relative-name order,
    ``name + "\\0" + hex sha256 of the file + "\\n"`` (names are POSIX, UTF-8). The same files under the same
    names give the same id wherever the folder lives; where it lives, timestamps and permissions do not count,
    and neither does ignored junk (.gitattributes, .gitignore, .DS_Store). Refuses links like validate_folder
    but applies no size limits: validate first."""
    digest = hashlib.sha256()
    for entry in sorted(_walk(Path(path), None), key=lambda entry: entry.name):
        file_digest = hashlib.sha256()
        with open(entry.path, "rb") as handle:
            for chunk in iter(lambda: handle.read(MiB), b""):
                file_digest.update(chunk)
        digest.update(f"{entry.name}\0{file_digest.hexdigest()}\n".encode())
    return digest.hexdigest()


def _extract(
    archive: zipfile.ZipFile, members: list[tuple[zipfile.ZipInfo, tuple[str, ...]]], root: Path, limits: Limits
) -> None:
    total = 0
    for info, parts in members:
        destination = root.joinpath(*parts)
        try:
            if info.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with archive.open(info) as source, open(destination, "xb") as sink:
                while chunk := source.read(MiB):
                    written += len(chunk)
                    total += len(chunk)
                    if written > info.file_size:
                        raise ArtefactRefused(
                            "zip_bomb",
                            f"{info.filename} expands past the size the zip declares for it.",
                            file=info.filename,
                        )
                    if written > limits.max_file_bytes or total > limits.max_total_bytes:
                        raise ArtefactRefused("too_large", "The zip expands past the size PitchLab accepts.")
                    sink.write(chunk)
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            raise ArtefactRefused(
                "bad_zip", f"The zip member {info.filename!r} collides with another member.", file=info.filename
            ) from None


def unpack_zip(source: Path | bytes, target: Path, *, limits: Limits = DEFAULT_LIMITS) -> Path:
    """Unpack a zipped artefact into ``target`` (absent or an empty folder), validate it and return ``target``.

    The central directory is checked before anything is written: members with absolute paths, ``..`` or empty
    components, drive letters, backslashes or control characters, symbolic links or special files, encryption,
    duplicates; more than ``limits.max_files`` files; declared sizes over the limits; a member of at least
    ``limits.zip_ratio_min_bytes`` compressed more than ``limits.max_zip_ratio`` times. While extracting, the bytes
    actually written are counted and extraction stops as soon as a member outgrows its declared size or the limits.
    ``__MACOSX/`` and ``.DS_Store`` members are skipped. When every file sits under one top-level folder, that
    folder's contents become the artefact. Everything is unpacked into a hidden temporary sibling of ``target``
    that is renamed to ``target`` only once :func:`validate_folder` accepts it; on any refusal or error it is
    removed, so nothing half-extracted is left behind. A corrupt zip is refused with code ``bad_zip``.
    """
    target = Path(target)
    if target.is_symlink() or (target.exists() and (not target.is_dir() or any(target.iterdir()))):
        raise FileExistsError(f"{target} exists and is not an empty folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.unpacking-{secrets.token_hex(6)}"
    staging.mkdir()
    try:
        try:
            with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
                members = plan_members(archive, limits)
                _extract(archive, members, staging, limits)
        except ArtefactRefused:
            raise
        except ZIP_ERRORS as exc:
            raise ArtefactRefused("bad_zip", f"The file is not a readable zip ({exc}).") from None
        validate_folder(staging, limits=limits)
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
