"""Validation only: the members' side's forms never save (orgs.members.services does)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from platform_site.lib.datefields import PlausibleDateField
from platform_site.models import Platform

from ..forms import without_control_characters
from ..models import (
    ActivityField,
    ApplicationStatus,
    ApplicationWish,
    ListingApplication,
    Notice,
    NoticeKind,
    ServedGroup,
    WorkingProfile,
    WorryCategory,
)

YES = "1"


class WorkingProfileForm(forms.ModelForm):
    served_groups = forms.MultipleChoiceField(
        label=_("支援の対象"),
        choices=ServedGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("選べない対象が含まれています。")},
    )
    public_fields = forms.MultipleChoiceField(
        label=_("公開ディレクトリにも載せる項目"),
        choices=WorkingProfile.PUBLIC_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "選んだ項目だけを住民向けの公開ディレクトリにも載せます。ほかの項目は参加団体だけが見られます。"
        ),
    )

    class Meta:
        model = WorkingProfile
        fields = [
            "served_groups",
            "served_conditions",
            "served_area",
            "support_length",
            "staffing",
            "availability_hours",
            "accepts_referrals",
            "accepts_joint_cases",
            "capacity",
            "available_places",
            "strengths",
            "public_fields",
        ]
        widgets = {"strengths": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "capacity": {
                "invalid": _("人数は0以上の整数で入力してください。"),
                "min_value": _("人数は0以上の整数で入力してください。"),
                "max_value": _("人数は999までで入力してください。"),
            },
            "available_places": {
                "invalid": _("人数は0以上の整数で入力してください。"),
                "min_value": _("人数は0以上の整数で入力してください。"),
                "max_value": _("人数は999までで入力してください。"),
            },
        }

    def __init__(self, *args: Any, month_label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if month_label:
            self.fields["available_places"].help_text = _(
                "%(month)sに新しく受けられる人数・世帯数。0なら今月は受けられません。空欄なら「未記入」です。"
            ) % {"month": month_label}

    def clean(self) -> dict[str, Any]:
        return without_control_characters(super().clean() or {})

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class MembersDirectoryForm(forms.Form):
    """The members' directory: who takes which kind of person, where, this month."""

    group = forms.ChoiceField(
        label=_("支援の対象"), required=False, choices=[("", _("すべて")), *ServedGroup.choices]
    )
    area = forms.CharField(label=_("地域"), required=False, max_length=60, help_text=_("例: 中央区"))
    q = forms.CharField(
        label=_("ことばで探す"), required=False, max_length=100, help_text=_("例: ひきこもり、同行、食料")
    )
    this_month = forms.BooleanField(label=_("今月受け入れられる団体だけ"), required=False)
    referrals = forms.BooleanField(label=_("紹介（つなぎ）を受けられる"), required=False)
    joint = forms.BooleanField(label=_("協同支援ができる"), required=False)


