"""Reads of the settings screen: its recent changes, as sentences."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ..lib import japanese as jp
from ..models import Platform, PlatformChange
from ..selectors import platform_changes
from .services import TARGET_KEY


def _label(key: str) -> str:
    if key.startswith(TARGET_KEY):
        year = int(key.removeprefix(TARGET_KEY))
        return _("%(fy)s（%(year)s）の参加団体数の目標") % {"fy": jp.fiscal_year_label(year), "year": year}
    try:
        field = Platform._meta.get_field(key)
    except FieldDoesNotExist:  # a field since removed: show its machine name
        return key
    return str(getattr(field, "verbose_name", key))


def _value(key: str, value: Any) -> str:
    if value in (None, ""):
        if key == "leaflet_issued_label":
            return _("（自動: 名簿を最後に変更した月）")
        return _("（なし）") if key.startswith(TARGET_KEY) else _("（空欄）")
    return Truncator(str(value).replace("\n", " ")).chars(60)


def change_sentences(change: PlatformChange) -> list[str]:
    """「住民へのメッセージ」を「A」から「B」に変更しました。 — one per recorded field."""
    return [
        _("「%(field)s」を「%(old)s」から「%(new)s」に変更しました。")
        % {"field": _label(key), "old": _value(key, old), "new": _value(key, new)}
        for key, (old, new) in change.changes.items()
    ]


def settings_history(*, platform: Platform, limit: int = 20) -> list[dict[str, Any]]:
    return [
        {"row": c, "sentences": change_sentences(c)} for c in platform_changes(platform=platform, limit=limit)
    ]
