"""The second-factor forms: validation only (the services verify and write)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _l


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_l("確認コード"),
        max_length=20,
        help_text=_l("認証アプリに表示される6桁の数字。スマートフォンがないときは回復コードを入力します。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        error_messages={"required": _l("確認コードを入力してください。")},
    )


class EnrolForm(forms.Form):
    token = forms.RegexField(
        label=_l("確認コード（6桁）"),
        regex=r"^\s*\d{6}\s*$",
        help_text=_l("認証アプリに登録したあと、アプリに表示される6桁の数字を入力します。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={
            "required": _l("確認コードを入力してください。"),
            "invalid": _l("6桁の数字を入力してください。"),
        },
    )
