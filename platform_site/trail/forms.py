"""The trail's filters: who, what, when, which case or organisation (ids, codes and dates only)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..audit import registered_actions
from ..extensions import coordinator_organisations
from ..models import Platform
from .selectors import TrailFilter, trail_actors, trail_tables


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class TrailFilterForm(forms.Form):
    actor = _UserChoice(label=_("誰が"), queryset=None, required=False)
    table = forms.ChoiceField(label=_("記録の種類"), required=False)
    action = forms.ChoiceField(label=_("何を"), required=False)
    since = forms.DateField(
        label=_("いつから"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("いつまで"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    case = forms.IntegerField(label=_("ケース番号"), required=False, min_value=1, max_value=2**63 - 1)
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("団体"), queryset=None, required=False
    )

    def __init__(self, *args: Any, platform: Platform, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["actor"]).queryset = trail_actors(platform=platform)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = coordinator_organisations(
            platform
        )
        cast(forms.ChoiceField, self.fields["table"]).choices = [("", _("すべて")), *trail_tables()]
        actions = sorted(registered_actions().items())
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", _("すべて")),
            *((code, f"{label}（{code}）") for code, label in actions),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        for key in ("since", "until"):
            if data.get(key) and data[key] > today:
                self.add_error(key, _("未来の日付は指定できません。"))
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("「いつまで」は「いつから」より後の日付にしてください。"))
        return data

    def to_filter(self) -> TrailFilter:
        d = self.cleaned_data
        return TrailFilter(
            actor_id=d["actor"].pk if d.get("actor") else None,
            action=d.get("action") or "",
            table=d.get("table") or "",
            since=d.get("since"),
            until=d.get("until"),
            case_id=d.get("case"),
            organisation_id=d["organisation"].pk if d.get("organisation") else None,
        )
