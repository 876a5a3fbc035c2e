"""Validation only: views hand cleaned_data to cases.services (forms never save)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.models import Organisation
from platform_site.lib import cells
from platform_site.lib.datefields import PastDateField, PlausibleDateField, PlausibleDateTimeField

from .models import (
    Case,
    CloseReason,
    Consent,
    ConsentItem,
    ConsentMethod,
    DeclineReason,
    FoodNeed,
    Handoff,
    IntakeRequest,
    Referral,
    Urgency,
)
from .services import INTAKE_FIELDS, PLAN_FIELDS, withdrawal_date_errors


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class VersionMixin(forms.Form):
    """The case version the form was opened at (optimistic locking)."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": _("画面の情報が足りません。画面を開き直してから入力してください。"),
            "invalid": _("画面の情報が足りません。画面を開き直してから入力してください。"),
            "min_value": _("画面の情報が足りません。画面を開き直してから入力してください。"),
        },
    )


class IntakeForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = list(INTAKE_FIELDS)
        field_classes = {"intake_date": PastDateField}
        widgets = {"intake_date": DateInput(), "situation": forms.Textarea(attrs={"rows": 5})}

    def clean_contact(self) -> str:
        """「自宅 ０９６ー１２３ー４５６７ 内線１２」 → 「自宅 096-123-4567 内線12」: half-width digits and
        dashes (`cells.normal_contact`), the rest as typed."""
        return cells.normal_contact(self.cleaned_data["contact"])

    def clean_age(self) -> str:
        """「７８」 → 「78」, 「８０代」 → 「80代」."""
        return cells.halfwidth_ascii(self.cleaned_data["age"]).strip()


class IntakeEditForm(VersionMixin, IntakeForm):
    pass


class PlanForm(VersionMixin, forms.ModelForm):
    class Meta:
        model = Case
        fields = list(PLAN_FIELDS)
        field_classes = {"plan_review_on": PlausibleDateField}
        widgets = {"plan_review_on": DateInput()}

    def clean_frequency_per_month(self) -> int:
        value = self.cleaned_data["frequency_per_month"]
        if not 1 <= value <= 31:
            raise forms.ValidationError(_("月あたりの回数は1〜31で入力してください。"))
        return value


