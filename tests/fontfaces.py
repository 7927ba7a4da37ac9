"""The @font-face rules of static/pitchlab/fonts.css, read back, and which face a browser uses for a character."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

STATIC = Path(settings.BASE_DIR) / "static"
FONTS_CSS = STATIC / "pitchlab" / "fonts.css"
WEB_FONTS = STATIC / "fonts" / "web"

FACE = re.compile(r"@font-face\s*\{(?P<body>[^}]*)\}")
DESCRIPTOR = re.compile(r"(?P<name>[a-z-]+)\s*:\s*(?P<value>[^;]+);")


@dataclass(frozen=True)
class Face:
    family: str
    weight: str
    display: str
    file: str  # the woff2's name in static/fonts/web/
    ranges: tuple[tuple[int, int], ...]

    def holds(self, code: int) -> bool:
        index = bisect.bisect_right(self.ranges, (code, 0x10FFFF)) - 1  # the last range starting at or before code
        return index >= 0 and self.ranges[index][0] <= code <= self.ranges[index][1]


def parse_range(text: str) -> tuple[tuple[int, int], ...]:
    ranges = []
    for part in text.split(","):
        low, _, high = part.strip().removeprefix("U+").partition("-")
        ranges.append((int(low, 16), int(high or low, 16)))
    return tuple(sorted(ranges))


@cache
def faces() -> tuple[Face, ...]:
    found = []
    for match in FACE.finditer(FONTS_CSS.read_text()):
        descriptors = {m["name"]: m["value"].strip() for m in DESCRIPTOR.finditer(match["body"])}
        url = re.search(r'url\("([^"?]+)', descriptors["src"])
        assert url is not None, descriptors
        found.append(
            Face(
                family=descriptors["font-family"].strip('"'),
                weight=descriptors.get("font-weight", ""),
                display=descriptors.get("font-display", ""),
                file=url[1].rsplit("/", 1)[1],
                ranges=parse_range(descriptors.get("unicode-range", "U+0-10FFFF")),
            )
        )
    return tuple(found)


def face_for(code: int, family: str, weight: str = "400") -> Face | None:
    """The face a browser tries first for ``code``: the last one declared whose unicode-range holds it (CSS Fonts 4,
    font matching), among the family's faces of that weight (faces with no weight match any)."""
    for face in reversed(faces()):
        if face.family == family and face.weight in (weight, "") and face.holds(code):
            return face
    return None


def cjk_faces_for(text: str) -> set[str]:
    """The PL CJK files a deck needs for ``text``: characters PL Sans holds never reach PL CJK (it comes first)."""
    needed = set()
    for char in set(text):
        if face_for(ord(char), "PL Sans") is None and face_for(ord(char), "PL Sans", "700") is None:
            face = face_for(ord(char), "PL CJK")
            if face is not None:
                needed.add(face.file)
    return needed
