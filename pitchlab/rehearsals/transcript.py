"""What a rehearsal transcript says about the delivery: filler words and phrases said over and over.

Pure Python (standard library only). The filler lists live in ``data/fillers.json`` (its ``_about`` explains
the matching rules) so they can be tuned without touching code. Both lists are applied to every transcript,
because speech mixes languages.

* Fillers: English entries match whole words, case-insensitively, unless the word right before them says they
  are meant ("I like it" is not a filler, "it was, like, huge" is); Chinese entries match as substrings. All
  entries are matched longest first without overlap, so 就是说 counts once and not also as 就是.
* Repeated phrases: English word n-grams (2–5 words, within one sentence, not only stop words) and runs of 3–6
  Han characters said at least 3 times, fillers taken out first. Only maximal ones are kept: a phrase said as
  often as a longer phrase containing it is always part of it, so only the longer one is shown; a sentence
  longer than the longest n-gram, said again and again, is shown once, by its first 5 words or 6 characters.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pitchlab.rehearsals.timing import word_counts

FILLERS_FILE = Path(__file__).resolve().parent / "data" / "fillers.json"
MIN_REPEATS = 3
TOP_REPEATED = 10
EN_NGRAM = (2, 5)
ZH_RUN = (3, 6)

_WORD_CHARS = "A-Za-z0-9'’\\-"
_PREV_WORD = re.compile(r"([A-Za-z0-9']+)\s+$")
_EN_TOKEN = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_SENTENCE_END = re.compile(r"[.!?;:。！？；：…\n]+")

# Phrases made only of these say nothing about the pitch ("of the", "we are", "我们的").
_EN_STOP = frozenset(
    """a an the and or but so to of in on at for with by from as is are was were be been being am it its it's this
    that these those there here i we you he she they me us him her them my our your his their do does did have
    has had will would can could should not no yes if then than what which who how when where why all just very
    really also more most some any about up out into over too one get got going go let's i'm we're you're that's
    there's don't can't""".split()  # noqa: SIM905 - a word list reads better as text than as 110 quoted items
)
_ZH_STOP = frozenset("的了是在和有也就都很我们你他她它这那个一不而与及或被把对从到为以吗呢吧")


@dataclass(frozen=True)
class EnglishFiller:
    phrase: str
    not_after: frozenset[str]


@dataclass(frozen=True)
class Fillers:
    en: tuple[EnglishFiller, ...]
    zh: tuple[str, ...]


@dataclass(frozen=True)
class FillerCount:
    phrase: str
    lang: Literal["en", "zh"]
    count: int


@dataclass(frozen=True)
class RepeatedPhrase:
    phrase: str
    count: int


@dataclass(frozen=True)
class TranscriptReport:
    words: int
    characters: int
    minutes: float
    fillers: tuple[FillerCount, ...]
    filler_total: int
    fillers_per_minute: float | None
    repeated: tuple[RepeatedPhrase, ...]

    def as_json(self) -> dict[str, Any]:
        """The report as plain JSON values, floats rounded to 1 decimal."""
        return {
            "words": self.words,
            "characters": self.characters,
            "minutes": round(self.minutes, 1),
            "fillers": [{"phrase": f.phrase, "lang": f.lang, "count": f.count} for f in self.fillers],
            "filler_total": self.filler_total,
            "fillers_per_minute": None if self.fillers_per_minute is None else round(self.fillers_per_minute, 1),
            "repeated": [{"phrase": r.phrase, "count": r.count} for r in self.repeated],
        }


def load_fillers(path: Path | None = None) -> Fillers:
    """The filler lists from ``data/fillers.json`` (or ``path``); a malformed file raises ValueError."""
    data = json.loads((path or FILLERS_FILE).read_text(encoding="utf-8"))
    en: list[EnglishFiller] = []
    for entry in data.get("en", []):
        row = {"phrase": entry} if isinstance(entry, str) else entry
        phrase, not_after = row.get("phrase"), row.get("not_after", [])
        if not isinstance(phrase, str) or not phrase.strip() or not isinstance(not_after, list):
            raise ValueError(f"Bad English filler entry: {entry!r}")
        en.append(EnglishFiller(" ".join(phrase.lower().split()), frozenset(str(w).lower() for w in not_after)))
    zh = data.get("zh", [])
    if not all(isinstance(entry, str) and entry for entry in zh):
        raise ValueError("Chinese fillers must be non-empty strings.")
    return Fillers(en=tuple(en), zh=tuple(zh))


@lru_cache(maxsize=1)
def _default_fillers() -> Fillers:
    return load_fillers()


def _en_pattern(phrase: str) -> re.Pattern[str]:
    question = phrase.endswith("?")
    words = phrase.rstrip("?").split()
    body = r"(?:\s*,\s*|\s+)".join(re.escape(word) for word in words)
    tail = r"\s*\?" if question else f"(?![{_WORD_CHARS}])"
    return re.compile(f"(?<![{_WORD_CHARS}]){body}{tail}", re.IGNORECASE)


def _meant(text: str, start: int, not_after: frozenset[str]) -> bool:
    """Whether the word right before ``start`` (spaces only between) makes the phrase a real word, not filler."""
    if not not_after:
        return False
    found = _PREV_WORD.search(text, max(0, start - 60), start)
    if found is None:
        return False
    previous = found.group(1).lower()
    return previous in not_after or any(previous.endswith(w) for w in not_after if w.startswith("'"))


