"""Event forms: validation only (the rules across fields live in services.validate_event)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platform_site.lib.datefields import PlausibleDateField
from platform_site.lib.numberfields import count_fields
from platform_site.models import Platform

from . import selectors, services
from .models import Contractor, Distribution, Event, EventSession, Kpi, MediaMetric

FORM_FIELDS = [f for f in services.EVENT_FIELDS if f not in ("fiscal_year", "order")]


class EventForm(forms.ModelForm):
    contractor_new = forms.CharField(
        label=_("新しい発注先"),
        max_length=200,
        required=False,
        help_text=_("一覧にない発注先はここに名称を入力します（参加団体としては登録されません）"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Event
        fields = ["fiscal_year", *FORM_FIELDS, "participants"]
        field_classes = {"date_start": PlausibleDateField, "date_end": PlausibleDateField} | count_fields(
            "budget_yen", "spent_yen", "applicants", "attendees_in_person", "attendees_online"
        )
        widgets = {
            "date_start": forms.DateInput(attrs={"type": "date"}),
            "date_end": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "target_audience": forms.Textarea(attrs={"rows": 2}),
            "results": forms.Textarea(attrs={"rows": 3}),
            "feedback": forms.Textarea(attrs={"rows": 2}),
            "participants": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, platform: Platform, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.platform = platform
        members = services.member_organisations(platform)
        for name, queryset in (
            ("event_type", selectors.event_types_for(platform)),
            ("contractor", Contractor.objects.filter(platform=platform)),
            ("organiser", members),
            ("participants", members),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
        self.fields["fiscal_year"].widget = forms.NumberInput(attrs={"min": 2000, "max": 2100})
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_fiscal_year(self) -> int:
        year = self.cleaned_data["fiscal_year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("年度は西暦の4桁で入力してください（令和5年度 = 2023）。"))
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("contractor") and data.get("contractor_new"):
            self.add_error(
                "contractor_new", _("発注先は一覧から選ぶか、新しく入力するかのどちらかにしてください。")
            )
        return data

    def service_data(self) -> dict[str, Any]:
        return {f: self.cleaned_data.get(f) for f in ["fiscal_year", *FORM_FIELDS]}


class OrganiserEventForm(forms.ModelForm):
    """What the organiser's coordinator edits of its own event (services.ORGANISER_FIELDS)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Event
        fields = list(services.ORGANISER_FIELDS)
        field_classes = {"date_start": PlausibleDateField, "date_end": PlausibleDateField}
        widgets = {
            "date_start": forms.DateInput(attrs={"type": "date"}),
            "date_end": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "target_audience": forms.Textarea(attrs={"rows": 2}),
            "results": forms.Textarea(attrs={"rows": 3}),
            "feedback": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, platform: Platform, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.platform = platform
        field = self.fields["event_type"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.event_types_for(platform)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def service_data(self) -> dict[str, Any]:
        return {f: self.cleaned_data.get(f) for f in services.ORGANISER_FIELDS}


class SessionForm(forms.ModelForm):
    class Meta:
        model = EventSession
        fields = ["date", "applicants", "attendees", "note"]
        field_classes = {"date": PlausibleDateField} | count_fields("applicants", "attendees")
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class KpiForm(forms.ModelForm):
    class Meta:
        model = Kpi
        fields = ["name", "unit", "target", "actual"]


class MediaForm(forms.ModelForm):
    class Meta:
        model = MediaMetric
        fields = ["medium", "impressions", "clicks", "conversions"]
        field_classes = count_fields("impressions", "clicks", "conversions")


class DistributionForm(forms.ModelForm):
    class Meta:
        model = Distribution
        fields = ["item", "quantity", "unit"]
        field_classes = count_fields("quantity")


def _formset(form: type[forms.ModelForm]) -> type[forms.BaseFormSet]:
    return forms.formset_factory(form, extra=2, can_delete=True, max_num=100, validate_max=True)


FORMSETS = {
    "sessions": _formset(SessionForm),
    "kpis": _formset(KpiForm),
    "media": _formset(MediaForm),
    "distributions": _formset(DistributionForm),
}


def initial_rows(event: Event | None, kind: str) -> list[dict[str, Any]]:
    if event is None:
        return []
    _model, fields = services.CHILDREN[kind]
    return [{f: getattr(row, f) for f in fields} for row in getattr(event, kind).all()]


def formset_rows(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    """The rows kept: filled in and not marked for deletion, in the order shown."""
    return [
        {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class EventTypeForm(forms.Form):
    name = forms.CharField(label=_("種類の名称"), max_length=80)


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
