from typing import Any

from django import template

from pitchlab.core.numbers import plain

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """``mapping[key]`` in a template, or None."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def plain_number(value: Any) -> str:
    """A stored number as an input field's value: 2500000, not 2500000.0 (exact, never grouped); "" for None."""
    return plain(value)
