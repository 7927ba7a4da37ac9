"""Writes of share links: create, change, revoke, delete; and the viewers' visits and dwell time."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from pitchlab.core.exceptions import ApplicationError
from pitchlab.decks.models import DeckExport
from pitchlab.pitches.models import Pitch
from pitchlab.sharing.models import LABEL_MAX_LENGTH, ShareLink, ShareVisit, SlideDwell

PASSWORD_MIN_LENGTH = 6
PASSWORD_MAX_LENGTH = 128
MAX_EXPIRY_DAYS = 365
# A viewer back within this time continues their visit (a reload, a second tab); later, it is a new view.
VISIT_IDLE = timedelta(minutes=30)


class ShareLinkInvalid(ApplicationError):
    """A share link's field is wrong; ``extra["field"]`` names it so a form can show the reason at the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, {"field": field})
        self.field = field


def share_token() -> str:
    """An unguessable token: 24 random bytes (192 bits), URL-safe (32 characters)."""
    return secrets.token_urlsafe(24)


def _clean_label(label: str) -> str:
    label = " ".join(label.split())
    if len(label) > LABEL_MAX_LENGTH:
        raise ShareLinkInvalid("label", _("A label has at most %(limit)d characters.") % {"limit": LABEL_MAX_LENGTH})
    return label


def _check_expiry(expires_at: datetime | None) -> datetime | None:
    if expires_at is None:
        return None
    now = timezone.now()
    if expires_at <= now:
        raise ShareLinkInvalid("expires_at", _("The expiry is in the past: choose a later date."))
    if expires_at > now + timedelta(days=MAX_EXPIRY_DAYS + 1):
        raise ShareLinkInvalid(
            "expires_at", _("A link expires within %(days)d days at most.") % {"days": MAX_EXPIRY_DAYS}
        )
    return expires_at


