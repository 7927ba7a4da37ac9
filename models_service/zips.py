"""Zips a founder uploads, read safely: the checks every member passes before a byte is written or read.

Shared by the artefact unpacker (:func:`models_service.artefacts.unpack_zip`) and the image predictor's
labelled sets (:func:`read_labelled_images`). Refusals are :class:`ArtefactRefused` with the codes listed in
:mod:`models_service.artefacts`. Nothing here imports torch or transformers.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MB = 1_000_000
MiB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """How big an artefact may be; the defaults fit a base-size transformer classifier with room to spare.

    ``max_total_bytes``      all the artefact's files together (500 MB).
    ``max_file_bytes``       any one file (400 MB).
    ``max_files``            number of files (200); junk that is ignored does not count.
    ``max_depth``            folders a file may sit in below the artefact root (2: ``a/b/file`` is the deepest).
    ``max_config_bytes``     a JSON file this module parses: ``*config*.json`` and the safetensors index (8 MB;
                             a 21k-class id2label is about 1 MB).
    ``max_zip_ratio``        uncompressed/compressed size of one zip member (100).
    ``zip_ratio_min_bytes``  members smaller than this (1 MiB) are not ratio-checked: small text files legitimately
                             compress well, and the size limits already bound what they can expand to.
    """

    max_total_bytes: int = 500 * MB
    max_file_bytes: int = 400 * MB
    max_files: int = 200
    max_depth: int = 2
    max_config_bytes: int = 8 * MB
    max_zip_ratio: int = 100
    zip_ratio_min_bytes: int = MiB


DEFAULT_LIMITS = Limits()


class ArtefactRefused(ValueError):
    """An artefact is not accepted. ``code`` is a short machine code (see the module docstring), ``str()`` a
    sentence a founder can read that names the reason and, where there is one, the file (also in ``file``)."""

    def __init__(self, code: str, message: str, *, file: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.file = file

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep the code when the exception crosses a process boundary (Celery pickles task errors).
        return (_rebuild_refusal, (self.code, str(self), self.file))


def _rebuild_refusal(code: str, message: str, file: str | None) -> ArtefactRefused:
    return ArtefactRefused(code, message, file=file)


# Zip members skipped on unpacking: macOS Finder's resource forks and folder metadata.
_ZIP_JUNK_DIRS = frozenset({"__MACOSX"})

_DRIVE = re.compile(r"[A-Za-z]:")
# What zipfile raises on a corrupt, truncated or unsupported archive (zlib.error: broken deflate data).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)


def _member_parts(info: zipfile.ZipInfo) -> tuple[str, ...]:
    """A member's path components, refusing anything that could land outside the target folder."""
    raw = info.filename
    if "\\" in raw or raw.startswith("/") or _DRIVE.match(raw) or any(ord(c) < 32 for c in raw):
        raise ArtefactRefused(
            "unsafe_path",
            f"The zip member {raw!r} has an unsafe path (absolute, a drive letter, a backslash or a control "
            "character).",
            file=raw,
        )
    parts = tuple(raw.rstrip("/").split("/"))
    if any(part in {"", ".", ".."} for part in parts):
        raise ArtefactRefused(
            "unsafe_path", f"The zip member {raw!r} has an unsafe path (empty, . or .. components).", file=raw
        )
    return parts


def _is_junk(parts: tuple[str, ...]) -> bool:
    return parts[0] in _ZIP_JUNK_DIRS or parts[-1] == ".DS_Store"


