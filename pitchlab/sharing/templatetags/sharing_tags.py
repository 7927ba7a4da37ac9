from typing import Any

from django import template

from pitchlab.pitches.access import Action, can
from pitchlab.pitches.models import Pitch

register = template.Library()


@register.filter
def may_share(pitch: Pitch, user: Any) -> bool:
    """``{% if pitch|may_share:request.user %}``: whether the share page is for this user (only owners share)."""
    return isinstance(pitch, Pitch) and can(user=user, pitch=pitch, action=Action.SHARE)