def _hash_password(password: str) -> str:
    if not password:
        return ""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise ShareLinkInvalid(
            "password",
            _("A link password has at least %(min)d characters.") % {"min": PASSWORD_MIN_LENGTH},
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise ShareLinkInvalid(
            "password",
            _("A link password has at most %(max)d characters.") % {"max": PASSWORD_MAX_LENGTH},
        )
    return make_password(password)


def expiry_in_days(days: int | None) -> datetime | None:
    """The moment ``days`` days from now (None for none); a number of days outside 1..365 is refused."""
    if days is None:
        return None
    if not 1 <= days <= MAX_EXPIRY_DAYS:
        raise ShareLinkInvalid("expires_in_days", _("Choose between 1 and %(days)d days.") % {"days": MAX_EXPIRY_DAYS})
    return timezone.now() + timedelta(days=days)


def _pdf_choice(*, pitch: Pitch, mode: str | None, export_id: int | None) -> tuple[str, DeckExport | None]:
    """The link's file as (mode, export): none, the newest finished PDF export, the newest finished PowerPoint
    export, or one finished export of this pitch (either format).

    Naming an export without a mode means "this one". An export of another pitch, or one that is not finished,
    cannot be chosen (a 400 at the field).
    """
    if mode is None:
        mode = ShareLink.Pdf.PINNED if export_id is not None else ShareLink.Pdf.NONE
    if mode not in ShareLink.Pdf.values:
        raise ShareLinkInvalid("pdf", _("Choose none, newest, newest_pptx or pinned."))
    if mode != ShareLink.Pdf.PINNED:
        return mode, None
    if export_id is None:
        raise ShareLinkInvalid("pdf_export", _("Choose the export this link carries."))
    export = (
        DeckExport.objects.filter(pk=export_id, pitch_id=pitch.pk, status=DeckExport.Status.READY)
        .exclude(file="")
        .first()
    )
    if export is None:
        raise ShareLinkInvalid("pdf_export", _("This pitch has no finished export with that number."))
    return mode, export


@transaction.atomic
def share_link_create(
    *,
    pitch: Pitch,
    user: User | None,
    label: str = "",
    pdf: str | None = None,
    pdf_export: int | None = None,
    include_pdf: bool = False,
    expires_at: datetime | None = None,
    password: str = "",
    pptx_notes: bool = False,
) -> ShareLink:
    """A new open link to ``pitch``'s live web deck and, by ``pdf``, no file, the newest PDF export, the newest
    PowerPoint export (newest_pptx) or the export ``pdf_export``. ``include_pdf`` is the older way to say "newest".
    ``pptx_notes``: a PowerPoint file the link gives keeps the speaker notes (else they are left out).

    The pre-flight (decks/preflight.py) is the caller's gate: the API and the page call it first.
    """
    mode, export = _pdf_choice(
        pitch=pitch,
        mode=pdf or (ShareLink.Pdf.NEWEST if include_pdf and pdf_export is None else None),
        export_id=pdf_export,
    )
    return ShareLink.objects.create(
        pitch=pitch,
        token=share_token(),
        label=_clean_label(label),
        pdf_mode=mode,
        pdf_export=export,
        expires_at=_check_expiry(expires_at),
        password=_hash_password(password),
        pptx_notes=pptx_notes,
        created_by=user,
    )


@transaction.atomic
def share_link_update(*, link: ShareLink, data: Mapping[str, Any]) -> ShareLink:
    """Change ``link``: any of label, its file (pdf, pdf_export; include_pdf), pptx_notes, expires_at (None:
    never), password ("" removes it), revoked.

    A revoked link stays revoked: it is kept for its analytics, and a new link is one click away.
    """
    if link.revoked_at is not None:
        raise ShareLinkInvalid("revoked", _("This link was revoked and cannot be changed; create a new one."))
    if "revoked" in data and not data["revoked"]:
        data = {key: value for key, value in data.items() if key != "revoked"}
    fields: list[str] = []
    if "label" in data:
        link.label = _clean_label(str(data["label"]))
        fields.append("label")
    if "pdf" in data or "pdf_export" in data or "include_pdf" in data:
        mode = data.get("pdf")
        if mode is None and "include_pdf" in data and data.get("pdf_export") is None:
            mode = ShareLink.Pdf.NEWEST if data["include_pdf"] else ShareLink.Pdf.NONE
        link.pdf_mode, link.pdf_export = _pdf_choice(pitch=link.pitch, mode=mode, export_id=data.get("pdf_export"))
        fields += ["pdf_mode", "pdf_export"]
    if "pptx_notes" in data:
        link.pptx_notes = bool(data["pptx_notes"])
        fields.append("pptx_notes")
    if "expires_at" in data:
        link.expires_at = _check_expiry(data["expires_at"])
        fields.append("expires_at")
    if "password" in data and data["password"] is not None:
        link.password = _hash_password(str(data["password"]))
        fields.append("password")
    if data.get("revoked"):
        link.revoked_at = timezone.now()
        fields.append("revoked_at")
    if fields:
        link.save(update_fields=[*fields, "updated_at"])
    return link


def share_link_revoke(*, link: ShareLink) -> ShareLink:
    """Stop ``link`` working at once; revoking twice changes nothing."""
    if link.revoked_at is None:
        ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        link.refresh_from_db(fields=["revoked_at"])
    return link


def share_link_delete(*, link: ShareLink) -> None:
    """Remove ``link`` with its visits and dwell times."""
    link.delete()


# ---------- the viewer's side ----------


def password_matches(*, link: ShareLink, password: str) -> bool:
    return bool(link.password) and check_password(password, link.password)


def unlock_mark(link: ShareLink) -> str:
    """What the viewer's session keeps once they typed the password. It is derived from the password's hash,
    so a new password (or none) invalidates every earlier unlock."""
    return salted_hmac("pitchlab.sharing.unlock", f"{link.pk}:{link.password}").hexdigest()[:32]


def unlock_valid(link: ShareLink, mark: object) -> bool:
    return not link.password or (isinstance(mark, str) and constant_time_compare(mark, unlock_mark(link)))


def viewer_hash(viewer_id: str) -> str:
    """The viewer's cookie id as stored: keyed, so the table never holds a value that works as a cookie."""
    return salted_hmac("pitchlab.sharing.viewer", viewer_id).hexdigest()


def _current_visit(link: ShareLink, viewer: str) -> ShareVisit | None:
    return ShareVisit.objects.filter(link=link, viewer=viewer).order_by("-last_seen_at", "-id").first()


@transaction.atomic
def share_visit_start(*, link: ShareLink, viewer_id: str) -> ShareVisit:
    """The viewer opened the deck: their visit goes on if they were here within VISIT_IDLE, else a new one."""
    viewer = viewer_hash(viewer_id)
    now = timezone.now()
    visit = _current_visit(link, viewer)
    if visit is not None and visit.last_seen_at >= now - VISIT_IDLE:
        ShareVisit.objects.filter(pk=visit.pk).update(last_seen_at=now)
        return visit
    return ShareVisit.objects.create(link=link, viewer=viewer, started_at=now, last_seen_at=now)


@transaction.atomic
def share_dwell_record(*, link: ShareLink, viewer_id: str, report: Mapping[str, int]) -> ShareVisit:
    """Add a checked dwell report (beacon.dwell_parse) to the viewer's current visit.

    Beacons of one viewer can arrive at the same time (a slide change and the 15 s tick): each row is created
    once (the unique constraint; get_or_create retries on the race) and grown with an F() update, so no
    millisecond is lost or counted twice.
    """
    visit = _current_visit(link, viewer_hash(viewer_id))
    if visit is None:
        raise ApplicationError(_("No visit to add the time to: open the deck first."))
    for key, ms in sorted(report.items()):
        row, _created = SlideDwell.objects.get_or_create(visit=visit, slide_key=key)
        SlideDwell.objects.filter(pk=row.pk).update(ms=F("ms") + ms)
    ShareVisit.objects.filter(pk=visit.pk).update(last_seen_at=timezone.now())
    return visit


def share_link_reexport(*, link: ShareLink, user: User, lang: str) -> DeckExport:
    """Export the canvas as it is now, in the format, theme and language of the file the link shares (a PDF, or
    the format its "newest" mode follows, in ``lang``, when it shares none yet). A "newest" link carries it as soon
    as it is ready; a pinned one may be switched to it. The pre-flight is the caller's gate, as for any export."""
    from pitchlab.decks.services import export_create
    from pitchlab.decks.slides import deck_settings
    from pitchlab.sharing.selectors import share_file_format, shared_pdf_state

    shared = shared_pdf_state(link=link, pitch=link.pitch).export
    theme = shared.theme if shared is not None else deck_settings(link.pitch.content)["theme"]
    return export_create(
        pitch=link.pitch,
        theme=theme,
        lang=shared.lang if shared is not None else lang,
        format=share_file_format(link=link, export=shared),
        user=user,
    )
