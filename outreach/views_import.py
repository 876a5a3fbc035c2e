"""Import of events (CSV/XLSX): all rows or none, problems listed by row."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platform_site.http import PlatformRequest
from platform_site.lib.tabular import ImportRejected
from platform_site.permissions import platform_view

from .capabilities import OUTREACH_IMPORT
from .imports import COLUMNS, REQUIRED, import_events

MAX_BYTES = 10 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("ファイル（CSV または Excel .xlsx）"))

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("ファイルが大きすぎます（10MBまで）。"))
        return upload


@platform_view(OUTREACH_IMPORT)
def event_import(request: PlatformRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_events(
                platform=request.platform, actor=request.user, data=upload.read(), filename=upload.name
            )
        except ImportRejected as rejected:
            problems = rejected.problems
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _("取り込みました（新規 %(created)d件、更新 %(updated)d件）。")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("outreach:list", request.platform.slug)
    return render(
        request,
        "outreach/import_form.html",
        {"form": form, "problems": problems, "columns": list(COLUMNS), "required": REQUIRED},
        status=400 if problems else 200,
    )
