"""The one checker of text that cannot be stored (pitchlab/core/text.py), over generated members of each family."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pitchlab.core import text
from pitchlab.core.text import first_invalid_utf8, first_unencodable, printable

SURROGATES = st.integers(0xD800, 0xDFFF).map(chr)
CONTROLS = st.sampled_from([c for c in map(chr, range(0x20)) if c not in "\t\n\r"])
NONCHARACTERS = st.one_of(
    st.integers(0xFDD0, 0xFDEF).map(chr),
    st.tuples(st.integers(0, 16), st.sampled_from([0xFFFE, 0xFFFF])).map(lambda p: chr(p[0] << 16 | p[1])),
)
REFUSED = st.one_of(SURROGATES, CONTROLS, NONCHARACTERS)
# Text that can be stored: every other code point, tab and line breaks included.
GOOD_TEXT = st.text(
    st.characters(
        blacklist_categories=["Cs"], blacklist_characters=[chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"]
    )
).filter(lambda text: first_unencodable(text) is None)
KEYS = st.text(st.characters(min_codepoint=0x61, max_codepoint=0x7A), min_size=1, max_size=5)


@given(GOOD_TEXT, REFUSED, GOOD_TEXT)
def test_a_refused_character_anywhere_in_a_text_is_found(before: str, bad: str, after: str) -> None:
    finding = first_unencodable(before + bad + after)
    assert finding is not None
    assert finding.path == ""
    assert finding.character == f"U+{ord(bad):04X}"


@given(st.lists(st.tuples(KEYS, GOOD_TEXT), min_size=1, max_size=4, unique_by=lambda kv: kv[0]), st.data())
def test_the_path_names_the_nested_field_or_key(fields: list[tuple[str, str]], data: st.DataObject) -> None:
    bad = data.draw(REFUSED)
    index = data.draw(st.integers(0, len(fields) - 1))
    in_key = data.draw(st.booleans())
    inner: dict[str, Any] = dict(fields)
    name = fields[index][0]
    if in_key:
        inner[name + bad] = inner.pop(name)
    else:
        inner[name] = [fields[index][1], fields[index][1] + bad]
    finding = first_unencodable({"changes": {"story": inner}, "base_version": 3})
    assert finding is not None
    expected = f"changes.story.{printable(name + bad)}" if in_key else f"changes.story.{name}.1"
    assert finding.path == expected
    assert finding.in_key is in_key
    assert printable(finding.path).encode("utf-8")  # the path itself can be sent back


@given(st.recursive(GOOD_TEXT | st.integers() | st.none(), lambda kids: st.lists(kids) | st.dictionaries(KEYS, kids)))
def test_documents_of_storable_text_pass(document: Any) -> None:
    assert first_unencodable(document) is None


def test_a_deep_document_is_walked_without_recursion() -> None:
    document: Any = "x\x00"
    for _ in range(5000):
        document = [document]
    finding = first_unencodable(document)
    assert finding is not None
    assert finding.path == ".".join(["0"] * 5000)


@given(st.binary(min_size=1, max_size=8).filter(lambda raw: not _is_utf8(raw)), GOOD_TEXT)
def test_percent_encoded_bytes_that_are_not_utf8_are_found(raw: bytes, good: str) -> None:
    from urllib.parse import quote, quote_from_bytes

    query = f"ok={quote(good)}&note={quote_from_bytes(raw)}".encode("ascii")
    finding = first_invalid_utf8(query)
    assert finding is not None
    assert finding.path == "note"
    assert finding.reason == "invalid_utf8"
    assert first_invalid_utf8(f"ok={quote(good)}".encode("ascii")) is None


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize("number", [float("inf"), float("-inf"), float("nan")])
def test_a_number_that_is_not_finite_is_found_at_its_path(number: float) -> None:
    finding = text.first_unencodable({"ok": [1, 2.5, 1e308], "rows": [{"value": 3}, {"value": number}]})
    assert finding is not None
    assert (finding.path, finding.reason) == ("rows.1.value", text.NON_FINITE)
    assert "too large to store" in finding.message()
    assert text.first_unencodable({"ok": [1, 2.5, 1e308, -1e308, 5e-324, 10**400]}) is None
