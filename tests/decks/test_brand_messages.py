"""The contrast refusal speaks the reader's language: themes by their translated labels, not their keys."""

from __future__ import annotations

from django.utils import translation

from pitchlab.decks.brand import check_brand_colours, deck_rules
from pitchlab.decks.brand_unit import explain

UNREADABLE = "#f5d90a"  # fails the titles rule on every light theme


def refusal() -> str:
    verdicts = check_brand_colours({"primary": UNREADABLE}, deck_rules())
    assert len(verdicts) == 1
    return explain(verdicts[0])


def test_the_english_refusal_names_each_theme_and_joins_the_reasons() -> None:
    with translation.override("en"):
        text = refusal()
    assert text.startswith(f"{UNREADABLE} on the light theme's background (#ffffff) is 1.4:1; titles need 3:1; ")
    assert "the editorial theme's background" in text


def test_the_chinese_refusal_names_the_themes_by_their_chinese_labels() -> None:
    with translation.override("zh-hans"):
        text = refusal()
        labels = [translation.pgettext("deck theme", name) for name in ("light", "editorial", "minimal")]
    assert labels == ["浅色", "杂志", "极简"]
    for label in labels:
        assert f"{label} 主题背景" in text
    for key in ("light", "editorial", "minimal"):
        assert key not in text
