"""The brand kit's font families: each embeds in a PDF with the CJK fallback; the catalogue, files and README agree."""

from __future__ import annotations

import re
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont as ToolsFont  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from pitchlab.decks.font_catalogue import CJK_FALLBACK, DEFAULT_FONT, FONT_FAMILIES, font_family
from pitchlab.decks.fonts import CJK, FONT_DIR, SANS, SANS_BOLD, char_font, drawable, font_for, register_family

FAMILIES = sorted(FONT_FAMILIES)
STATIC = FONT_DIR.parent
LATIN = "Lumen routes tickets — 94.1 % accuracy, Zoë’s café"
CHINESE = "企业级对话式AI平台"


def _pdf_with(family: str, tmp_path: Path) -> Path:
    fonts = register_family(family)
    buffer = BytesIO()
    c = Canvas(buffer, pagesize=(800, 450))
    y = 400.0
    for bold in (False, True):
        for text in (LATIN, CHINESE):
            primary = font_for(text, bold=bold, family=family)
            x = 40.0
            for ch in text:  # each character in the font that draws it, as pdf_text draws runs
                name = char_font(ch, primary, bold, family)
                assert name is not None, (family, ch)
                c.setFont(name, 18)
                c.drawString(x, y, ch)
                x += c.stringWidth(ch, name, 18)
            y -= 40
    assert {fonts.sans, fonts.bold, fonts.cjk} <= {font_for(LATIN, False, family), font_for(LATIN, True, family), CJK}
    c.showPage()
    c.save()
    path = tmp_path / f"{family}.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def _embedded(pdf: Path) -> dict[str, bool]:
    """pdffonts' listing: base font name (subset prefix dropped) -> embedded."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    found = {}
    for line in lines[2:]:
        name, *rest = line.split()
        # columns: name type [encoding words…] emb sub uni object ID
        found[name.split("+", 1)[-1]] = rest[-5] == "yes"
    return found


def _psname(file: str) -> str:
    return str(ToolsFont(FONT_DIR / file)["name"].getDebugName(6))


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_embeds_with_the_cjk_fallback(family: str, tmp_path: Path) -> None:
    fonts = _embedded(_pdf_with(family, tmp_path))
    entry = FONT_FAMILIES[family]
    for file in (entry.regular, entry.bold, CJK_FALLBACK):
        assert fonts.get(_psname(file)) is True, (family, file, fonts)


@pytest.mark.parametrize("family", FAMILIES)
def test_latin_in_chinese_text_is_set_in_the_family(family: str) -> None:
    register_family(family)
    primary = font_for(CHINESE, family=family)
    assert primary == CJK
    regular = font_for("x", family=family)
    assert char_font("A", primary, False, family) == regular
    assert char_font("企", primary, False, family) == CJK


def test_a_character_the_family_lacks_falls_back_to_noto_sans() -> None:
    register_family("caladea")  # Latin only: no Greek
    assert char_font("Ω", font_for("x", family="caladea"), False, "caladea") == SANS
    assert char_font("Ω", font_for("x", True, "caladea"), True, "caladea") == SANS_BOLD


def test_the_default_behaviour_and_names_are_unchanged() -> None:
    assert font_for("Hello") == SANS == "PL-Sans"
    assert font_for("Hello", bold=True) == SANS_BOLD
    assert font_for("你好") == CJK
    assert char_font("A", CJK, False) == SANS
    assert drawable("ok 👍 好") == "ok 好"


def test_an_unknown_id_reads_as_the_default_family() -> None:
    assert font_family("no-such-font") is FONT_FAMILIES[DEFAULT_FONT]


def test_at_least_five_families_of_both_kinds() -> None:
    assert len(FONT_FAMILIES) >= 5
    assert {f.classification for f in FONT_FAMILIES.values()} == {"sans", "serif"}


def test_the_catalogue_the_files_and_the_readme_agree() -> None:
    readme = (FONT_DIR / "README.md").read_text(encoding="utf-8")
    shipped = {path.name for path in FONT_DIR.glob("*.ttf")}
    listed = {CJK_FALLBACK} | {f for family in FONT_FAMILIES.values() for f in (family.regular, family.bold)}
    assert shipped == listed  # no file without its family, no family without its files
    for name in shipped:
        assert ToolsFont(FONT_DIR / name).sfntVersion == "\x00\x01\x00\x00", name  # TrueType outlines
        assert f"`{name}`" in readme, name
    for family in FONT_FAMILIES.values():
        row = next((line for line in readme.splitlines() if f"`{family.id}`" in line), None)
        assert row is not None, family.id
        for needle in (family.name, family.licence, family.debian_package):
            assert needle in row, (needle, row)
        for licence in family.licence_files:
            assert (FONT_DIR / "licenses" / licence).is_file(), licence
            assert licence in row, (family.id, licence)
        assert (STATIC / family.css).is_file(), family.css


@pytest.mark.parametrize("family", [f for f in FAMILIES if f != DEFAULT_FONT])
def test_each_family_has_web_fonts_of_its_own(family: str) -> None:
    """A family's stylesheet declares its two weights from WOFF2 slices of its own TTFs, with font-display: swap."""
    entry = FONT_FAMILIES[family]
    css = (STATIC / entry.css).read_text(encoding="utf-8")
    faces = re.findall(r"@font-face\s*\{([^}]*)\}", css)
    assert faces
    weights = set()
    for face in faces:
        assert f'font-family: "{entry.css_family}"' in face
        assert "font-display: swap" in face
        weights.add(re.search(r"font-weight: (\d+)", face)[1])  # type: ignore[index]
        url = re.search(r'url\("\.\./\.\./fonts/web/([^"?]+)', face)
        assert url is not None, face
        woff2 = STATIC / "fonts" / "web" / url[1]
        assert woff2.read_bytes()[:4] == b"wOF2"
    assert weights == {"400", "700"}
