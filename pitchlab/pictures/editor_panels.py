"""The pictures' part of the canvas editor (pitches/panels.py), registered in PicturesConfig.ready(): the Pictures
panel in the Deck section, one group per role (logo, logo for dark backgrounds, cover, screenshots, headshots) with its
drop zone, thumbnails, alt text and focal point. static/pitchlab/pictures.js makes it work."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pitchlab.pictures import renditions
from pitchlab.pictures.images import WIDTHS
from pitchlab.pictures.models import ALT_MAX_LENGTH, Picture
from pitchlab.pictures.selectors import picture_list
from pitchlab.pitches.panels import EditorPage

THUMB_WIDTH = 320  # the thumbnail's default rendition; srcset offers the neighbours for other screen densities
THUMB_WIDTHS = tuple(width for width in WIDTHS if width <= 640)


@dataclass(frozen=True)
class RoleGroup:
    """How the panel offers one role: its label, whether a pitch holds several, and what it is used for."""

    role: Picture.Role
    label: str | Promise
    several: bool
    hint: str | Promise


# The panel's groups in the order a founder meets them on the slides; one entry per Picture.Role.
ROLE_GROUPS: tuple[RoleGroup, ...] = (
    RoleGroup(Picture.Role.LOGO, _("Logo"), False, _("On the title slide and in the footer.")),
    RoleGroup(
        Picture.Role.LOGO_DARK, _("Logo for dark backgrounds"), False, _("Used instead of the logo on dark themes.")
    ),
    RoleGroup(Picture.Role.COVER, _("Cover image"), False, _("Behind the title slide (optional).")),
    RoleGroup(Picture.Role.SCREENSHOT, _("Product screenshots"), True, _("Shown on the solution and product slides.")),
    RoleGroup(
        Picture.Role.HEADSHOT,
        _("Team headshots"),
        True,
        _(
            "A headshot whose alt text is a team member's name goes to that member; the rest go to the other "
            "members in upload order."
        ),
    ),
)


@dataclass(frozen=True)
class Thumb:
    """A picture as the panel draws it: its rendition URLs and where its focal point sits in the thumbnail."""

    picture: Picture
    src: str
    srcset: str
    focal_left: float  # 0..100, in the thumbnail (the crop box's frame), as the marker's CSS left
    focal_top: float


def _thumb(picture: Picture, pitch_id: int) -> Thumb:
    url = f"{reverse('api-picture-file', args=[pitch_id, picture.pk])}?v={renditions.version(picture)}"
    box = picture.geometry.crop
    # The focal point is stored in the master's frame; the thumbnail shows the crop box.
    left = (picture.focal_x - box.left) / (box.right - box.left)
    top = (picture.focal_y - box.top) / (box.bottom - box.top)
    return Thumb(
        picture=picture,
        src=f"{url}&w={THUMB_WIDTH}",
        srcset=", ".join(f"{url}&w={width} {width}w" for width in THUMB_WIDTHS),
        focal_left=round(min(max(left, 0.0), 1.0) * 100, 1),
        focal_top=round(min(max(top, 0.0), 1.0) * 100, 1),
    )


def pictures_panel_context(page: EditorPage) -> Mapping[str, Any]:
    """The pitch's pictures grouped by role, in ROLE_GROUPS' order, with the API's URLs for the script."""
    pitch_id = page.pitch.pk
    pictures = list(picture_list(pitch=page.pitch))
    groups = [
        {
            "role": group.role.value,
            "label": group.label,
            "several": group.several,
            "hint": group.hint,
            "thumbs": [_thumb(picture, pitch_id) for picture in pictures if picture.role == group.role],
        }
        for group in ROLE_GROUPS
    ]
    return {
        # the one-picture roles side by side, then the roles that hold several, each across the panel
        "picture_rows": [[g for g in groups if not g["several"]], [g for g in groups if g["several"]]],
        "pictures_url": reverse("api-pictures", args=[pitch_id]),
        "picture_widths": " ".join(str(width) for width in THUMB_WIDTHS),
        "picture_alt_max": ALT_MAX_LENGTH,
    }
