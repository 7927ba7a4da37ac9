"""The checker's words and phrases (``data/hype_words.json``) and how they are found in a text.

English phrases match case-insensitively on whole words, where a hyphenated compound is one word
("disruptive" matches, "disruptively" and "non-disruptive" do not); an entry with an upper-case letter
("MoM", "SOTA") matches case-sensitively. Chinese phrases match as substrings.
"""

from __future__ import annotations

import json
import re
import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "CATEGORIES",
    "DEFAULT_LEXICON_PATH",
    "LANGUAGES",
    "Lexicon",
    "Match",
    "Terms",
    "distinct",
    "find",
    "load_lexicon",
]

DEFAULT_LEXICON_PATH = Path(__file__).resolve().parents[1] / "data" / "hype_words.json"
LANGUAGES = ("en", "zh")
CATEGORIES = ("hype", "absolute", "growth_claims", "accuracy_claims")


# --- the lexicon ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """The phrases of one category, per language."""

    en: tuple[str, ...] = ()
    zh: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    """Every phrase the checker looks for, by category; see ``data/hype_words.json``."""

    hype: Terms = field(default_factory=Terms)
    absolute: Terms = field(default_factory=Terms)
    growth_claims: Terms = field(default_factory=Terms)
    accuracy_claims: Terms = field(default_factory=Terms)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Lexicon:
        """Build a lexicon from ``{category: {language: [phrase, ...]}}``; keys starting with "_" are comments.

        Raises ``ValueError`` when the shape is wrong (an unknown category or language, a phrase that is
        not a non-empty string).
        """
        if not isinstance(data, Mapping):
            raise ValueError("The lexicon must be a JSON object of categories.")
        categories: dict[str, Terms] = {}
        for category, languages in data.items():
            if isinstance(category, str) and category.startswith("_"):
                continue
            if category not in CATEGORIES:
                raise ValueError(f"Unknown lexicon category {category!r}; expected one of {', '.join(CATEGORIES)}.")
            if not isinstance(languages, Mapping):
                raise ValueError(f"Lexicon category {category!r} must map languages to lists of phrases.")
            per_language: dict[str, tuple[str, ...]] = {}
            for language, phrases in languages.items():
                if language not in LANGUAGES:
                    raise ValueError(f"Unknown language {language!r} in {category!r}; expected en or zh.")
                if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
                    raise ValueError(f"{category}.{language} must be a list of non-empty strings.")
                per_language[language] = tuple(dict.fromkeys(p.strip() for p in phrases))
            categories[category] = Terms(**per_language)
        return cls(**categories)


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The lexicon in the JSON file at ``path``; the packaged ``data/hype_words.json`` (read once) when None."""
    if path is None:
        return _default_lexicon()
    return _read_lexicon(path)


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    return _read_lexicon(DEFAULT_LEXICON_PATH)


def _read_lexicon(path: Path) -> Lexicon:
    with path.open(encoding="utf-8") as handle:
        return Lexicon.from_mapping(json.load(handle))


# --- matching -------------------------------------------------------------------------------------------------

_SEPARATOR = re.compile(r"[\s\-]+")
_APOSTROPHES = "['\u2019]"
# A whole English word: no letter or digit (or letter-hyphen, i.e. a compound) right before or after.
_EN_BEFORE = r"(?<![A-Za-z0-9])(?<![A-Za-z0-9]-)"
_EN_AFTER = r"(?![A-Za-z0-9])(?!-[A-Za-z0-9])"


@dataclass(frozen=True)
class Match:
    """One phrase found in a text: where, as written there, and its key (case- and separator-folded)."""

    start: int
    end: int
    text: str
    key: str


def _case_scoped(regex: str, phrase: str) -> str:
    return f"(?-i:{regex})" if any(ch.isupper() for ch in phrase) else regex


def _en_regex(phrase: str) -> str:
    words = [re.escape(word).replace("'", _APOSTROPHES) for word in _SEPARATOR.split(phrase) if word]
    return _case_scoped(r"[\s\-]+".join(words), phrase)


def _zh_regex(phrase: str) -> str:
    chars = [re.escape(ch) for ch in phrase if not ch.isspace()]
    return _case_scoped(r"\s*".join(chars), phrase)


_TOKEN = re.compile(r"[A-Za-z0-9]+")


class _Matcher:
    """The compiled phrases of one category.

    English phrases starting with an ASCII letter or digit are indexed by their first word, so a text is
    scanned word by word with dictionary look-ups (a long alternation tried at every position is several
    times slower); everything else (Chinese, odd English) is one alternation, longest phrase first.
    """

    def __init__(self, terms: Terms) -> None:
        by_token: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
        others: list[tuple[int, str]] = []
        for phrase in (unicodedata.normalize("NFKC", p) for p in terms.en):
            regex = f"{_EN_BEFORE}{_en_regex(phrase)}{_EN_AFTER}"
            first = _TOKEN.match(phrase)
            if first is None:
                others.append((len(phrase), regex))
            else:
                by_token.setdefault(first.group().lower(), []).append((len(phrase), re.compile(regex, re.IGNORECASE)))
        others += [(len(p), _zh_regex(p)) for p in (unicodedata.normalize("NFKC", p) for p in terms.zh)]
        self.by_token = {
            token: tuple(rx for _, rx in sorted(entries, key=lambda e: -e[0])) for token, entries in by_token.items()
        }
        self.first_words = frozenset(self.by_token)
        ordered = [regex for _, regex in sorted(others, key=lambda e: -e[0])]
        self.others = re.compile("|".join(ordered), re.IGNORECASE) if ordered else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Non-overlapping (start, end) of the phrases in ``text``: leftmost first, then longest."""
        found: list[tuple[int, int]] = []
        if self.first_words:
            lowered, words = _words(text)
            for word in self.first_words & words:
                regexes, size, pos = self.by_token[word], len(word), lowered.find(word)
                while pos != -1:
                    after = pos + size
                    if (pos == 0 or lowered[pos - 1] not in _ALNUM) and (
                        after == len(lowered) or lowered[after] not in _ALNUM
                    ):
                        for regex in regexes:
                            match = regex.match(text, pos)
                            if match:
                                found.append(match.span())
                                break
                    pos = lowered.find(word, after)
        if self.others is not None:
            found += [m.span() for m in self.others.finditer(text)]
        found.sort(key=lambda span: (span[0], -span[1]))
        kept: list[tuple[int, int]] = []
        for span in found:
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        return kept


