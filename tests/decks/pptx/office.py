"""A .pptx converted to PDF by Debian's LibreOffice (headless), as an office suite lays it out.

``pptx_to_pdf`` is the validity check of the PowerPoint export: what LibreOffice cannot open fails here with
its own words. Each run has its own LibreOffice profile (two runs sharing one hand their work to the first
instance, or wait on its lock) and a fontconfig file that adds the project's fonts (``static/fonts``: the
decks' families and the CJK fallback) to the system's, so the office suite draws the faces the .pptx names.
Used by the slow tests (tests/decks/pptx/test_pptx_office.py) and by bench/pptx_preview.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[3]
FONTS = ROOT / "static" / "fonts"
SOFFICE = "soffice"


class OfficeError(RuntimeError):
    """LibreOffice did not turn the file into a PDF (it refused it, crashed or ran past its time)."""


def soffice_path() -> str | None:
    """Where ``soffice`` is, or None when LibreOffice is not installed."""
    return shutil.which(SOFFICE)


def fonts_conf(workdir: Path) -> Path:
    """A fontconfig file: the system's configuration plus the project's TrueType fonts (not the web slices)."""
    path = workdir / "fonts.conf"
    fonts = escape(str(FONTS))
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{fonts}</dir>\n"
        # The WOFF2 slices under web/ hold a few characters each: a face fontconfig must never pick.
        f"  <selectfont><rejectfont><glob>{fonts}/web/*</glob></rejectfont></selectfont>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return path


def pptx_to_pdf(pptx: bytes, workdir: Path, *, timeout: float = 120) -> bytes:
    """``pptx`` as LibreOffice Impress exports it to PDF; ``workdir`` holds the files, the profile and the fonts.

    Raises ``OfficeError`` (with soffice's output) when no PDF comes out, or when soffice runs past ``timeout``
    seconds (its whole process group is killed, so no stray soffice.bin is left holding the profile).
    """
    binary = soffice_path()
    if binary is None:
        raise OfficeError(
            f"{SOFFICE} is not installed (Debian: apt-get install --no-install-recommends libreoffice-impress)"
        )
    workdir.mkdir(parents=True, exist_ok=True)
    source, out = workdir / "deck.pptx", workdir / "out"
    source.write_bytes(pptx)
    out.mkdir(exist_ok=True)
    command = [
        binary,
        f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        str(source),
    ]
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf(workdir)), "HOME": str(workdir)}
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True, cwd=workdir
    )
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        raise OfficeError(
            f"soffice ran past {timeout:g} s converting the .pptx:\n{output.decode(errors='replace')}"
        ) from None
    pdf = out / "deck.pdf"
    if proc.returncode != 0 or not pdf.exists():
        raise OfficeError(
            f"soffice made no PDF of the .pptx (exit {proc.returncode}):\n{output.decode(errors='replace')}"
        )
    return pdf.read_bytes()
