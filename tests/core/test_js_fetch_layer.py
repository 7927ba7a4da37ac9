"""One browser core: static/pitchlab/api.js is the only script that talks to the server. A page script with its own
fetch(), XMLHttpRequest or CSRF cookie reading would bypass its time-outs, its error sentences and its CSRF header.
(share.js's navigator.sendBeacon stays: a fire-and-forget report from the public share page, which needs no CSRF
token, reads no answer, and must outlive the page.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

SCRIPTS = Path(settings.BASE_DIR) / "static" / "pitchlab"
CORE = SCRIPTS / "api.js"
# What only the core may hold: the transports, and the CSRF token's sources.
FORBIDDEN = re.compile(r"\bfetch\s*\(|\bXMLHttpRequest\b|\bnew\s+EventSource\b|csrftoken|X-CSRFToken")


def shipped_scripts() -> list[Path]:
    return sorted(SCRIPTS.rglob("*.js"))


def code_of(text: str) -> str:
    """The script without its comments, so a comment may name fetch() to explain why it is not used."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"(?m)^\s*//.*$|\s//\s.*$", "", text)


def offences(path: Path) -> list[str]:
    code = code_of(path.read_text(encoding="utf-8"))
    return [f"{path.relative_to(SCRIPTS)}: {m.group(0)!r}" for m in FORBIDDEN.finditer(code)]


def test_the_core_is_where_the_requests_are() -> None:
    assert offences(CORE), "api.js itself must hold fetch and XMLHttpRequest (else this test checks nothing)"


@pytest.mark.parametrize("script", [str(p.relative_to(SCRIPTS)) for p in shipped_scripts() if p != CORE])
def test_no_other_script_talks_to_the_server_itself(script: str) -> None:
    assert not offences(SCRIPTS / script), "use window.PitchLab.api (send, json, upload, poll) instead"


def test_the_check_catches_a_script_that_fetches(tmp_path: Path) -> None:
    rogue = tmp_path / "rogue.js"
    rogue.write_text(
        '// fetch( in a comment is fine\nconst r = await fetch("/api/x", { headers: {} });\n', encoding="utf-8"
    )
    found = [m.group(0) for m in FORBIDDEN.finditer(code_of(rogue.read_text(encoding="utf-8")))]
    assert found == ["fetch("]
