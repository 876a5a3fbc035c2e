"""The settings screen's forms: validation only (the service writes)."""

from __future__ import annotations

import re
from typing import Any, cast
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ..lib import cells
from ..lib import japanese as jp
from ..lib.phonelines import PhoneLineError, normalise_numbers, parse_phone_lines
from ..models import Platform
from .services import SETTINGS_FIELDS

MULTILINE = frozenset(
    {"leaflet_header", "leaflet_message", "leaflet_phone_lines", "reminder_intro", "entry_check_message"}
)
ISSUED_AUTO = "auto"
ISSUED_FIXED = "fixed"
FY_MIN, FY_MAX = 2000, 2100
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f]")
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}

_model_fields = forms.fields_for_model(Platform, fields=SETTINGS_FIELDS)


class PlatformSettingsForm(forms.Form):
    """A plain form over the model's fields (not a ModelForm: validating one writes the posted
    values onto the request's platform before the service has checked the version)."""

    name = _model_fields["name"]
    secretariat = _model_fields["secretariat"]
    secretariat_phone = forms.CharField(
        label=_l("事務局の電話番号"),
        max_length=40,
        required=False,
        validators=[
            RegexValidator(
                r"^[0-9０-９\-－‐ー()（） +＋]{6,20}$", _l("電話番号は数字とハイフンで入力してください。")
            )
        ],
        help_text=_l("例: 096-328-2340"),
    )
    site_url = forms.CharField(
        label=_model_fields["site_url"].label,
        max_length=200,
        required=False,
        help_text=_model_fields["site_url"].help_text,
    )
    leaflet_title = _model_fields["leaflet_title"]
    leaflet_header = _model_fields["leaflet_header"]
    leaflet_message = _model_fields["leaflet_message"]
    leaflet_contact = _model_fields["leaflet_contact"]
    issued_mode = forms.ChoiceField(
        label=_l("作成年月"),
        choices=[
            (ISSUED_AUTO, _l("名簿を最後に変更した月を印刷する（自動）")),
            (ISSUED_FIXED, _l("決まった表記を印刷する")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _l("作成年月の印刷のしかたを選んでください。")},
    )
    leaflet_issued_label = forms.CharField(
        label=_l("作成年月の表記"),
        max_length=60,
        required=False,
        help_text=_l("「決まった表記」のとき。例: 令和7年(2025年)3月作成"),
    )
    leaflet_phone_lines = forms.CharField(
        label=_model_fields["leaflet_phone_lines"].label,
        help_text=_model_fields["leaflet_phone_lines"].help_text,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reminder_unanswered_days = _model_fields["reminder_unanswered_days"]
    reminder_consent_days = _model_fields["reminder_consent_days"]
    entry_check_days = _model_fields["entry_check_days"]
    reminder_intro = _model_fields["reminder_intro"]
    entry_check_message = _model_fields["entry_check_message"]
    applications_decided_by = _model_fields["applications_decided_by"]
    urgent_request_without_consent = _model_fields["urgent_request_without_consent"]
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].error_messages["required"] = _(
            "画面を開き直してから、もう一度保存してください。"
        )

    @staticmethod
    def initial_for(platform: Platform) -> dict[str, Any]:
        initial: dict[str, Any] = {f: getattr(platform, f) for f in SETTINGS_FIELDS}
        initial["issued_mode"] = ISSUED_FIXED if platform.leaflet_issued_label else ISSUED_AUTO
        initial["version"] = platform.version
        return initial

    def clean_secretariat_phone(self) -> str:
        """Stored as the registry stores a number (`cells.normal_phone_text`): 「０９６ー３２８ー２３４０」 →
        「096-328-2340」."""
        return cells.normal_phone_text(self.cleaned_data["secretariat_phone"])

    def clean_site_url(self) -> str:
        value = self.cleaned_data["site_url"].strip()
        if not value:
            return ""
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.hostname or parts.hostname in _LOCAL_HOSTS:
            raise ValidationError(
                _(
                    "https:// で始まる公開サイトのアドレスを入力してください（例: https://tsunagu.city.example.lg.jp）。"
                )
            )
        if parts.query or parts.fragment or parts.username or parts.password:
            raise ValidationError(_("アドレスには ? や # 以降、利用者名やパスワードを含めないでください。"))
        return f"https://{parts.netloc}{parts.path}".rstrip("/")

    def clean_leaflet_phone_lines(self) -> str:
        value: str = self.cleaned_data["leaflet_phone_lines"].strip()
        try:
            parse_phone_lines(value, strict=True)
        except PhoneLineError as exc:
            if exc.reason == "parts":
                message = _(
                    "%(no)s行目: 「名称｜電話番号｜受付時間など」の形で書いてください（受付時間などは省けます）。"
                )
            else:
                message = _(
                    "%(no)s行目: 電話番号は数字とハイフンで書いてください（例: 0120-000-000、#9999）。"
                )
            raise ValidationError(message % {"no": exc.line_no}) from exc
        return normalise_numbers(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in SETTINGS_FIELDS:
            value = data.get(name)
            pattern = _CONTROL if name in MULTILINE else _CONTROL_LINE
            if isinstance(value, str) and pattern.search(value):
                self.add_error(name, _("使えない制御文字が含まれています。"))
        if data.get("issued_mode") == ISSUED_FIXED:
            if not data.get("leaflet_issued_label"):
                self.add_error(
                    "leaflet_issued_label", _("決まった表記を印刷するときは、その表記を入力してください。")
                )
        else:
            data["leaflet_issued_label"] = ""  # automatic: the month of the last registry change
        return data

    def settings_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in SETTINGS_FIELDS}


class TargetForm(forms.Form):
    """One year's target. A row left blank (both boxes) is no target: that is how a saved row
    can also be cleared; a row with only one of the two is an error."""

    fiscal_year = forms.IntegerField(
        label=_l("年度（西暦）"),
        min_value=FY_MIN,
        max_value=FY_MAX,
        required=False,
        error_messages={
            "invalid": _l("年度は西暦の数字で入力してください（例: 2026 = 令和8年度）。"),
            "min_value": _l("年度は2000〜2100の西暦で入力してください（例: 2026 = 令和8年度）。"),
            "max_value": _l("年度は2000〜2100の西暦で入力してください（例: 2026 = 令和8年度）。"),
        },
    )
    target = forms.IntegerField(
        label=_l("参加団体数の目標"),
        min_value=1,
        max_value=100_000,
        required=False,
        error_messages={
            "invalid": _l("目標は団体数（1以上の整数）で入力してください。"),
            "min_value": _l("目標は1以上の整数で入力してください。"),
            "max_value": _l("目標が大きすぎます。"),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, target = data.get("fiscal_year"), data.get("target")
        if year is None and target is not None and "fiscal_year" not in self.errors:
            self.add_error("fiscal_year", _("年度を入力してください。"))
        if target is None and year is not None and "target" not in self.errors:
            self.add_error("target", _("目標の団体数を入力してください。"))
        return data

    @property
    def fy_label(self) -> str:
        """「令和8年度」 beside a saved row's year."""
        year = self.initial.get("fiscal_year")
        return jp.fiscal_year_label(year) if year else ""


class BaseTargetFormSet(forms.BaseFormSet):
    def _filled(self) -> list[tuple[forms.Form, int]]:
        """(row, 年度) of each filled row that is not marked for deletion."""
        return [
            (f, f.cleaned_data["fiscal_year"])
            for f in self.forms
            if f.cleaned_data.get("fiscal_year") is not None and not f.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[int] = set()
        for form, year in self._filled():
            if year in seen:
                form.add_error("fiscal_year", _("同じ年度が2回あります。1つにまとめてください。"))
            seen.add(year)

    def targets(self) -> dict[int, int]:
        """The targets as they should be after saving: {年度: 団体数} (removed rows left out)."""
        return {year: f.cleaned_data["target"] for f, year in self._filled()}


TargetFormSet = cast(
    type[BaseTargetFormSet],
    forms.formset_factory(
        TargetForm, formset=BaseTargetFormSet, extra=2, can_delete=True, max_num=30, validate_max=True
    ),
)
