"""Page scripts stay small: every script under static/pitchlab is at most MAX_LINES lines. A page whose script grows
past it is split by panel into a folder of parts on one namespace, loaded before a small starter (demo_admin/,
editor/, present/ and demo/ show the convention), so each file reads as one concern."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

SCRIPTS = Path(settings.BASE_DIR) / "static" / "pitchlab"
MAX_LINES = 320  # "~300 lines each", with a little slack for a comment


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def oversized(root: Path) -> list[str]:
    return [
        f"{path.relative_to(root)}: {line_count(path)} lines"
        for path in sorted(root.rglob("*.js"))
        if line_count(path) > MAX_LINES
    ]


def test_the_scripts_are_found() -> None:
    found = {str(path.relative_to(SCRIPTS)) for path in SCRIPTS.rglob("*.js")}
    assert {"api.js", "dom.js", "editor.js", "editor/core.js", "present/core.js", "demo/core.js"} <= found


def test_no_script_is_longer_than_the_limit() -> None:
    assert not oversized(SCRIPTS), f"split by panel (see demo_admin/): {oversized(SCRIPTS)}"


@pytest.mark.parametrize(("lines", "too_long"), [(MAX_LINES, False), (MAX_LINES + 1, True)])
def test_the_check_catches_a_long_script(tmp_path: Path, lines: int, too_long: bool) -> None:
    (tmp_path / "panel").mkdir()
    (tmp_path / "panel" / "long.js").write_text("const a = 1;\n" * lines, encoding="utf-8")
    assert bool(oversized(tmp_path)) is too_long
