"""The pitch's pictures as the slide model carries them (pure): which picture is the logo, the cover, the
screenshots and the headshots, and where each renderer finds their pixels.

``slides.build_deck`` takes a ``DeckPictures``; the web renderers read each picture's ``url`` (the page that
builds the deck chooses it: the signed-in pages use the pictures API, the share page its token's route) and the
PDF asks a ``PrintFiles`` for a file cut to its placement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

MAX_SCREENSHOTS = 4
"""Screenshots shown on the solution slide (the newest four: the first uploaded first)."""
MAX_PEOPLE = 6


@dataclass(frozen=True, slots=True)
class DeckPicture:
    """One picture as a slide places it. ``width``/``height`` are its pixels as cut (crop box applied);
    ``focal_x``/``focal_y`` (0..1) where a frame of another shape keeps it; ``url`` the web file without a width
    (a renderer adds ``w=``), carrying the picture's version so the URL changes when the picture does."""

    id: int
    role: str
    alt: str
    width: int
    height: int
    focal_x: float = 0.5
    focal_y: float = 0.5
    url: str = ""

    @property
    def aspect(self) -> float:
        return self.width / self.height if self.height else 1.0

    def src(self, width: int) -> str:
        """The web URL of this picture at ``width`` pixels (snapped by the server)."""
        return f"{self.url}{'&' if '?' in self.url else '?'}w={width}"


@dataclass(frozen=True, slots=True)
class DeckPictures:
    """The pictures a deck places, chosen from the pitch's (``deck_pictures_of``): nothing by default."""

    logo: DeckPicture | None = None
    logo_dark: DeckPicture | None = None
    cover: DeckPicture | None = None
    screenshots: tuple[DeckPicture, ...] = ()
    headshots: tuple[DeckPicture, ...] = ()
    library: Mapping[int, DeckPicture] = field(default_factory=dict)
    """Every picture of the pitch by id: what a custom slide may place (``SlideSetting.picture``)."""

    def logo_for(self, dark: bool) -> DeckPicture | None:
        """The logo to draw on a dark or a light background: the dark variant on dark when there is one."""
        return (self.logo_dark or self.logo) if dark else (self.logo or self.logo_dark)


NO_PICTURES = DeckPictures()


def choose(pictures: list[DeckPicture], *, logo: int | None = None, logo_dark: int | None = None) -> DeckPictures:
    """The deck's pictures from all of a pitch's (oldest first). The brand's ``logo``/``logo_dark`` ids win when
    they name one of these pictures; an id that names none (a picture deleted since) reads as not chosen, and the
    newest picture of that role is used instead (a founder who uploaded a logo sees it without picking it)."""
    by_id = {picture.id: picture for picture in pictures}

    def newest(role: str) -> DeckPicture | None:
        return next((p for p in reversed(pictures) if p.role == role), None)

    def picked(chosen: int | None, role: str) -> DeckPicture | None:
        picture = by_id.get(chosen) if chosen is not None else None
        return picture if picture is not None and picture.role in ("logo", "logo_dark") else newest(role)

    return DeckPictures(
        logo=picked(logo, "logo"),
        logo_dark=picked(logo_dark, "logo_dark"),
        cover=newest("cover"),
        screenshots=tuple(p for p in pictures if p.role == "screenshot")[:MAX_SCREENSHOTS],
        headshots=tuple(p for p in pictures if p.role == "headshot"),
        library=by_id,
    )


def match_headshots(names: list[str], headshots: tuple[DeckPicture, ...]) -> list[DeckPicture | None]:
    """A headshot for each team member: the one whose alt text is the member's name (case and spaces aside)
    first, then the rest in upload order to the members still without one."""

    def key(text: str) -> str:
        return " ".join(text.casefold().split())

    left = list(headshots)
    matched: list[DeckPicture | None] = []
    for name in names:
        found = next((p for p in left if key(p.alt) and key(p.alt) == key(name)), None)
        if found is not None:
            left.remove(found)
        matched.append(found)
    for index, found in enumerate(matched):
        if found is None and left:
            matched[index] = left.pop(0)
    return matched


class PrintFiles(Protocol):
    """Where the PDF finds a picture's pixels: a file cut to a placement of ``width_pt``×``height_pt`` points at
    print resolution, filled around its focal point (``contain`` False) or whole inside it (logos); None when
    the picture's file is gone (the renderer leaves the place empty rather than failing the export)."""

    def __call__(self, picture: DeckPicture, width_pt: float, height_pt: float, *, contain: bool) -> Path | None: ...