class ConsentForm(forms.Form):
    method = forms.ChoiceField(label=_("同意の方法"), choices=ConsentMethod.choices, widget=forms.RadioSelect)
    given_by = forms.CharField(
        label=_("同意した人"), max_length=100, help_text=_("本人、または代理人の続柄・氏名")
    )
    given_on = PastDateField(
        label=_("同意日"), widget=DateInput(), future_message=_("同意日に未来の日付は入力できません。")
    )
    ack_share = forms.BooleanField(label=_("1. 団体へ個人情報等を共有すること"), required=True)
    ack_no_choice = forms.BooleanField(
        label=_("2. 食糧の品目や種類の嗜好選択はできないこと（アレルギー等は除く）"), required=True
    )
    ack_take_support = forms.BooleanField(
        label=_("3. 自治体や団体が提供する生活困窮の軽減・解決へ向けた支援を受けること"), required=True
    )
    ack_end_rule = forms.BooleanField(
        label=_("4. 条件を満たさないと自治体が判断した場合は支援終了となること"), required=True
    )
    organisations: forms.ModelMultipleChoiceField[Organisation] = forms.ModelMultipleChoiceField(
        label=_("共有先の団体"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    items = forms.MultipleChoiceField(
        label=_("共有する項目"),
        choices=ConsentItem.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("団体のコーディネーターには、ここで選んだ項目だけが表示されます。"),
    )
    expires_on = PlausibleDateField(label=_("有効期限"), required=False, widget=DateInput(), years_ahead=10)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["organisations"]).queryset = organisations
        for key in ("ack_share", "ack_no_choice", "ack_take_support", "ack_end_rule"):
            self.fields[key].error_messages["required"] = _("本人への説明と同意を確認してください。")

    def clean_given_on(self) -> Any:
        value = self.cleaned_data["given_on"]
        if value > timezone.localdate():  # a consent dated ahead would count as given already
            raise forms.ValidationError(_("同意日に未来の日付は入力できません。"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("expires_on") and data.get("given_on") and data["expires_on"] < data["given_on"]:
            self.add_error("expires_on", _("有効期限は同意日より後にしてください。"))
        return data


def _withdrawal_errors(form: forms.Form, consent: Consent, day: Any) -> None:
    for message in withdrawal_date_errors(consent=consent, revoked_on=day):
        form.add_error("revoked_on", message)


class RevokeForm(forms.Form):
    revoked_on = PastDateField(
        label=_("撤回日"),
        widget=DateInput(),
        initial=timezone.localdate,
        future_message=_("撤回日に未来の日付は指定できません。"),
    )
    note = forms.CharField(label=_("補足"), max_length=300, required=False)

    def __init__(self, *args: Any, consent: Consent, **kwargs: Any) -> None:
        # each consent's form on the case page has its own ids: revoke-3-revoked_on
        kwargs.setdefault("auto_id", f"revoke-{consent.pk}-%s")
        super().__init__(*args, **kwargs)
        self.consent = consent
        self.fields["revoked_on"].widget.attrs["min"] = consent.given_on.isoformat()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("revoked_on"):
            _withdrawal_errors(self, self.consent, data["revoked_on"])
        return data


class RevocationCorrectForm(forms.Form):
    """The secretariat corrects a mistaken withdrawal: another day, or none (with a reason)."""

    not_withdrawn = forms.BooleanField(label=_("撤回はなかった（撤回の記録を取り消す）"), required=False)
    revoked_on = PastDateField(
        label=_("正しい撤回日"),
        widget=DateInput(),
        required=False,
        future_message=_("撤回日に未来の日付は指定できません。"),
    )
    reason = forms.CharField(label=_("訂正の理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, consent: Consent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consent = consent
        self.fields["reason"].error_messages["required"] = _("訂正の理由を書いてください。")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("not_withdrawn"):
            data["revoked_on"] = None
        elif not data.get("revoked_on"):
            if "revoked_on" not in self.errors:
                self.add_error(
                    "revoked_on", _("正しい撤回日を入力するか、「撤回はなかった」を選んでください。")
                )
        else:
            _withdrawal_errors(self, self.consent, data["revoked_on"])
        return data


# What one referral can plausibly ask for (a household's food for up to a month).
PLAUSIBLE_COUNTS = (
    ("adults", 0, 20, _("大人は%(min)d〜%(max)d人で入力してください。")),
    ("children", 0, 20, _("子どもは%(min)d〜%(max)d人で入力してください。")),
    ("days", 1, 31, _("日数は%(min)d〜%(max)d日分で入力してください。")),
)


class ReferralForm(forms.ModelForm):
    food_needs = forms.MultipleChoiceField(
        label=_("食糧の希望"),
        choices=FoodNeed.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("団体が対応できない場合もあります。"),
    )
    override_reason = forms.CharField(
        label=_("同意なしで依頼する理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "この団体を対象にした有効な同意がない場合だけ必要です。理由は記録され、ケースに表示されます。"
        ),
    )

    class Meta:
        model = Referral
        fields = [
            "organisation",
            "support_type",
            "adults",
            "children",
            "days",
            "food_needs",
            "allergy_detail",
            "pickup_at",
            "urgency",
            "note",
        ]
        field_classes = {"pickup_at": PlausibleDateTimeField}
        widgets = {"pickup_at": DateTimeInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organisations: Any, may_override: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        if not may_override:
            del self.fields["override_reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if FoodNeed.ALLERGY in (data.get("food_needs") or []) and not data.get("allergy_detail"):
            self.add_error("allergy_detail", _("アレルギーの内容（何のアレルギーか）を書いてください。"))
        if (data.get("adults") or 0) + (data.get("children") or 0) < 1:
            self.add_error("adults", _("人数を1人以上にしてください。"))
        for field, low, high, message in PLAUSIBLE_COUNTS:
            value = data.get(field)
            if value is not None and not low <= value <= high:
                self.add_error(field, message % {"min": low, "max": high})
        return data

    def _post_clean(self) -> None:
        """Model validation runs in the service (the case and sender are not known here)."""


class RespondForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("応答"),
        choices=[("accept", _("受諾する")), ("decline", _("辞退する"))],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("辞退の理由"), choices=[("", "—"), *DeclineReason.choices], required=False
    )
    note = forms.CharField(label=_("補足"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "decline" and not data.get("reason"):
            self.add_error("reason", _("辞退の理由を選んでください。"))
        return data


class HandoffDateField(PastDateField):
    future_message = _("未来の日付は記録できません。")


class HandoffForm(forms.ModelForm):
    class Meta:
        model = Handoff
        fields = ["date", "given", "quantity", "noticed", "report_to_city"]
        field_classes = {"date": HandoffDateField}
        widgets = {
            "date": DateInput(),
            "given": forms.Textarea(attrs={"rows": 3}),
            "noticed": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self) -> None:
        """Model validation runs in the service."""


class CloseForm(VersionMixin):
    reason = forms.ChoiceField(label=_("終了の理由"), choices=CloseReason.choices)
    closed_on = PastDateField(label=_("終了日"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(
        label=_("補足"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class UserChoiceField(forms.ModelChoiceField):  # not subscriptable at run time
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class WorkingGroupAddForm(forms.Form):
    user = UserChoiceField(label=_("利用者"), queryset=None)
    override_reason = forms.CharField(
        label=_("同意の範囲外の項目も見せる理由（任意）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "空欄なら、このメンバーの団体に共有することを本人が同意した項目だけが見えます。"
            "書くと全項目が見え、理由はケースの画面に表示され、記録されます。"
        ),
    )

    def __init__(self, *args: Any, users: QuerySet[User], may_override: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(UserChoiceField, self.fields["user"]).queryset = users
        if not may_override:
            del self.fields["override_reason"]


class LedgerSearchForm(forms.Form):
    """Search the ledger by a person's name or phone. Posted, never in the URL (names are
    personal data), and every search is logged without its words."""

    q = forms.CharField(
        label=_("氏名か電話番号で探す"),
        max_length=100,
        help_text=_(
            "ひらがな・カタカナ、全角・半角、空白やハイフンの有無は区別しません。電話番号は4桁以上。"
        ),
        error_messages={"required": _("探す氏名か電話番号を入力してください。")},
    )


# --- the two-way flow ---------------------------------------------------------------------------

WITH_CONSENT, WITHOUT_CONSENT = "yes", "urgent"


class IntakeRequestForm(forms.ModelForm):
    """A member organisation's request to the city about a person or household it met."""

    consent = forms.ChoiceField(
        label=_("本人の同意"),
        widget=forms.RadioSelect,
        choices=[(WITH_CONSENT, _("本人が、市に情報を伝えて相談することに同意している"))],
        initial=WITH_CONSENT,
        error_messages={"required": _("本人の同意があるかどうかを選んでください。")},
    )
    consent_given_on = PastDateField(
        label=_("同意日"),
        required=False,
        widget=DateInput(),
        future_message=_("同意日に未来の日付は入力できません。"),
    )

    class Meta:
        model = IntakeRequest
        fields = [
            "urgency",
            "situation",
            "ask",
            "person_name",
            "contact",
            "age",
            "household",
            "consent",
            "consent_method",
            "consent_given_by",
            "consent_given_on",
            "without_consent_reason",
        ]
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 4}),
            "ask": forms.Textarea(attrs={"rows": 2}),
            "without_consent_reason": forms.Textarea(attrs={"rows": 2}),
            "consent_method": forms.RadioSelect,
        }
        help_texts = {
            "situation": _("会ったときの様子や困りごと。本人が伝えてよいと言ったことだけを書いてください。"),
            "without_consent_reason": _(
                "同意なしで依頼するときだけ。命や生活に差し迫った危険があることを書いてください。"
            ),
        }

    def __init__(self, *args: Any, allow_without_consent: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allow_without_consent = allow_without_consent
        field = cast(forms.ChoiceField, self.fields["consent"])
        if allow_without_consent:
            field.choices = [
                (WITH_CONSENT, _("本人が、市に情報を伝えて相談することに同意している")),
                (WITHOUT_CONSENT, _("同意を得られないが、緊急（当日中）の対応が必要")),
            ]
        else:
            del self.fields["without_consent_reason"]
        cast(forms.ChoiceField, self.fields["consent_method"]).choices = [("", "—"), *ConsentMethod.choices]
        self.fields["consent_method"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("consent") == WITHOUT_CONSENT:
            if data.get("urgency") != Urgency.URGENT:
                self.add_error("urgency", _("本人の同意なしで依頼できるのは、緊急（当日中）のときだけです。"))
            if not (data.get("without_consent_reason") or "").strip():
                self.add_error("without_consent_reason", _("本人の同意なしで依頼する理由を書いてください。"))
            data["consent_given_on"] = None
        elif data.get("consent") == WITH_CONSENT:
            if not data.get("consent_method"):
                self.add_error("consent_method", _("同意の方法を選んでください。"))
            if not (data.get("consent_given_by") or "").strip():
                self.add_error(
                    "consent_given_by", _("同意した人を書いてください（本人、または代理人の続柄）。")
                )
            if not data.get("consent_given_on") and "consent_given_on" not in self.errors:
                self.add_error("consent_given_on", _("同意日を入力してください。"))
            data["without_consent_reason"] = ""
        return data

    def _post_clean(self) -> None:
        """Model validation runs in the service (the platform and sender are not known here)."""


class RequestAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("団体への回答"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("依頼した団体に表示されます。個人の事情は必要な範囲で書いてください。"),
        error_messages={"required": _("団体への回答を書いてください。")},
    )


class CaseFromRequestForm(IntakeForm):
    """Step 1 from a member's request or a supporter's report: the source is fixed by the service."""

    answer = forms.CharField(
        label=_("団体への回答（任意）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("空欄なら「ケースとして受け付けました。」と表示されます。"),
    )

    class Meta(IntakeForm.Meta):
        fields = [f for f in INTAKE_FIELDS if f != "source"]

    def __init__(self, *args: Any, with_answer: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_answer:
            del self.fields["answer"]


# --- つながりサポーター ------------------------------------------------------------------------------


class SupporterForm(forms.Form):
    user = UserChoiceField(label=_("サポーター（利用者）"), queryset=None)
    trained_on = PastDateField(
        label=_("養成研修の修了日"),
        widget=DateInput(),
        future_message=_("修了日に未来の日付は入力できません。"),
    )
    renewal_due_on = PlausibleDateField(
        label=_("更新研修の期限"), required=False, widget=DateInput(), years_ahead=10
    )
    badge_number = forms.CharField(label=_("バッジ・修了証の番号（任意）"), max_length=40, required=False)
    area = forms.CharField(
        label=_("地区"), max_length=60, required=False, help_text=_("例: 中学校区、地区名")
    )

    def __init__(self, *args: Any, users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(UserChoiceField, self.fields["user"]).queryset = users

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("renewal_due_on")
            and data.get("trained_on")
            and data["renewal_due_on"] < data["trained_on"]
        ):
            self.add_error("renewal_due_on", _("更新研修の期限は、修了日より後にしてください。"))
        return data


class SupporterReportForm(forms.Form):
    """From a phone: only what the supporter chooses to write."""

    body = forms.CharField(
        label=_("気になったこと"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "いつ・どこで・どんな様子だったか。名前や住所は、分かっていて伝えてよいときだけで構いません。"
        ),
        error_messages={"required": _("気になったことを書いてください。")},
    )
    area = forms.CharField(
        label=_("地区（任意）"),
        max_length=60,
        required=False,
        help_text=_("空欄なら、あなたの登録した地区になります。"),
    )
