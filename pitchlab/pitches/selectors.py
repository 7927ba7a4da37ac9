"""Reads of pitches. Who may do what to one is decided in access.py."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from pitchlab.pitches.access import visible_pitches
from pitchlab.pitches.growth import analyse
from pitchlab.pitches.models import Pitch, PitchRevision


def pitch_list(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Pitch]:
    """The pitches ``user`` owns or was invited to; what each may do there is pitches/access.py's to say."""
    return visible_pitches(user=user)


def revision_list(*, pitch: Pitch) -> QuerySet[PitchRevision]:
    return pitch.revisions.all()


def revision_get(*, pitch: Pitch, revision_id: int) -> PitchRevision | None:
    return pitch.revisions.filter(pk=revision_id).first()


def pitch_growth(*, pitch: Pitch, periods_ahead: int) -> dict[str, Any]:
    """Growth figures per traction metric; a metric that cannot be fitted says why instead."""
    by_metric: dict[str, list[tuple[str, float]]] = {}
    for row in pitch.content.get("data", {}).get("traction", []):
        by_metric.setdefault(row["metric"], []).append((row["period"], row["value"]))
    result: dict[str, Any] = {}
    for metric, points in by_metric.items():
        try:
            result[metric] = analyse(points, periods_ahead=periods_ahead).as_json()
        except ValueError as exc:
            result[metric] = {"error": str(exc)}
    return {"metrics": result}
