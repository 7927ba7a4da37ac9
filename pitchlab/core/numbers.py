"""Numbers and amounts as a reader of one language writes them: one formatter per language, used everywhere (pure).

English groups by thousands (2.5M, 18B, 27.1K); Chinese by ten thousands (250万, 180亿, 1.2万亿). A slide, a chart,
the PDF and the rehearsal questions all call ``compact`` or ``money`` here, so one amount is never written two ways
on one page. The browser's twin is ``static/pitchlab/format.js`` (Intl.NumberFormat with the pitch's language).
"""

from __future__ import annotations

import math

_UNITS_EN = ((1.0, ""), (1e3, "K"), (1e6, "M"), (1e9, "B"), (1e12, "T"))
_UNITS_ZH = ((1.0, ""), (1e4, "万"), (1e8, "亿"), (1e12, "万亿"))
SCIENTIFIC_FROM = 1e16
"""From here on (past the canvas' bounds, so only for figures stored before them) a figure turns scientific."""


def is_zh(lang: str) -> bool:
    """Whether ``lang`` ("zh", "zh-hans", "zh-CN", …) is Chinese; anything else is written the English way."""
    return lang.lower().startswith("zh")


def finite(value: object) -> float | None:
    """``value`` as a finite float when it is a number (not a bool, not NaN or an infinity, not a huge int)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int of hundreds of digits, stored before the canvas had bounds
        return None
    return number if math.isfinite(number) else None


def compact(value: float, digits: int = 3, lang: str = "en") -> str:
    """A short form of ``value`` with ``digits`` significant digits: 2.5M, 18B, 27.1K, 950, 0.91, -1.2K in English;
    250万, 180亿, 1.2万亿 in Chinese.

    999,999 is 1M (never 1000K); the largest unit keeps counting with grouped digits (1,000T, 1,000万亿); from
    ``SCIENTIFIC_FROM`` on it turns scientific (1e+18); a value that is not finite is "?".
    """
    if not math.isfinite(value):
        return "?"
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    if magnitude >= SCIENTIFIC_FROM:
        return sign + f"{magnitude:.{max(1, digits)}g}"
    units = _UNITS_ZH if is_zh(lang) else _UNITS_EN
    for position, (limit, suffix) in enumerate(units):
        text = _trim(magnitude / limit, digits)
        if position == len(units) - 1:
            return sign + _grouped(text) + suffix
        following = units[position + 1][0]
        if magnitude < following and float(text) < following / limit:
            return sign + text + suffix
    return sign + _trim(magnitude, digits)  # pragma: no cover - the loop always returns


def money(value: float, currency: str, lang: str = "en") -> str:
    """An amount with its currency after it, written once in ``lang``: "2.5M USD", "250万 USD"."""
    return f"{compact(value, lang=lang)} {currency.strip()}".strip()


def percent(fraction: float, lang: str = "en", digits: int = 1) -> str:
    """A fraction as a percentage with at most ``digits`` decimals, trailing zeros dropped: 0.91 → "91%",
    0.885 → "88.5%". Chinese writes it the same way (Intl's zh-CN does too: "91%")."""
    del lang  # one form in both languages today; the parameter keeps every caller asking by language
    if not math.isfinite(fraction):
        return "?"
    text = f"{fraction * 100:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return ("0" if text == "-0" else text) + "%"


def count(value: float, lang: str = "en") -> str:
    """A count written exactly, grouped by thousands: 2000 → "2,000" (Chinese too: Intl's zh-CN groups by three;
    a sample count must stay exact, so it is never shortened to 2K or 2千)."""
    del lang
    if not math.isfinite(value):
        return "?"
    return f"{round(value):,}"


def measure(value: float, unit: str = "ms", lang: str = "en") -> str:
    """A time (or other measure) with its unit at a sensible precision: one decimal below 100 ("14.0 ms"), whole
    numbers grouped from there on ("1,400 ms"); no unit, no trailing space."""
    del lang
    if not math.isfinite(value):
        return "?"
    text = f"{value:.1f}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{text} {unit.strip()}".strip()


def plain(value: object) -> str:
    """A stored number as an input field shows it: 2500000 (not 2500000.0), 0.91; "" for what is no number.

    Exact (Python's shortest round-trip form, no grouping, "." as the decimal point), so editing and saving it
    again stores the same number.
    """
    number = finite(value)
    if number is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    return repr(number)


def _grouped(text: str) -> str:
    whole, dot, fraction = text.partition(".")
    return f"{int(whole):,}" + dot + fraction


def _trim(value: float, digits: int) -> str:
    if value == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(value)))
    text = f"{value:.{min(decimals, 4)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
