"""The platform's own ordered lists: worry categories (悩みのカテゴリ) and activity fields (活動分野).

The secretariat keeps them (CATEGORIES_MANAGE): they group the leaflet and the public directory.
A category still given to organisations cannot be deleted (the organisations would silently lose
it and their history would not say so); rename it, or move the organisations first.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from platform_site.http import PlatformRequest
from platform_site.models import Platform
from platform_site.permissions import platform_view

from .capabilities import CATEGORIES_MANAGE
from .models import ActivityField, WorryCategory

KINDS: dict[str, dict[str, Any]] = {
    "worries": {
        "model": WorryCategory,
        "fields": ["name", "description", "name_en", "description_en", "order"],
        "title": _l("悩みのカテゴリ"),
    },
    "fields": {
        "model": ActivityField,
        "fields": ["name", "mark", "name_en", "order"],
        "title": _l("活動分野"),
    },
}


class BaseListFormSet(forms.BaseModelFormSet):
    """Names must be unique within the platform; a category in use cannot be deleted."""

    def clean(self) -> None:
        super().clean()
        names = [
            f.cleaned_data.get("name")
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("name")
        ]
        if len(names) != len(set(names)):
            raise forms.ValidationError(
                _("同じ名前が二つあります。名前はプラットフォームの中で一つずつにしてください。")
            )
        in_use = [
            _("「%(name)s」は %(n)d 団体が使っているため削除できません。")
            % {"name": form.instance.name, "n": form.instance.in_use}
            for form in self.deleted_forms
            if form.instance.pk and getattr(form.instance, "in_use", 0)
        ]
        if in_use:  # Django skips the errors of forms marked for deletion: report them on the formset
            raise forms.ValidationError(in_use)


def _formset(kind: str, platform: Platform, data: Any = None) -> forms.BaseModelFormSet:
    spec = KINDS[kind]
    model: type[WorryCategory | ActivityField] = spec["model"]
    formset_class = forms.modelformset_factory(
        model, fields=spec["fields"], formset=BaseListFormSet, extra=2, can_delete=True
    )
    queryset = (
        model.objects.filter(platform=platform)
        .annotate(in_use=Count("organisations"))
        .order_by("order", "id")
    )
    return formset_class(data, queryset=queryset, prefix=kind)


@transaction.atomic
def category_list_save(*, platform: Platform, formset: forms.BaseModelFormSet) -> int:
    """Save the edited list in one transaction; new rows belong to this platform."""
    items = formset.save(commit=False)
    for item in items:
        item.platform = platform
        item.full_clean()
        item.save()
    for item in formset.deleted_objects:
        item.delete()
    return len(items) + len(formset.deleted_objects)


@platform_view(CATEGORIES_MANAGE)
def category_list(request: PlatformRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    formset = _formset(kind, request.platform, request.POST or None)
    if request.method == "POST" and formset.is_valid():
        changed = category_list_save(platform=request.platform, formset=formset)
        messages.success(request, _("%(n)d 件を保存しました。") % {"n": changed})
        return redirect("orgs:categories", platform=request.platform.slug, kind=kind)
    return render(
        request,
        "orgs/category_list.html",
        {
            "formset": formset,
            "kind": kind,
            "title": KINDS[kind]["title"],
            "kinds": KINDS,
        },
    )