class ApplicationForm(forms.ModelForm):
    """The public form (no account). ``fax`` is a honeypot: hidden from people, filled by bots."""

    fax = forms.CharField(label=_("この欄は空のままにしてください"), required=False, max_length=100)

    class Meta:
        model = ListingApplication
        fields = [
            "wish",
            "name",
            "name_kana",
            "legal_form",
            "activity",
            "website",
            "address",
            "public_phone",
            "contact_name",
            "contact_email",
            "contact_phone",
            "consent_listing",
        ]
        widgets = {"wish": forms.RadioSelect, "activity": forms.Textarea(attrs={"rows": 5})}
        labels = {
            "consent_listing": _(
                "承認されたら、団体名・活動内容・相談の電話番号などを公開の相談先一覧に載せることに同意します"
            )
        }
        help_texts = {
            "name_kana": _("カタカナで入力してください（例: デンデンムシノカイ）"),
            "activity": _("どんな人の、どんな悩みの相談にのっているか、住民にわかることばで書いてください。"),
            "public_phone": _("住民が相談できる電話番号（公開されます）"),
            "contact_name": _("事務局からの連絡先です。公開されません。"),
            "contact_email": _("審査の結果をこのアドレスにお知らせします。公開されません。"),
        }
        error_messages = {
            "wish": {"required": _("申込みの内容を選んでください。")},
            "name": {"required": _("団体名を入力してください。")},
            "name_kana": {"required": _("団体名カナを入力してください。")},
            "activity": {"required": _("支援・活動内容を入力してください。")},
            "contact_name": {"required": _("担当者の氏名を入力してください。")},
            "contact_email": {
                "required": _("担当者のメールアドレスを入力してください。"),
                "invalid": _("メールアドレスの形が正しくありません（例: info@example.jp）。"),
            },
            "website": {"invalid": _("ホームページは https:// で始まるアドレスで入力してください。")},
        }

    def clean(self) -> dict[str, Any]:
        data = without_control_characters(super().clean() or {})
        if data.get("wish") == ApplicationWish.LIST_ONLY and not data.get("consent_listing"):
            self.add_error("consent_listing", _("公開の相談先一覧に載るには、掲載への同意が必要です。"))
        return data

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get("fax") or "").strip())

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "fax"}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("決定"),
        choices=[
            (ApplicationStatus.APPROVED, _("承認する（団体を名簿に登録します）")),
            (ApplicationStatus.MORE_INFO, _("追加の情報を依頼する")),
            (ApplicationStatus.DECLINED, _("見送る")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("承認・追加の依頼・見送りのどれかを選んでください。")},
    )
    decided_on = PlausibleDateField(
        label=_("決定日"),
        past_only=True,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("決定日を入力してください。")},
    )
    note = forms.CharField(
        label=_("申込者への連絡"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("メールで申込者に届きます。追加の情報を依頼するときは、何が必要か書いてください。"),
    )

    def __init__(self, *args: Any, platform: Platform, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if platform.applications_decided_by == "representatives":
            self.fields["decided_on"].label = _("代表者会議の日付")
            self.fields["decided_on"].error_messages["required"] = _("代表者会議の日付を入力してください。")

    def clean(self) -> dict[str, Any]:
        data = without_control_characters(super().clean() or {})
        if data.get("decision") == ApplicationStatus.MORE_INFO and not (data.get("note") or "").strip():
            self.add_error("note", _("何を追加で知りたいか、申込者への連絡に書いてください。"))
        return data


class NoticeForm(forms.ModelForm):
    deadline = PlausibleDateField(
        label=_("締切日"),
        required=False,
        years_back=1,
        years_ahead=3,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("助成金では必須です。"),
    )

    class Meta:
        model = Notice
        fields = [
            "kind",
            "title",
            "body",
            "link",
            "deadline",
            "to_all",
            "worry_categories",
            "activity_fields",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 6}),
            "worry_categories": forms.CheckboxSelectMultiple,
            "activity_fields": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "body": _("個人情報は書かないでください（参加団体みんなに届きます）。"),
            "to_all": _("外すと、下で選んだカテゴリ・活動分野の団体にだけ届きます。"),
        }
        error_messages = {
            "kind": {"required": _("種類を選んでください。")},
            "title": {"required": _("件名を入力してください。")},
            "body": {"required": _("本文を入力してください。")},
            "link": {"invalid": _("リンクは https:// で始まるアドレスで入力してください。")},
        }

    def __init__(self, *args: Any, platform: Platform, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        worry = cast(forms.ModelMultipleChoiceField, self.fields["worry_categories"])
        field = cast(forms.ModelMultipleChoiceField, self.fields["activity_fields"])
        worry.queryset = WorryCategory.objects.filter(platform=platform)  # this platform's only
        field.queryset = ActivityField.objects.filter(platform=platform)

    def clean(self) -> dict[str, Any]:
        data = without_control_characters(super().clean() or {})
        if (
            data.get("kind") == NoticeKind.GRANT
            and not data.get("deadline")
            and "deadline" not in self.errors
        ):
            self.add_error("deadline", _("助成金のお知らせには締切日を入れてください。"))
        if not data.get("to_all") and not data.get("worry_categories") and not data.get("activity_fields"):
            self.add_error(
                "to_all", _("届け先を選んでください（すべての参加団体か、カテゴリ・活動分野を1つ以上）。")
            )
        return data


class NoticeEmailForm(forms.Form):
    receive = forms.BooleanField(label=_("お知らせをメールでも受け取る"), required=False)
