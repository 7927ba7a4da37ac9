"""Numbers by language (pitchlab/core/numbers.py): one formatter per language, the same figure everywhere."""

from __future__ import annotations

import math
import re
from datetime import datetime

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from pitchlab.core.numbers import compact, finite, money, plain

EN = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?[KMBT]?$")
ZH = re.compile(r"^-?(\d{1,4}|\d{1,3}(,\d{3})+)(\.\d+)?(万|亿|万亿)?$")  # up to 9999 of a unit
EN_SCALE = {"": 1.0, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
ZH_SCALE = {"": 1.0, "万": 1e4, "亿": 1e8, "万亿": 1e12}
AMOUNTS = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False)


def read_back(text: str, scales: dict[str, float]) -> float:
    """The value a reader takes from ``text`` ("2.5M" → 2,500,000; "250万" → 2,500,000)."""
    match = re.fullmatch(r"(-?[\d,]+(?:\.\d+)?)(\D*)", text)
    assert match, text
    return float(match.group(1).replace(",", "")) * scales[match.group(2)]


@pytest.mark.parametrize(
    ("value", "en", "zh"),
    [
        (2_500_000, "2.5M", "250万"),
        (18e9, "18B", "180亿"),
        (36e6, "36M", "3600万"),
        (27_100, "27.1K", "2.71万"),
        (950, "950", "950"),
        (0.91, "0.91", "0.91"),
        (-1200, "-1.2K", "-1200"),
        (999_999, "1M", "100万"),
        (1e15, "1,000T", "1,000万亿"),
        (1.2e12, "1.2T", "1.2万亿"),
    ],
)
def test_one_amount_is_written_once_per_language(value: float, en: str, zh: str) -> None:
    assert compact(value, lang="en") == en
    assert compact(value, lang="zh") == zh
    assert compact(value, lang="zh-hans") == zh


def test_the_ask_amount_reads_2_5m_in_english_and_250_wan_in_chinese() -> None:
    assert money(2_500_000, "USD", "en") == "2.5M USD"
    assert money(2_500_000, "USD", "zh") == "250万 USD"
    assert money(2_500_000.0, " USD ", "zh") == "250万 USD"


@given(AMOUNTS)
def test_every_amount_reads_back_within_three_significant_digits_in_each_language(value: float) -> None:
    en, zh = compact(value, lang="en"), compact(value, lang="zh")
    assert EN.match(en), en
    assert ZH.match(zh), zh
    assert not re.search("[万亿]", en)
    assert not re.search("[KMBT]", zh)
    for text, scales in ((en, EN_SCALE), (zh, ZH_SCALE)):
        assert math.isclose(read_back(text, scales), value, rel_tol=5e-3, abs_tol=5e-5), (value, text)


@given(AMOUNTS)
def test_a_unit_never_holds_a_figure_that_belongs_to_the_next_one(value: float) -> None:
    """999,999 is 1M, not 1000K; 9,999,999 is 1000万, never 10000万 (that is 1亿)."""
    for lang, units in (("en", ("K", "M", "B")), ("zh", ("万", "亿"))):
        text = compact(value, lang=lang)
        number = re.match(r"-?([\d,.]+)", text)
        assert number
        if text.endswith(units):
            assert float(number.group(1).replace(",", "")) < (1000 if lang == "en" else 10_000), text


@given(st.one_of(st.integers(min_value=-(10**15), max_value=10**15), AMOUNTS))
def test_an_input_field_shows_the_stored_number_exactly_and_never_a_trailing_zero(value: float) -> None:
    text = plain(value)
    assert not text.endswith(".0")
    assert float(text) == value
    assert "," not in text


@pytest.mark.parametrize(
    ("value", "shown"), [(2500000.0, "2500000"), (2500000, "2500000"), (0.91, "0.91"), (None, ""), (True, "")]
)
def test_plain_numbers_for_input_fields(value: object, shown: str) -> None:
    assert plain(value) == shown


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 10**400, True, "12", None])
def test_what_is_no_finite_number_is_none(value: object) -> None:
    assert finite(value) is None
    assert plain(value) == ""


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31)))
def test_template_dates_follow_the_active_language(when: datetime) -> None:
    """Templates write dates with DATE_FORMAT / DATETIME_FORMAT, so a Chinese page never shows "7 Dec 2026"."""
    template = Template("{{ when|date:'DATE_FORMAT' }}|{{ when|date:'DATETIME_FORMAT' }}")
    with translation.override("zh-hans"):
        day, moment = template.render(Context({"when": when})).split("|")
    assert day == f"{when.year}年{when.month}月{when.day}日"
    assert moment.startswith(day)
    assert re.fullmatch(r"\d{2}:\d{2}", moment.removeprefix(day).strip())
    with translation.override("en"):
        day = template.render(Context({"when": when})).split("|")[0]
    assert str(when.year) in day
    assert "年" not in day
