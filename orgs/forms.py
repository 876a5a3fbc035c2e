"""Validation only: forms never save. Views hand cleaned_data to orgs.services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platform_site.lib import cells
from platform_site.lib import japanese as jp
from platform_site.lib.datefields import PlausibleDateField
from platform_site.models import Platform

from . import selectors
from .models import (
    ActivityField,
    ContactPerson,
    Language,
    Membership,
    MembershipSource,
    MembershipStatus,
    Organisation,
    Phone,
    WorryCategory,
)
from .pipeline import PIPELINE_NEXT

YES = "1"
POSTAL_AS_TYPED = 20  # 「〒 ８６０ － ０００１」 and the like, before normalising to 860-0001


class OrgFilterForm(forms.Form):
    """The GET filters of the staff list; choices limited to this platform."""

    q = forms.CharField(
        label=_("団体名・カナ"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    worry_category: forms.ModelChoiceField[WorryCategory] = forms.ModelChoiceField(
        label=_("悩みのカテゴリ"), queryset=None, required=False, empty_label=_("すべて")
    )
    activity_field: forms.ModelChoiceField[ActivityField] = forms.ModelChoiceField(
        label=_("活動分野"), queryset=None, required=False, empty_label=_("すべて")
    )
    language: forms.ModelChoiceField[Language] = forms.ModelChoiceField(
        label=_("対応言語"), queryset=None, required=False, empty_label=_("すべて")
    )
    lgbtq = forms.BooleanField(label=_("LGBTQ+の専門性あり"), required=False)
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *MembershipStatus.choices]
    )
    core = forms.BooleanField(label=_("コアメンバーのみ"), required=False)

    def __init__(self, *args: Any, platform: Platform, with_status: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_status:  # a coordinator's list holds members only (selectors.organisation_list)
            del self.fields["status"]
        for name, queryset in (
            ("worry_category", selectors.worry_categories_of(platform)),
            ("activity_field", selectors.activity_fields_of(platform)),
            ("language", selectors.languages_all()),
        ):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset


class OrganisationForm(forms.ModelForm):
    """The entry itself; categories and fields limited to this platform's."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Organisation
        fields = [
            "name",
            "name_kana",
            "legal_form",
            "ref",
            "corporate_number",
            "website",
            "email",
            "postal_code",
            "address",
            "address_private",
            "hours",
            "activity",
            "what_to_expect",
            "name_en",
            "activity_en",
            "worry_categories",
            "activity_fields",
            "languages",
            "lgbtq_support",
            "public_listing",
        ]
        widgets = {
            "worry_categories": forms.CheckboxSelectMultiple,
            "activity_fields": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
            "activity": forms.Textarea(attrs={"rows": 5}),
            "activity_en": forms.Textarea(attrs={"rows": 3, "lang": "en"}),
            "name_en": forms.TextInput(attrs={"lang": "en"}),
        }

    def __init__(self, *args: Any, platform: Platform, can_edit_ref: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # 「〒８６０－０００１」 is longer than the stored 「860-0001」: the length is checked once normalised
        postal = cast(forms.CharField, self.fields["postal_code"])
        postal.max_length = POSTAL_AS_TYPED
        postal.validators = [v for v in postal.validators if not isinstance(v, MaxLengthValidator)]
        postal.widget.attrs["maxlength"] = str(POSTAL_AS_TYPED)
        postal.widget.attrs.setdefault("autocomplete", "postal-code")
        for name, queryset in (
            ("worry_categories", selectors.worry_categories_of(platform)),
            ("activity_fields", selectors.activity_fields_of(platform)),
            ("languages", selectors.languages_all()),
        ):
            cast(forms.ModelMultipleChoiceField, self.fields[name]).queryset = queryset
        if not can_edit_ref:
            del self.fields["ref"]  # the import key is the secretariat's to manage
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.fields["name_kana"].help_text = _("ひらがなで入力してもカタカナに直して保存します。")

    def clean_name_kana(self) -> str:
        return jp.to_katakana(self.cleaned_data["name_kana"])

    def clean_postal_code(self) -> str:
        """Stored as the import stores it (`cells.postal_code`): 「〒８６０ー０００１」 → 「860-0001」."""
        try:
            return cells.postal_code(self.cleaned_data["postal_code"])
        except cells.CellError as exc:
            raise forms.ValidationError(_("郵便番号は 860-0001 のように7桁で入力してください。")) from exc

    def clean_website(self) -> str:
        """http:// or https:// only, as the import reads it (an ftp:// address would not come back)."""
        website = self.cleaned_data["website"]
        try:
            cells.url(website)
        except cells.CellError as exc:
            raise forms.ValidationError(
                _("ホームページは http:// か https:// で始まる URL を入力してください。")
            ) from exc
        return website

    def clean_ref(self) -> str:
        """Say it in words: the database constraint's own message reads 「制約 “unique_org_ref”
        に違反しています」 (the service's full_clean still guards against a race)."""
        ref = self.cleaned_data["ref"]
        if ref and Organisation.objects.filter(ref=ref).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("団体コード「%(ref)s」はほかの団体が使っています。別のコードにしてください。"),
                params={"ref": ref},
            )
        return ref

    def _post_clean(self) -> None:
        # Model validation runs in the service (full_clean), against the locked row; running it
        # here too would also write the form's values onto the instance before the version check.
        pass

    def service_data(self) -> dict[str, Any]:
        return without_control_characters({k: v for k, v in self.cleaned_data.items() if k != "version"})


