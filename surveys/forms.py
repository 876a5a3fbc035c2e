"""Validation only: forms never save. Views hand cleaned_data to surveys.services."""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platform_site.lib.datefields import PlausibleDateField
from platform_site.lib.numberfields import count_fields

from .items import CHANNEL_COLUMN, NO_ANSWER, RESPONDENT_COLUMN, STANDARD_BY_CODE, STANDARD_CODES, UCLA_BANDS
from .models import QuestionKind, Survey, SurveyKind
from .services import SURVEY_FIELDS, parse_choices


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = list(SURVEY_FIELDS)
        field_classes = {"period_start": PlausibleDateField, "period_end": PlausibleDateField} | count_fields(
            "sample_size", "responses_mail", "responses_web", "responses_published"
        )
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the kind decides the questions: fixed once created
            self.fields["kind"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("終了日は開始日より後にしてください。"))
        fy = data.get("fiscal_year")
        if fy is not None and not 1990 <= fy <= 2100:
            self.add_error("fiscal_year", _("西暦の年度を入力してください（例: 2022）。"))
        return data


class QuestionForm(forms.Form):
    code = forms.SlugField(
        label=_("設問コード"),
        max_length=40,
        help_text=_("ファイルの列名になります（半角英数字、例: q_trust）"),
    )
    label = forms.CharField(label=_("見出し"), max_length=120)
    text = forms.CharField(label=_("設問文"), widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label=_("形式"), choices=QuestionKind.choices)
    choices = forms.CharField(
        label=_("回答の選択肢"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("1行に1つ「コード 回答」（例: 1 はい）。選択の設問のみ。"),
    )
    min_value = forms.IntegerField(label=_("最小値"), required=False)
    max_value = forms.IntegerField(label=_("最大値"), required=False)
    purpose = forms.CharField(
        label=_("設問のねらい"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if (
            code in (RESPONDENT_COLUMN, CHANNEL_COLUMN, *STANDARD_CODES)
            or self.survey.questions.filter(code=code).exists()
        ):
            raise forms.ValidationError(_("このコードは使われています。"))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == QuestionKind.CHOICE:
            try:
                data["parsed_choices"] = parse_choices(data.get("choices") or "")
            except ValueError as exc:
                self.add_error("choices", str(exc))
                return data
            if not data["parsed_choices"]:
                self.add_error("choices", _("選択肢を1つ以上書いてください。"))
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and high < low:
            self.add_error("max_value", _("最大値は最小値以上にしてください。"))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("回答票のファイル（CSV または Excel .xlsx）"),
        help_text=_(
            "1行目は列名（設問コード）、2行目から1人1行。CSV は UTF-8 でも Shift_JIS（CP932）でもかまいません。"
        ),
    )


class PublishedForm(forms.Form):
    """Published aggregates, one line each, as the report writes them.

    National items: 「direct 5 7.5」 or 「ucla 10-12 10.1 [件数]」. Any other question:
    「見出し | 回答 | 割合 | 件数」 (割合 or 件数 may be empty: 「満足度 | とてもよかった | | 8」).
    """

    lines = forms.CharField(
        label=_("公表された集計値"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "1行に1つ。国の設問は「direct 回答コード 割合」（回答は 1～5 または 無回答）か「ucla 区分 割合」"
            "（区分は 3・4-6・7-9・10-12）。件数を続けて書けます。ほかの設問は「見出し | 回答 | 割合 | 件数」"
            "（割合か件数は空でもかまいません）。"
        ),
    )

    def clean_lines(self) -> list[dict[str, Any]]:
        return [
            figure
            for n, line in enumerate(self.cleaned_data["lines"].splitlines(), start=1)
            if (figure := _published_line(n, line))
        ]


def _number(n: int, text: str, what: str) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(unicodedata.normalize("NFKC", text).rstrip("%％"))
    except InvalidOperation:
        raise forms.ValidationError(
            _("%(n)d行目: %(what)s「%(v)s」が数字ではありません。") % {"n": n, "what": what, "v": text}
        ) from None
    if what == "割合" and not Decimal(0) <= value <= Decimal(100):
        raise forms.ValidationError(_("%(n)d行目: 割合は 0～100 にしてください。") % {"n": n})
    if what == "件数" and (value < 0 or value != value.to_integral_value()):
        raise forms.ValidationError(_("%(n)d行目: 件数は 0 以上の整数にしてください。") % {"n": n})
    return value


def _published_line(n: int, line: str) -> dict[str, Any] | None:
    direct = {str(v): label for v, label in STANDARD_BY_CODE["direct"].choices} | {NO_ANSWER: NO_ANSWER}
    if not line.strip():
        return None
    if "|" in line or "｜" in line:
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) not in (3, 4) or not parts[0] or not parts[1]:
            raise forms.ValidationError(
                _("%(n)d行目: 「見出し | 回答 | 割合 | 件数」の形で書いてください。") % {"n": n}
            )
        if parts[0] in ("direct", "ucla"):
            raise forms.ValidationError(
                _("%(n)d行目: 国の設問は「direct 5 7.5」の形で書いてください。") % {"n": n}
            )
        pct = _number(n, parts[2], "割合")
        count = _number(n, parts[3], "件数") if len(parts) == 4 else None
        if pct is None and count is None:
            raise forms.ValidationError(_("%(n)d行目: 割合か件数を書いてください。") % {"n": n})
        return {
            "item": parts[0][:40],
            "key": parts[1][:60],
            "label": parts[1][:200],
            "pct": pct,
            "count": None if count is None else int(count),
        }
    parts = line.replace("\u3000", " ").split()
    if len(parts) not in (3, 4):
        raise forms.ValidationError(
            _("%(n)d行目: 「設問 回答 割合 [件数]」の形で書いてください。") % {"n": n}
        )
    item, key = parts[0], parts[1]
    labels = direct if item == "direct" else UCLA_BANDS if item == "ucla" else None
    if labels is None or key not in labels:
        raise forms.ValidationError(
            _("%(n)d行目: 「%(item)s %(key)s」は登録できる回答ではありません。")
            % {"n": n, "item": item, "key": key}
        )
    count = _number(n, parts[3], "件数") if len(parts) == 4 else None
    return {
        "item": item,
        "key": key,
        "label": labels[key],
        "pct": _number(n, parts[2], "割合"),
        "count": None if count is None else int(count),
    }


__all__ = ["PublishedForm", "QuestionForm", "SurveyForm", "SurveyKind", "UploadForm"]
