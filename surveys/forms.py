"""Validation only: forms never save. Views hand cleaned_data to surveys.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .items import CHANNEL_COLUMN, RESPONDENT_COLUMN, STANDARD_CODES
from .models import QuestionKind, Survey, SurveyKind
from .services import SURVEY_FIELDS, parse_choices


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = list(SURVEY_FIELDS)
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
    """Published aggregates, one line each: 「設問 回答 割合 [件数]」 (e.g. 「direct 5 7.5」)."""

    lines = forms.CharField(
        label=_("公表された集計値"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "1行に1つ「設問 回答 割合（%） 件数」。設問は direct（直接質問、回答は 1～5 または 無回答）か "
            "ucla（合計点、回答は 3・4-6・7-9・10-12）。件数は省略できます。例: direct 5 7.5"
        ),
    )

    def clean_lines(self) -> list[dict[str, Any]]:
        from decimal import Decimal, InvalidOperation

        from .items import NO_ANSWER, STANDARD_BY_CODE, UCLA_BANDS

        direct = {str(v): label for v, label in STANDARD_BY_CODE["direct"].choices} | {NO_ANSWER: NO_ANSWER}
        figures = []
        for number, line in enumerate(self.cleaned_data["lines"].splitlines(), start=1):
            parts = line.replace("\u3000", " ").split()
            if not parts:
                continue
            if len(parts) not in (3, 4):
                raise forms.ValidationError(
                    _("%(n)d行目: 「設問 回答 割合 [件数]」の形で書いてください。") % {"n": number}
                )
            item, key, pct = parts[:3]
            labels = direct if item == "direct" else UCLA_BANDS if item == "ucla" else None
            if labels is None or key not in labels:
                raise forms.ValidationError(
                    _("%(n)d行目: 「%(item)s %(key)s」は登録できる回答ではありません。")
                    % {"n": number, "item": item, "key": key}
                )
            try:
                value = Decimal(pct)
            except InvalidOperation:
                raise forms.ValidationError(
                    _("%(n)d行目: 割合「%(v)s」が数字ではありません。") % {"n": number, "v": pct}
                ) from None
            if not Decimal(0) <= value <= Decimal(100):
                raise forms.ValidationError(_("%(n)d行目: 割合は 0～100 にしてください。") % {"n": number})
            count = None
            if len(parts) == 4:
                if not parts[3].isdigit():
                    raise forms.ValidationError(
                        _("%(n)d行目: 件数「%(v)s」が整数ではありません。") % {"n": number, "v": parts[3]}
                    )
                count = int(parts[3])
            figures.append({"item": item, "key": key, "label": labels[key], "pct": value, "count": count})
        return figures


__all__ = ["PublishedForm", "QuestionForm", "SurveyForm", "SurveyKind", "UploadForm"]