class PhoneForm(forms.ModelForm):
    """One number: stored normalised as the import stores it (`cells.normal_phone`): half-width
    digits, 「-」 for every dash, and an extension (「内線１２」「(内)12」「ext. 12」) moved into the
    note as 「内線12」."""

    class Meta:
        model = Phone
        fields = ["number", "note"]

    def clean_number(self) -> str:
        number, self._extension = cells.normal_phone(self.cleaned_data["number"])
        return number

    def clean(self) -> dict[str, Any]:
        """A number and note must read back the same from the registry's file, where one cell
        holds every number as 「番号（備考）; 番号」: a 「;」 or a line end in the note would split it."""
        data = super().clean() or {}
        if getattr(self, "_extension", "") and "note" in data:
            data["note"] = cells.with_note(self._extension, data["note"])
        number, note = data.get("number") or "", data.get("note") or ""
        try:
            cells.phone_number(number)  # not a number at all: the model's validator says so
        except cells.CellError:
            return data
        if not self.has_error("number"):
            try:
                same = cells.phones(cells.format_phones([(number, note)])) == [(number, note)]
            except cells.CellError:
                same = False
            if not same:
                self.add_error(
                    "note" if note else "number",
                    _(
                        "電話番号の備考に「;」や改行、番号の後ろに括弧書きは使えません（名簿のファイルで区切りと読まれます）。"
                    ),
                )
        return data


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "title", "phone", "email"]

    def clean_phone(self) -> str:
        """「０９６－１２３－４５６７ 内線１２」 → 「096-123-4567 内線12」 (one field: the extension stays in it)."""
        return cells.normal_phone_text(self.cleaned_data["phone"])


PhoneFormSet = forms.formset_factory(PhoneForm, extra=2, can_delete=True, max_num=20, validate_max=True)
ContactFormSet = forms.formset_factory(ContactForm, extra=1, can_delete=True, max_num=20, validate_max=True)


def without_control_characters(data: dict[str, Any]) -> dict[str, Any]:
    """Text pasted from Word may carry U+000B (its line break) or other control characters,
    which XLSX cannot hold: the registry export failed on them. A Word line break becomes a
    line break; the others go."""
    return {k: cells.strip_control_characters(v) if isinstance(v, str) else v for k, v in data.items()}


def formset_rows(formset: forms.BaseFormSet) -> list[dict[str, str]]:
    """The rows kept: filled in and not marked for deletion, in the order shown."""
    return [
        without_control_characters({k: v for k, v in f.cleaned_data.items() if k != "DELETE"})
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class MembershipCreateForm(forms.Form):
    """The membership a new organisation starts with."""

    status = forms.ChoiceField(
        label=_("状態"), choices=MembershipStatus.choices[:3], initial=MembershipStatus.CANDIDATE
    )
    is_core = forms.BooleanField(label=_("コアメンバー"), required=False)
    joined_on = PlausibleDateField(
        label=_("参加日"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("「参加」で空欄なら今日の日付になります。"),
    )
    source = forms.ChoiceField(
        label=Membership._meta.get_field("source").verbose_name,
        required=False,
        choices=[("", "---------"), *MembershipSource.choices],
    )
    source_note = forms.CharField(label=_("経緯の補足"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == MembershipStatus.MEMBER and not data.get("joined_on"):
            data["joined_on"] = timezone.localdate()
        if data.get("status") != MembershipStatus.MEMBER and data.get("joined_on"):
            self.add_error("joined_on", _("参加日は「参加」のときだけ入力してください。"))
        return data


class MembershipForm(forms.ModelForm):
    """Pipeline moves offer only the statuses the pipeline allows from the current one."""

    class Meta:
        model = Membership
        fields = ["status", "is_core", "pf_role", "joined_on", "left_on", "source", "source_note", "note"]
        field_classes = {"joined_on": PlausibleDateField, "left_on": PlausibleDateField}
        widgets = {
            "joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "left_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    leave_reason = forms.CharField(
        label=_("退会理由"),
        required=False,
        max_length=200,
        help_text=_("「退会」にするときに入れます（例: 活動終了、市外へ移転）。"),
    )
    role_changed_on = PlausibleDateField(
        past_only=True,
        label=_("役割の変更日"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("コアメンバーやPFでの役割を変えたとき、その日付（空欄なら今日）。"),
    )
    # updated_at when the form was opened: required, so a form posted without it (a stale page,
    # a hand-made request) is refused rather than saved without the conflict check
    seen = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": _("画面の情報が足りません。画面を開き直してから入力してください。")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["seen"] = self.instance.updated_at.isoformat()
            latest = self.instance.periods.order_by("joined_on").last()
            self.initial["leave_reason"] = latest.leave_reason if latest else ""
        current = MembershipStatus(self.instance.status)
        allowed = {current} | PIPELINE_NEXT[current]
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (v, label) for v, label in MembershipStatus.choices if v in allowed
        ]
        self.fields["note"].help_text = _(
            "事務局と管理者だけが見られます。団体のコーディネーターには表示されません。"
        )

    # The pipeline's rules (a member needs a joining date, leaving on or after it, no overlap)
    # are orgs.pipeline's, applied by the service for the screen and the import alike.

    def _post_clean(self) -> None:
        # membership_update validates against the locked row; keep the instance untouched here.
        pass

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "seen"}
