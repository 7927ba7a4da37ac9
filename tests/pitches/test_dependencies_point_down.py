"""The canvas (pitchlab.pitches) knows nothing of the apps built on it: decks, demos, pictures, rehearsals and sharing
subscribe to its ``pitch_changed`` signal and register their archive parts and editor panels themselves.
Any import of them from pitches, at the top of a module or inside a function, breaks that direction."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PITCHES = Path(__file__).resolve().parents[2] / "pitchlab" / "pitches"
ABOVE = ("pitchlab.decks", "pitchlab.demos", "pitchlab.pictures", "pitchlab.rehearsals", "pitchlab.sharing")


def imports_from_above(source: str) -> list[tuple[int, str]]:
    """(line, module) of every import of an app above pitches in ``source``, wherever it stands."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # "from pitchlab import decks" names the app in the alias, not the module.
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [
            (node.lineno, name) for name in names if name in ABOVE or name.startswith(tuple(f"{a}." for a in ABOVE))
        ]
    return found


def test_pitches_imports_no_app_built_on_it() -> None:
    modules = sorted(PITCHES.rglob("*.py"))
    assert len(modules) > 20  # the walk found the app
    offending = [
        f"{path.relative_to(PITCHES.parent.parent)}:{line} imports {name}"
        for path in modules
        for line, name in imports_from_above(path.read_text(encoding="utf-8"))
    ]
    assert offending == []


@pytest.mark.parametrize(
    "source",
    [
        "from pitchlab.decks.services import charts_changed",
        "def f():\n    from pitchlab.demos import inference\n",
        "import pitchlab.rehearsals.remote",
        "from pitchlab import sharing",
        "class C:\n    def m(self):\n        import pitchlab.decks as d\n",
    ],
)
def test_the_rule_sees_every_form_of_import(source: str) -> None:
    assert imports_from_above(source)


@pytest.mark.parametrize(
    "source", ["from pitchlab.pitches.models import Pitch", "import pitchlab.decksmith", "from . import decks"]
)
def test_the_rule_leaves_other_imports_alone(source: str) -> None:
    assert imports_from_above(source) == []
