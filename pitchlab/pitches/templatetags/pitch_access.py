"""What the signed-in user may do to a pitch, for templates: the buttons a page offers come from access.py's one
role table, so a page never shows a control its role cannot use (the server refuses it anyway).

    {% load pitch_access %}{% pitch_permissions pitch as can %}
    {% if can.edit %}…a control that edits…{% endif %}

Views that already put ``can`` (access.permissions) in the context need not load this; both read the same table.
"""

from __future__ import annotations

from typing import Any

from django import template

from pitchlab.pitches.access import Action, permissions
from pitchlab.pitches.models import Pitch

register = template.Library()


@register.simple_tag(takes_context=True)
def pitch_permissions(context: dict[str, Any], pitch: Pitch) -> dict[str, bool]:
    """{action: allowed} for the request's user on ``pitch``; all False without a request or a pitch."""
    request = context.get("request")
    if request is None or not isinstance(pitch, Pitch):
        return {action.value: False for action in Action}
    return permissions(user=request.user, pitch=pitch)
