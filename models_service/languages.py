"""Which languages a set of texts is in, told from the scripts they are written in (pure, no model).

A model is only as good as the languages it was trained on, so PitchLab records them in ``pitchlab.json`` and shows
them next to the model. Scripts decide most of it: Han characters are Chinese (unless kana make it Japanese),
Hangul is Korean, Cyrillic, Arabic, Devanagari and so on are named by their script. Latin-script text is called
English when it contains a few of the commonest English words, else just "Latin script": telling French from
Spanish is not what this is for.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

# A language counts when at least this share of the texts (and at least two of them) is in it: one stray quote
# in another language does not make a model bilingual.
MIN_SHARE = 0.05
MIN_TEXTS = 2

_ENGLISH = frozenset(
    "the a an and or but is are was were be been to of in on for with it this that my our your you we i they "  # noqa: SIM905
    "not no can could would should will do does did have has had please thanks thank from at by as".split()
)
# A Han, kana or Hangul character says about as much as three Latin letters: "导入Google表格" is Chinese.
_WIDE = 3
_WORD = re.compile(r"[a-z']+")

# Scripts by the first word of a character's Unicode name, and the code they are recorded under.
_SCRIPTS = {
    "CJK": "zh",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
    "CYRILLIC": "cyrillic",
    "ARABIC": "arabic",
    "HEBREW": "hebrew",
    "GREEK": "greek",
    "DEVANAGARI": "devanagari",
    "THAI": "thai",
}


def text_language(text: str) -> str | None:
    """The language (or script) code of one text, or None when it has no letters at all.

    Codes: ``en``, ``latin`` (another Latin-script language), ``zh``, ``ja``, ``ko``, or a script name such as
    ``cyrillic``. The script with the most letters wins (a CJK character weighs ``_WIDE`` letters); kana anywhere
    make Han text Japanese.
    """
    counts: Counter[str] = Counter()
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        first = name.split(" ", 1)[0]
        if first in _SCRIPTS:
            counts[_SCRIPTS[first]] += _WIDE if first in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL") else 1
        elif first == "LATIN" or ch.isascii():
            counts["latin"] += 1
        elif "IDEOGRAPH" in name:
            counts["zh"] += _WIDE
    if not counts:
        return None
    if counts["ja"] and counts["zh"]:
        counts["ja"] += counts.pop("zh")
    script = counts.most_common(1)[0][0]
    if script == "latin" and any(word in _ENGLISH for word in _WORD.findall(text.lower())):
        return "en"
    return script


def languages_of(texts: Iterable[str]) -> list[str]:
    """The languages of ``texts``, most texts first: those with at least ``MIN_SHARE`` of the texts (and two).

    Latin-script texts without a common English word count as English when English texts are the more numerous.
    """
    counts = Counter(language for language in map(text_language, texts) if language is not None)
    if counts["en"] >= counts["latin"]:
        # Short English texts ("Love it!") have none of the common words: in a mostly English set they are English.
        counts["en"] += counts.pop("latin", 0)
    total = sum(counts.values())
    kept = [
        (language, count) for language, count in counts.items() if count >= MIN_TEXTS and count >= MIN_SHARE * total
    ]
    return [language for language, _ in sorted(kept, key=lambda pair: (-pair[1], pair[0]))]