def plan_members(archive: zipfile.ZipFile, limits: Limits) -> list[tuple[zipfile.ZipInfo, tuple[str, ...]]]:
    """Check the central directory before writing anything; return the members to extract, top folder stripped."""
    infos = archive.infolist()
    if len(infos) > 4 * limits.max_files + 100:
        raise ArtefactRefused("too_many_files", f"The zip has {len(infos):,} entries; that is too many.")
    members: list[tuple[zipfile.ZipInfo, tuple[str, ...]]] = []
    seen: set[tuple[str, ...]] = set()
    files = 0
    declared = 0
    for info in infos:
        parts = _member_parts(info)
        if _is_junk(parts):
            continue
        if parts in seen:
            raise ArtefactRefused("bad_zip", f"The zip holds {info.filename!r} twice.", file=info.filename)
        seen.add(parts)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise ArtefactRefused(
                "link", f"The zip member {info.filename!r} is a symbolic link; zip real files only.", file=info.filename
            )
        if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise ArtefactRefused(
                "unsafe_path", f"The zip member {info.filename!r} is not a regular file.", file=info.filename
            )
        if info.flag_bits & 0x1:
            raise ArtefactRefused(
                "bad_zip",
                f"The zip member {info.filename!r} is encrypted; upload an unencrypted zip.",
                file=info.filename,
            )
        members.append((info, parts))
        if info.is_dir():
            continue
        files += 1
        if files > limits.max_files:
            raise ArtefactRefused("too_many_files", f"The zip holds more than {limits.max_files} files.")
        if info.file_size > limits.max_file_bytes:
            raise ArtefactRefused(
                "too_large",
                f"{info.filename} is {info.file_size:,} bytes uncompressed; the most PitchLab accepts for one file "
                f"is {limits.max_file_bytes:,}.",
                file=info.filename,
            )
        declared += info.file_size
        if declared > limits.max_total_bytes:
            raise ArtefactRefused(
                "too_large", f"The zip's files add up to more than {limits.max_total_bytes:,} bytes uncompressed."
            )
        if info.file_size >= limits.zip_ratio_min_bytes and info.file_size > limits.max_zip_ratio * max(
            info.compress_size, 1
        ):
            raise ArtefactRefused(
                "zip_bomb",
                f"{info.filename} expands {info.file_size // max(info.compress_size, 1):,} times when unzipped "
                f"(more than {limits.max_zip_ratio}); that looks like a zip bomb.",
                file=info.filename,
            )
    file_parts = [parts for info, parts in members if not info.is_dir()]
    tops = {parts[0] for _, parts in members}
    if len(tops) == 1 and file_parts and all(len(parts) > 1 for parts in file_parts):
        members = [(info, parts[1:]) for info, parts in members if len(parts) > 1]
    for info, parts in members:
        if len(parts) - (0 if info.is_dir() else 1) > limits.max_depth:
            raise ArtefactRefused(
                "too_deep",
                f"{info.filename} is nested more than {limits.max_depth} folders deep; keep the artefact's files at "
                "its top level.",
                file=info.filename,
            )
    return members


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def read_labelled_images(source: bytes, *, max_images: int, max_bytes: int) -> list[tuple[str, str, bytes]]:
    """``(label, name, bytes)`` for each image of a zip laid out one folder per label, read in memory.

    The same checks as an artefact zip run first (no unsafe paths, links, bombs); a single enclosing
    folder is allowed. Files outside a label folder, or that are not PNG/JPEG/WebP by name, are refused
    by name so the founder knows what to fix.
    """
    limits = Limits(
        max_total_bytes=max_bytes, max_file_bytes=max_bytes, max_files=max_images, max_depth=1, zip_ratio_min_bytes=MiB
    )
    try:
        with zipfile.ZipFile(io.BytesIO(source)) as archive:
            members = plan_members(archive, limits)
            images: list[tuple[str, str, bytes]] = []
            for info, parts in members:
                if info.is_dir():
                    continue
                if len(parts) != 2:
                    raise ArtefactRefused(
                        "bad_layout",
                        f"{info.filename} is not inside a label folder; put each image in a folder named after its "
                        "label.",
                        file=info.filename,
                    )
                if Path(parts[1]).suffix.lower() not in IMAGE_SUFFIXES:
                    raise ArtefactRefused(
                        "bad_layout", f"{info.filename} is not a .png, .jpg or .webp image.", file=info.filename
                    )
                with archive.open(info) as member:
                    data = member.read(info.file_size + 1)
                if len(data) > info.file_size:
                    raise ArtefactRefused("zip_bomb", f"{info.filename} is larger than the zip declares.")
                images.append((parts[0], parts[1], data))
    except ArtefactRefused:
        raise
    except ZIP_ERRORS as exc:
        raise ArtefactRefused("bad_zip", f"The file is not a readable zip ({exc}).") from None
    if not images:
        raise ArtefactRefused("bad_layout", "The zip holds no images; put them in one folder per label.")
    return images
