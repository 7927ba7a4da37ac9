"""What a live call needs of a demo model and of an audience link, kept in the cache for the live path.

A prediction needs the model's name, kind, status, artefact and labels, and who may present it; an audience
phone's call the same through its link. ``demo_model_live`` and ``audience_link_live`` answer from a frozen
snapshot in the cache (core/snapshots.py) and read the database only when it is not there; every write that
could change a snapshot drops it (demos/signals.py, ``audience_link_revoke``). Pages and every other endpoint
read the rows themselves (selectors.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from pitchlab.core import snapshots
from pitchlab.demos.models import AudienceLink, DemoModel
from pitchlab.pitches.access import Action, User, pitch_roles, require_role

MODELS, LINKS = "demo-model", "audience-link"


@dataclass(frozen=True)
class LiveModel:
    """A demo model as a live call sees it (the fields of DemoModel that ``live.predict`` reads)."""

    pk: int
    pitch_id: int
    name: str
    kind: str
    status: str
    failure: str
    artefact: str
    labels: tuple[str, ...]

    @classmethod
    def of(cls, row: DemoModel) -> LiveModel:
        return cls(
            pk=row.pk,
            pitch_id=row.pitch_id,
            name=row.name,
            kind=row.kind,
            status=row.status,
            failure=row.failure,
            artefact=row.artefact,
            labels=tuple(str(label) for label in row.labels or ()),
        )


@dataclass(frozen=True)
class LiveLink:
    """An open audience link and its model."""

    token: str
    expires_at: datetime | None
    model: LiveModel


def _model(model_id: int) -> LiveModel | None:
    row = DemoModel.objects.filter(pk=model_id).first()
    return None if row is None else LiveModel.of(row)


def demo_model_live(*, model_id: int, user: User, action: Action) -> LiveModel:
    """The model if ``user`` may do ``action`` to its pitch: 404 / 403 exactly as ``selectors.demo_model_get``."""
    found = snapshots.remembered(MODELS, model_id, lambda: _model(model_id))
    roles = None if found is None else pitch_roles(pitch_id=found.pitch_id)
    require_role(None if roles is None else roles.role(user), action=action, missing=_("No such demo model."))
    assert found is not None
    return found


def _link(token: str) -> LiveLink | None:
    row = AudienceLink.objects.filter(token=token, revoked_at__isnull=True).select_related("demo_model").first()
    if row is None:
        return None
    return LiveLink(token=row.token, expires_at=row.expires_at, model=LiveModel.of(row.demo_model))


def audience_link_live(*, token: str) -> LiveLink | None:
    """The open link with ``token``: None for an unknown, revoked or expired one (as ``audience_link_get``)."""
    if not token or len(token) > 64:
        return None
    link = snapshots.remembered(LINKS, token, lambda: _link(token))
    if link is None or (link.expires_at is not None and link.expires_at <= timezone.now()):
        return None
    return link


def live_forget(*, model_ids: tuple[int, ...] | list[int] = (), tokens: tuple[str, ...] | list[str] = ()) -> None:
    """Drop the snapshots of these models and links (a write changed them)."""
    snapshots.forget_on_commit(MODELS, model_ids)
    snapshots.forget_on_commit(LINKS, tokens)