_ALNUM = frozenset(string.ascii_letters + string.digits)


@lru_cache(maxsize=64)  # the four categories of one check read the same texts
def _words(text: str) -> tuple[str, frozenset[str]]:
    """``text`` with ASCII letters lower-cased (same length, so offsets hold) and its set of ASCII words."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few non-ASCII letters change length when lower-cased
        lowered = text.translate(_ASCII_LOWER)
    return lowered, frozenset(_TOKEN.findall(lowered))


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


@lru_cache(maxsize=64)
def _matcher(terms: Terms) -> _Matcher:
    return _Matcher(terms)


def find(terms: Terms, text: str) -> list[Match]:
    """The phrases of ``terms`` in ``text``, non-overlapping, in text order (the longest at one position)."""
    if not text:
        return []
    matches = []
    keys: dict[str, str] = {}
    for start, end in _matcher(terms).spans(text):
        phrase = text[start:end]
        if (key := keys.get(phrase)) is None:
            key = keys[phrase] = _SEPARATOR.sub(" ", phrase.casefold().replace("\u2019", "'"))
        matches.append(Match(start, end, phrase, key))
    return matches


def distinct(matches: list[Match]) -> list[Match]:
    """The first match of each phrase (by key): a word repeated in one field is reported once."""
    seen: dict[str, Match] = {}
    for match in matches:
        seen.setdefault(match.key, match)
    return list(seen.values())
