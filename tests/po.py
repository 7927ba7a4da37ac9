"""A reader of gettext PO files for the catalogue tests (tests/core/test_i18n.py, test_i18n_js.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    context: str | None = None
    msgid: str = ""
    plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)


def _unquote(text: str) -> str:
    assert text.startswith('"'), text
    assert text.endswith('"'), text
    out, chars = [], iter(text[1:-1])
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    for char in chars:
        out.append(escapes[next(chars)] if char == "\\" else char)
    return "".join(out)


def read_po(path: Path) -> list[Entry]:
    """The entries of a PO file (the header included, as msgid ""); obsolete (#~) entries are kept as flags."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] = ("msgid", 0)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            current = None
            continue
        if current is None:
            current = Entry(line=number)
            entries.append(current)
        if line.startswith("#~"):
            current.flags.add("obsolete")
        elif line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            key, index = target
            if key == "msgstr":
                current.msgstr[index] += _unquote(line)
            elif key == "msgctxt":
                current.context = (current.context or "") + _unquote(line)
            elif key == "msgid_plural":
                current.plural = (current.plural or "") + _unquote(line)
            else:
                current.msgid += _unquote(line)
        else:
            keyword, _, value = line.partition(" ")
            found = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if found:
                target = ("msgstr", int(found[1]))
                current.msgstr[target[1]] = _unquote(value)
            elif keyword == "msgstr":
                target = ("msgstr", 0)
                current.msgstr[0] = _unquote(value)
            elif keyword == "msgctxt":
                target = ("msgctxt", 0)
                current.context = _unquote(value)
            elif keyword == "msgid_plural":
                target = ("msgid_plural", 0)
                current.plural = _unquote(value)
            else:
                assert keyword == "msgid", f"{path}:{number}: {line}"
                target = ("msgid", 0)
                current.msgid = _unquote(value)
    return entries
