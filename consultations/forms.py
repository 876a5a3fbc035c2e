"""The quick-entry form (a phone on the counter or in the field): validation only; the rules
across fields and the personal-data checks live in services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platform_site.lib.datefields import PastDateField
from platform_site.models import Platform

from . import selectors
from .models import NOTE_MAX, Consultation

NOTE_HELP = _(
    "氏名・電話番号・住所・メールアドレスなど、個人が分かることは書かないでください"
    "（電話番号やメールアドレスのあるメモは保存されません）。"
)


class ConsultationForm(forms.ModelForm):
    case_id = forms.IntegerField(
        label=_("つないだケースの番号（引き継ぎ簿）"),
        min_value=1,
        max_value=2_147_483_647,
        required=False,
        help_text=_("引き継ぎ簿に登録した場合だけ、そのケース番号を入れます（内容は写しません）"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    field_order = [
        "date",
        "channel",
        "topics",
        "arrival",
        "organisation",
        "pointed_to_organisation",
        "pointed_to_city",
        "case_id",
        "note",
    ]

    class Meta:
        model = Consultation
        fields = [
            "date",
            "channel",
            "topics",
            "arrival",
            "organisation",
            "pointed_to_organisation",
            "pointed_to_city",
            "note",
        ]
        field_classes = {"date": PastDateField}
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "channel": forms.RadioSelect,
            "arrival": forms.RadioSelect,
            "topics": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX}),
        }
        help_texts = {"note": NOTE_HELP}

    def __init__(self, *args: Any, platform: Platform, organisation_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = selectors.member_organisations(platform)
        cast(forms.ModelMultipleChoiceField, self.fields["topics"]).queryset = selectors.topics_of(platform)
        cast(forms.ModelChoiceField, self.fields["pointed_to_organisation"]).queryset = members
        if organisation_id is None:
            organisation = cast(forms.ModelChoiceField, self.fields["organisation"])
            organisation.queryset = members
            organisation.empty_label = str(_("市（事務局）の窓口"))
        else:
            del self.fields["organisation"]  # a coordinator records for their own organisation
        channel = cast(forms.ChoiceField, self.fields["channel"])
        channel.choices = [c for c in channel.choices if c[0]]  # no empty radio
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["case_id"].initial = self.instance.case_id
        else:
            self.fields["date"].initial = timezone.localdate()  # today in Asia/Tokyo

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("topics", "version")}
        data.setdefault("organisation", None)
        return data


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
