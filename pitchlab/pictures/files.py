"""Where a pitch's pictures live on disk: one folder per pitch under MEDIA_ROOT.

    pictures/<pitch id>/<sha256>.<png|jpeg>          the masters, named by their content (stored once)
    pictures/<pitch id>/sizes/<sha256[:16]>-…         the sizes cut from them (web and print), a cache

Files are written to a temporary name beside their place and renamed into it, so a reader (another request
asking for the same size at the same moment) sees the whole file or none.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings

ROOT = "pictures"
SIZES = "sizes"


def pitch_folder(pitch_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / ROOT / str(pitch_id)


def master_name(pitch_id: int, digest: str, ext: str) -> str:
    """The master's name relative to MEDIA_ROOT (what its FileField holds)."""
    return f"{ROOT}/{pitch_id}/{digest}.{ext}"


def size_path(pitch_id: int, digest: str, name: str) -> Path:
    return pitch_folder(pitch_id) / SIZES / f"{digest[:16]}-{name}"


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def sizes_remove(pitch_id: int, digest: str) -> None:
    """Forget every size cut from the master ``digest`` (after its crop changed, or with the master)."""
    for path in (pitch_folder(pitch_id) / SIZES).glob(f"{digest[:16]}-*"):
        path.unlink(missing_ok=True)


def picture_files_remove(pitch_id: int, name: str, digest: str) -> None:
    """The master ``name`` and its sizes, gone."""
    (Path(settings.MEDIA_ROOT) / name).unlink(missing_ok=True)
    sizes_remove(pitch_id, digest)


def pitch_folder_remove(pitch_id: int) -> None:
    shutil.rmtree(pitch_folder(pitch_id), ignore_errors=True)
