"""The yearly entry check's answer form (validation only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import EntryCheckAnswer


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("掲載内容は今も正しいですか"), choices=EntryCheckAnswer.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(
        label=_("回答する人の名前"),
        max_length=100,
        help_text=_("例: 事務局 山田（団体の中の呼び方で構いません）"),
    )
    corrections = forms.CharField(
        label=_("修正の内容"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("「修正がある」のとき、どこをどう直すか書いてください。事務局が直します。"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("answer") == EntryCheckAnswer.CORRECTIONS and not (data.get("corrections") or "").strip():
            self.add_error("corrections", _("修正の内容を書いてください。"))
        return data
