"""``{% once_field %}``: the hidden one-time token of a create form (`platform_site.once`).

A form shown again after an error keeps the token it was sent with, so that a re-send of the
corrected form is still recognised."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from platform_site import once

register = template.Library()


@register.simple_tag(takes_context=True)
def once_field(context: dict[str, Any]) -> SafeString:
    request = context.get("request")
    token = (once.posted_token(request) if request is not None else "") or once.new_token()
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, token)
