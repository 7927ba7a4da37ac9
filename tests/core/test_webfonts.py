"""The decks' web fonts (static/pitchlab/fonts.css, scripts/build-webfonts): every character a shipped TTF draws reaches
a WOFF2 slice that holds it, English text never touches PL CJK, and Chinese text needs only a few small slices."""

from __future__ import annotations

from functools import cache

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from tests.fontfaces import STATIC, WEB_FONTS, cjk_faces_for, face_for, faces

TTF = STATIC / "fonts"
CJK_BLOCKS = [(0x1100, 0x11FF), (0x2E80, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xF900, 0xFAFF),
              (0xFE10, 0xFE1F), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x2FA1F)]  # fmt: skip


@cache
def woff2_cmap(name: str) -> frozenset[int]:
    return frozenset(TTFont(WEB_FONTS / name).getBestCmap())


@cache
def ttf_cmap(name: str) -> frozenset[int]:
    return frozenset(TTFont(TTF / name).getBestCmap())


def test_every_face_swaps_has_a_range_and_a_woff2() -> None:
    assert len(faces()) > 20
    for face in faces():
        assert face.display == "swap", face.file
        assert face.ranges, face.file
        assert face.file.endswith(".woff2")
        assert (WEB_FONTS / face.file).read_bytes()[:4] == b"wOF2", face.file


def test_the_ttfs_stay_for_the_pdf() -> None:
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "DroidSansFallbackFull.ttf"):
        assert TTFont(TTF / name).sfntVersion == "\x00\x01\x00\x00", name  # TrueType outlines: what reportlab embeds


@pytest.mark.parametrize(("family", "weight", "ttf"), [
    ("PL Sans", "400", "NotoSans-Regular.ttf"),
    ("PL Sans", "700", "NotoSans-Bold.ttf"),
    ("PL CJK", "400", "DroidSansFallbackFull.ttf"),
])  # fmt: skip
def test_each_character_goes_to_a_slice_that_draws_it(family: str, weight: str, ttf: str) -> None:
    """A face whose range claims a character it cannot draw would show a fallback glyph; one claiming a character
    that a later face draws is fine (the later face is tried first): this follows the browser's order."""
    source = ttf_cmap(ttf)
    wanted = source if family == "PL Sans" else {c for c in source if any(lo <= c <= hi for lo, hi in CJK_BLOCKS)}
    if family == "PL CJK":
        wanted -= ttf_cmap("NotoSans-Regular.ttf")  # PL Sans comes first in every font-family list
    assert len(wanted) > (25_000 if family == "PL CJK" else 2_500)
    for code in sorted(wanted):
        face = face_for(code, family, weight)
        assert face is not None, f"U+{code:04X} has no face"
        assert code in woff2_cmap(face.file), f"U+{code:04X} goes to {face.file}, which cannot draw it"


def test_no_face_claims_a_han_character_that_no_slice_draws() -> None:
    """Else a page with such a character would fetch a slice for nothing (and still show a fallback glyph)."""
    drawn = set().union(*(woff2_cmap(face.file) for face in faces() if face.family == "PL CJK"))
    for code in range(0x3400, 0x2FA20):
        face = face_for(code, "PL CJK")
        if face is not None:
            assert code in drawn, f"U+{code:04X} is claimed by {face.file}"


ENGLISH = [
    "Lumen routes support tickets to the right team in 40 ms — 94.1 % accuracy on 2,000 tickets.",
    "“Why now?” Small models got cheap: $0.0004 per ticket… ← → • © ® ™ € £ ¥ ½ °C ±",
    "Café naïve résumé Ångström Œuvre façade — Zoë’s fiancée’s Bogotá office",
    "".join(chr(c) for c in range(0x20, 0x7F)),
]


@pytest.mark.parametrize("text", ENGLISH)
def test_english_text_never_reaches_pl_cjk(text: str) -> None:
    assert cjk_faces_for(text) == set()
    for weight in ("400", "700"):
        used = {face.file for c in text if (face := face_for(ord(c), "PL Sans", weight)) is not None}
        assert used <= {f"pl-sans-{weight}-latin.woff2", f"pl-sans-{weight}-symbols.woff2"}, used


CHINESE = [
    "一家种子轮阶段、做客服工单自动分类与分派的创业公司。这是一份完整的五分钟路演示例，包含增长数据、市场规模测算、"
    "模型与基线的对比结果，以及现场文本分类演示。文中的公司、人物和数字均为虚构示例。",
    "一家尚在认证阶段、对胸部 X 光片做疑似肺炎分诊的创业公司。这是一份面向强监管市场的完整十分钟路演示例：影子模式下的"
    "增长数据、外部验证结果、应对欧盟《人工智能法》和医疗器械法规的计划，以及现场图像分类演示。",
    "我们的客户是客服主管：每天有上千张工单涌入，人工分派平均要等四十分钟。关键词规则便宜，但准确率只有六成；"
    "大模型准确，却太贵太慢。我们用小模型在每位客户自己的数据上微调，延迟低于五十毫秒。",
    "风险与应对：算力成本、数据隐私与安全、标注质量、可解释性、对第三方基础模型的依赖、监管（欧盟人工智能法案）。",
]


@pytest.mark.parametrize("text", CHINESE)
def test_chinese_text_needs_a_few_frequency_slices(text: str) -> None:
    needed = cjk_faces_for(text)
    assert "pl-cjk-00.woff2" in needed  # the commonest characters and the full-width punctuation
    assert not any("rare" in name for name in needed), needed
    kilobytes = sum((WEB_FONTS / name).stat().st_size for name in needed) / 1024
    assert len(needed) <= 6, needed
    assert kilobytes < 400, (needed, kilobytes)


@pytest.mark.parametrize("char", ["龘", "犇", "㐀", "鱻", "嬲", "氼"])
def test_a_rare_character_costs_one_more_slice(char: str) -> None:
    text = CHINESE[0] + char
    extra = cjk_faces_for(text) - cjk_faces_for(CHINESE[0])
    assert len(extra) == 1, extra
    assert ord(char) in woff2_cmap(extra.pop())
