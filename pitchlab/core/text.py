"""Text that PitchLab cannot store or encode: the one checker every input goes through (pure).

Python's ``str`` holds any code point, so a JSON ``"\\ud800"`` or a ``%00`` in a form parses without
complaint and only fails later, somewhere else: PostgreSQL's ``text`` refuses NUL, a lone UTF-16
surrogate cannot be encoded as UTF-8 (so Redis, the tokenizer, the PDF and every JSON answer that echoes
it fail), and the XML 1.0 of the PowerPoint export refuses C0 controls and U+FFFE/U+FFFF. One bad request
must not become another person's failure, so every text is checked once at the edge, where the request
still knows which field it came from:

- DRF views: the parsers of the API (``pitchlab.core.parsers``), for JSON, form and multipart bodies;
- every other view, and every query string: ``pitchlab.core.middleware.UnencodableTextMiddleware``.

What is refused (the family, not one example): UTF-16 surrogates, lone or paired (a correctly paired
emoji arrives as one code point; two surrogate code points in a ``str`` are still unencodable); the C0
controls except tab, line feed and carriage return (NUL among them: the XML 1.0 rule, which is also
what a browser's textarea can produce); the Unicode noncharacters U+FDD0–U+FDEF and U+nFFFE/U+nFFFF of
every plane; and bytes that are not UTF-8 where a body or query string carries raw bytes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes

from django.utils.translation import gettext as _

_NONCHARACTERS = "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
_REFUSED = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")

SURROGATE = "surrogate"
CONTROL = "control"
NONCHARACTER = "noncharacter"
INVALID_UTF8 = "invalid_utf8"
# Not text, but as unstorable: JSON's 1e400 parses to an infinity, which no strict JSON answer, PostgreSQL
# jsonb or chart scale can hold. The same walk finds it, so every body gets the check in the same place.
NON_FINITE = "non_finite"


@dataclass(frozen=True)
class Finding:
    """Where the first refused character is and what it is.

    ``path``: the field, dotted (``changes.story.conflict``, ``examples.2.text``), "" for a bare body;
    ``reason``: one of the constants above; ``character``: ``U+D800``, or ``0xFF`` for a byte;
    ``in_key``: the character is in the field's name (a JSON key), not its value."""

    path: str
    reason: str
    character: str
    in_key: bool = False

    def message(self) -> str:
        """One sentence for the person who sent it."""
        where = self.path or _("the request")
        if self.reason == NON_FINITE:
            return _("“%(field)s” is a number too large to store (%(number)s).") % {
                "field": where,
                "number": self.character,
            }
        what = {
            SURROGATE: _("a lone UTF-16 surrogate"),
            CONTROL: _("a control character"),
            NONCHARACTER: _("a Unicode noncharacter"),
            INVALID_UTF8: _("bytes that are not UTF-8"),
        }[self.reason]
        if self.in_key:
            text = _("The name of the field “%(field)s” contains %(what)s (%(character)s), which cannot be stored.")
        else:
            text = _("“%(field)s” contains %(what)s (%(character)s), which cannot be stored. Remove it and send again.")
        return text % {"field": where, "what": what, "character": self.character}

    def as_extra(self) -> dict[str, Any]:
        """The ``extra`` of the API's error answer."""
        return {"field": self.path, "reason": self.reason, "character": self.character, "in_key": self.in_key}


def _reason(character: str) -> str:
    point = ord(character)
    if 0xD800 <= point <= 0xDFFF:
        return SURROGATE
    return CONTROL if point < 0x20 else NONCHARACTER


def refused_character(text: str) -> str | None:
    """The first character of ``text`` that cannot be stored, or None."""
    match = _REFUSED.search(text)
    return match.group() if match else None


def printable(text: str) -> str:
    """``text`` with each refused character written as ``\\uXXXX``: safe to echo in an answer."""
    return _REFUSED.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _join(path: str, name: object) -> str:
    name = printable(name) if isinstance(name, str) else str(name)
    return f"{path}.{name}" if path else name


def first_unencodable(value: Any, path: str = "") -> Finding | None:
    """The first refused character in ``value`` (a str, or dicts and lists of them at any depth, keys
    included), or the first number that is not finite, in document order; None when every text and number
    can be stored. Other values are ignored."""
    # An explicit stack, not recursion: a JSON document may be nested as deep as the decoder allows.
    # Each entry: (path, value, whether the value is the name of a field rather than its content).
    stack: list[tuple[str, Any, bool]] = [(path, value, False)]
    while stack:
        where, item, is_key = stack.pop()
        if isinstance(item, str):
            character = refused_character(item)
            if character is not None:
                return Finding(where, _reason(character), f"U+{ord(character):04X}", in_key=is_key)
        elif isinstance(item, float) and not math.isfinite(item):
            return Finding(where, NON_FINITE, str(item))
        elif isinstance(item, Mapping):
            children: list[tuple[str, Any, bool]] = []
            for key, child in item.items():
                children.append((_join(where, key), key, True))
                children.append((_join(where, key), child, False))
            stack.extend(reversed(children))
        elif isinstance(item, list | tuple):
            stack.extend(reversed([(_join(where, index), child, False) for index, child in enumerate(item)]))
    return None


def first_invalid_utf8(raw: bytes, *, path: str = "") -> Finding | None:
    """The first field of a url-encoded ``raw`` (a query string or a form body) whose name or value is
    not UTF-8 once percent-decoded. Django decodes such bytes into U+FFFD without a word, so the text a
    person sent would be stored changed; the raw bytes are the only place the fault can be seen."""
    for part in raw.split(b"&"):
        name, _sep, value = part.partition(b"=")
        decoded_name = unquote_to_bytes(name.replace(b"+", b" "))
        for in_key, data in ((True, decoded_name), (False, unquote_to_bytes(value.replace(b"+", b" ")))):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                field = _join(path, decoded_name.decode("utf-8", errors="replace"))
                return Finding(field, INVALID_UTF8, f"0x{data[exc.start]:02X}", in_key=in_key)
    return None


def first_in_form(data: Any, files: Any = None, *, replacement_is_invalid: bool = False) -> Finding | None:
    """The first refused character in a parsed form (a QueryDict): its fields' names and values, then
    its files' names (path ``<field>.filename``).

    ``replacement_is_invalid``: for multipart bodies, which Django decodes with U+FFFD in place of bytes
    that are not UTF-8, and whose raw bytes are gone (they may be a large upload, never held in memory):
    there a U+FFFD is taken for what it almost always is, a byte that was not UTF-8. A page served as
    UTF-8 never makes a browser send one of its own accord."""
    texts: list[tuple[str, str, bool]] = []  # (field, text, whether the text is the field's name)
    for name, values in data.lists():
        texts.append((printable(name), name, True))
        texts.extend((printable(name), value, False) for value in values if isinstance(value, str))
    for name, uploads in files.lists() if files is not None else []:
        texts.extend((_join(printable(name), "filename"), str(upload.name or ""), False) for upload in uploads)
    for field, text, is_name in texts:
        character = refused_character(text)
        if character is not None:
            return Finding(field, _reason(character), f"U+{ord(character):04X}", in_key=is_name)
    if replacement_is_invalid:
        for field, text, is_name in texts:
            if "\ufffd" in text:
                return Finding(field, INVALID_UTF8, "U+FFFD", in_key=is_name)
    return None
