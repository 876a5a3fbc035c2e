"""Forms of the duty-bound body's screens. Dates are plausible ones (platform_site.lib.datefields)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from orgs.models import Organisation
from platform_site.lib.datefields import PastDateField, PlausibleDateField
from platform_site.lib.personal import contact_detail_kind

from .models import Council, MemberBody

_CASE_NUMBER = re.compile(r"(?:#|＃|ケース\s*)\d+")


def looks_personal(text: str) -> bool:
    """Minutes must not hold contact details nor a case number (#12, ケース12)."""
    return contact_detail_kind(text) is not None or bool(_CASE_NUMBER.search(text or ""))


class CouncilForm(forms.ModelForm):
    class Meta:
        model = Council
        fields = [
            "name",
            "kind",
            "law",
            "parent_body",
            "established_on",
            "announced_on",
            "secretariat",
            "duty_version",
            "duty_text",
            "groups_end_on_decision",
        ]
        field_classes = {"established_on": PlausibleDateField, "announced_on": PlausibleDateField}
        widgets = {"duty_text": forms.Textarea(attrs={"rows": 5})}


class _OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class BodyForm(forms.Form):
    organisation = _OrganisationChoice(
        label=_("団体（名簿から。PFの会員でなくても選べます）"), queryset=None, required=False
    )
    department = forms.CharField(
        label=_("または市の部署"), max_length=200, required=False, help_text=_("例: 健康福祉政策課")
    )
    is_coordinating = forms.BooleanField(label=_("調整機関"), required=False)
    joined_on = PastDateField(label=_("参加日"))

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("organisation")) == bool((data.get("department") or "").strip()):
            raise forms.ValidationError(_("団体か市の部署のどちらか一方を選んでください。"))
        return data


class EndForm(forms.Form):
    """The date a member body left, or a participant stopped working in the body."""

    on = PastDateField(label=_("日付"))


class MeetingForm(forms.Form):
    held_on = PlausibleDateField(label=_("開催日"))
    title = forms.CharField(label=_("会議名"), max_length=200, help_text=_("例: 令和7年度 第1回 地域協議会"))
    agenda = forms.CharField(label=_("議題"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(
        label=_("議事の概要"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("個人を特定できる情報（氏名・連絡先・ケース番号など）は書かないでください。"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("agenda", "minutes", "title"):
            if looks_personal(data.get(name, "")):
                self.add_error(
                    name,
                    _(
                        "電話番号・メールアドレス・ケース番号のようなものがあります。個人情報は書かないでください。"
                    ),
                )
        return data


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class _BodyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: MemberBody) -> str:
        return obj.name


class SeatForm(forms.Form):
    user = _UserChoice(label=_("利用者"), queryset=None)
    body = _BodyChoice(
        label=_("所属する構成機関"),
        queryset=None,
        required=False,
        help_text=_("個人の専門家（「専門家」の役割の利用者）は空欄にします。"),
    )
    expertise = forms.CharField(
        label=_("専門分野（専門家の場合）"),
        max_length=100,
        required=False,
        help_text=_("例: 弁護士、社会福祉士"),
    )
    acknowledged_on = PastDateField(label=_("守秘義務を確認した日"))
    confirmed = forms.BooleanField(
        label=_("本人が現在の版の説明文を読み、守秘義務（参加をやめた後も続きます）を確認しました"),
        error_messages={"required": _("本人が守秘義務を確認したことを確かめてください。")},
    )

    def __init__(
        self, *args: Any, users: QuerySet[User], bodies: QuerySet[MemberBody], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]
