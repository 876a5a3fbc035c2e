"""Number formatting for the event screens (1,158,120; 0.27)."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def comma(value: object) -> str:
    """Thousands separators; None and "" stay as they are (so default_if_none still works)."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        return f"{value:,f}" if value != value.to_integral() else f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
