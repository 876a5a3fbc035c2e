"""The team screen's forms: validation only (the services write)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ..extensions import coordinator_organisations
from ..models import Platform, PlatformRole, Role
from ..permissions import capability_label, grantable

User = get_user_model()


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_l("役割"), choices=[("", _l("選択してください")), *Role.choices]
    )  # no default: least privilege
    organisation = forms.ModelChoiceField(
        label=_l("所属団体（コーディネーターのみ）"), queryset=PlatformRole.objects.none(), required=False
    )
    grants = forms.MultipleChoiceField(
        label=_l("追加の権限"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, platform: Platform, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.platform = platform
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = coordinator_organisations(
            platform
        )
        cast(forms.MultipleChoiceField, self.fields["grants"]).choices = [
            (c, capability_label(c)) for c in sorted(grantable())
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") != Role.COORDINATOR:
            return {**data, "organisation": None}  # only a coordinator acts for an organisation
        if not data.get("organisation"):
            self.add_error("organisation", _("コーディネーターには所属団体を選んでください。"))
        return data


class NewUserForm(RoleForm):
    username = forms.RegexField(
        label=_l("ユーザー名"),
        regex=r"^[A-Za-z0-9@.+_-]{3,150}$",
        error_messages={"invalid": _l("半角英数字と @ . + - _ で3文字以上入力してください。")},
    )
    full_name = forms.CharField(label=_l("氏名"), max_length=150)
    email = forms.EmailField(label=_l("メールアドレス"), required=False)
    password = forms.CharField(
        label=_l("初期パスワード"),
        widget=forms.PasswordInput,
        help_text=_l("10文字以上。本人に別の経路で伝え、初回ログイン後に変更してもらいます。"),
    )

    field_order = ["username", "full_name", "email", "password", "role", "organisation", "grants"]

    def clean_username(self) -> str:
        name = self.cleaned_data["username"]
        if User.objects.filter(username=name).exists():
            raise ValidationError(
                _(
                    "このユーザー名はすでに使われています。その人に役割を与えるときは「既存の利用者に役割を与える」を使ってください。"
                )
            )
        return name

    def clean_password(self) -> str:
        validate_password(self.cleaned_data["password"])
        return self.cleaned_data["password"]


class ExistingUserForm(RoleForm):
    """A role here for someone who already has an account (e.g. in the prefecture's platform)."""

    username = forms.CharField(label=_l("ユーザー名"), max_length=150)
    field_order = ["username", "role", "organisation", "grants"]

    def clean_username(self) -> Any:
        user = User.objects.filter(username=self.cleaned_data["username"], is_active=True).first()
        if user is None:
            raise ValidationError(
                _("このユーザー名の利用者はいません。新しい人は「利用者を追加」から登録してください。")
            )
        if PlatformRole.objects.filter(platform=self.platform, user=user).exists():
            raise ValidationError(
                _(
                    "この利用者はすでにこのプラットフォームで役割を持っています。一覧の「変更」から変えてください。"
                )
            )
        return user
