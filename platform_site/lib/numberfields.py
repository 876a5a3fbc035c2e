"""The form field for counts and amounts typed from paper reports and Excel: 「１，２００」,
「1,200円」, 「12人」 are read as 1200 and 12 (`cells.normal_number`, the reading the imports use).

A text box with the numeric keyboard (``inputmode="numeric"``), not ``<input type=number>``,
which would refuse the comma before the server sees it. No models here.
"""

from __future__ import annotations

from typing import Any

from django import forms

from . import cells


class CountInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})


class CountField(forms.IntegerField):
    """A whole number as people write it: full-width digits, thousands separators (, 、) and a
    unit after it (円 人 件 回 部 枚 日 名 組 か所) are accepted; the range checks are Django's."""

    widget = CountInput

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = cells.normal_number(value)
        return super().to_python(value)


def count_fields(*names: str) -> dict[str, type[CountField]]:
    """For a ModelForm's ``Meta.field_classes``: these integer fields read as `CountField`."""
    return dict.fromkeys(names, CountField)