def _find(text: str, entry: EnglishFiller | str) -> Iterator[tuple[int, int]]:
    if isinstance(entry, str):
        at = text.find(entry)
        while at >= 0:
            yield at, at + len(entry)
            at = text.find(entry, at + 1)
        return
    for match in _en_pattern(entry.phrase).finditer(text):
        if not _meant(text, match.start(), entry.not_after):
            yield match.start(), match.end()


def _count_fillers(text: str, fillers: Fillers) -> tuple[list[FillerCount], list[bool]]:
    """Filler counts (file order) and which characters of ``text`` were fillers."""
    taken = [False] * len(text)
    entries: list[tuple[EnglishFiller | str, Literal["en", "zh"]]] = [(e, "en") for e in fillers.en]
    entries += [(e, "zh") for e in fillers.zh]
    counts: dict[int, int] = {}
    # Longest first, so a long filler claims its words before a shorter one inside it can.
    order = sorted(range(len(entries)), key=lambda i: -len(_phrase(entries[i][0])))
    for i in order:
        for start, end in _find(text, entries[i][0]):
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                counts[i] = counts.get(i, 0) + 1
    found = [FillerCount(_phrase(entries[i][0]), entries[i][1], counts[i]) for i in sorted(counts)]
    return found, taken


def _phrase(entry: EnglishFiller | str) -> str:
    return entry if isinstance(entry, str) else entry.phrase


def _strip(text: str, taken: list[bool]) -> str:
    """``text`` without its fillers, so they neither count as repeated nor split a phrase said around them.

    A Chinese filler is cut out (the characters either side join up again: 我们那个产品 -> 我们产品); an English one
    becomes a space, or a sentence end when it carried one ("right?").
    """
    parts: list[str] = []
    i = 0
    while i < len(text):
        if not taken[i]:
            parts.append(text[i])
            i += 1
            continue
        end = i
        while end < len(text) and taken[end]:
            end += 1
        span = text[i:end]
        parts.append("" if _HAN_RUN.search(span) else ". " if "?" in span else " ")
        i = end
    return "".join(parts)


def _grams(units: list[str], sizes: tuple[int, int], stop: frozenset[str]) -> Iterator[tuple[str, ...]]:
    for n in range(sizes[0], sizes[1] + 1):
        for i in range(len(units) - n + 1):
            gram = tuple(units[i : i + n])
            if not all(unit in stop for unit in gram):
                yield gram


def _maximal(counts: Counter[tuple[str, ...]], shortest: int) -> dict[tuple[str, ...], int]:
    """The phrases said at least MIN_REPEATS times that are not just part of a longer one."""
    kept = {gram: c for gram, c in counts.items() if c >= MIN_REPEATS}
    # A shorter phrase said exactly as often as a longer one containing it was only ever said inside it.
    inner = {
        gram[i : i + n]
        for gram, c in kept.items()
        for n in range(shortest, len(gram))
        for i in range(len(gram) - n + 1)
        if kept.get(gram[i : i + n]) == c
    }
    # A phrase longer than the longest n-gram shows up as windows shifted by one unit, each said as often: keep
    # the first window only. Counters keep insertion order, so "first" is the first said of its length.
    result: dict[tuple[str, ...], int] = {}
    tails: set[tuple[tuple[str, ...], int]] = set()
    for gram, c in kept.items():
        if gram in inner:
            continue
        if (gram[:-1], c) not in tails:
            result[gram] = c
        tails.add((gram[1:], c))
    return result


def _repeated(text: str) -> list[RepeatedPhrase]:
    english: Counter[tuple[str, ...]] = Counter()
    chinese: Counter[tuple[str, ...]] = Counter()
    # Chinese between English words ends an English phrase as a full stop would.
    for sentence in _SENTENCE_END.split(_HAN_RUN.sub(".", text.lower())):
        english.update(_grams(_EN_TOKEN.findall(sentence), EN_NGRAM, _EN_STOP))
    for run in _HAN_RUN.findall(text):
        chinese.update(_grams(list(run), ZH_RUN, _ZH_STOP))
    rows = [(" ".join(g), c, len(g)) for g, c in _maximal(english, EN_NGRAM[0]).items()]
    rows += [("".join(g), c, len(g)) for g, c in _maximal(chinese, ZH_RUN[0]).items()]
    rows.sort(key=lambda row: (-row[1], -row[2], row[0]))
    return [RepeatedPhrase(phrase, count) for phrase, count, _ in rows[:TOP_REPEATED]]


def analyse_transcript(text: str, *, minutes: float, fillers: Fillers | None = None) -> TranscriptReport:
    """Fillers and repeated phrases of ``text``; ``minutes`` is the rehearsal's active time, from the caller.

    ``fillers_per_minute`` is None when ``minutes`` is not positive (no timing to compare with).
    """
    # Same-length substitution keeps the positions of the original text.
    text = text.replace("’", "'")
    found, taken = _count_fillers(text, fillers or _default_fillers())
    found.sort(key=lambda f: -f.count)  # stable: ties keep the file's order
    total = sum(f.count for f in found)
    without_fillers = _strip(text, taken)
    words, characters = word_counts(text)
    return TranscriptReport(
        words=words,
        characters=characters,
        minutes=minutes,
        fillers=tuple(found),
        filler_total=total,
        fillers_per_minute=round(total / minutes, 1) if minutes > 0 else None,
        repeated=tuple(_repeated(without_fillers)),
    )
