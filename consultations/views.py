"""Consultation screens: the month's list with its counts, quick entry, correction, export.
Fetch through the selectors (scoped to the role), validate, call one service, redirect."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from platform_site.http import PlatformRequest
from platform_site.lib import japanese as jp
from platform_site.lib.forms import ConcurrentEdit, add_service_errors
from platform_site.once import submit_once
from platform_site.permissions import platform_view

from . import exports, selectors, services, tables
from .access import scope
from .capabilities import CONSULTATIONS_EXPORT, CONSULTATIONS_RECORD, CONSULTATIONS_VIEW
from .forms import ConsultationForm
from .models import Consultation


def _month(raw: str) -> dt.date:
    """`YYYY-MM` of the query string, else this month (Asia/Tokyo)."""
    try:
        day = dt.date.fromisoformat(f"{raw}-01")
    except ValueError:
        return timezone.localdate().replace(day=1)
    return day if 2000 <= day.year <= 2100 else timezone.localdate().replace(day=1)


def _year(raw: str) -> int:
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return jp.fiscal_year(timezone.localdate())


@require_GET
@platform_view(CONSULTATIONS_VIEW)
def consultation_list(request: PlatformRequest) -> HttpResponse:
    month = _month(request.GET.get("month", ""))
    org_id = scope(request)
    records = list(
        selectors.consultation_list(platform=request.platform, month=month, organisation_id=org_id)
    )
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = selectors.month_bounds(month)[1]
    year = jp.fiscal_year(month)
    return render(
        request,
        "consultations/list.html",
        {
            "records": records,
            "month": month,
            "month_label": tables.month_label(month),
            "previous": previous,
            "following": following if following <= timezone.localdate() else None,
            "year": year,
            "year_label": jp.fiscal_year_label(year),
            "counts": selectors.counts(platform=request.platform, fiscal_year=year, organisation_id=org_id),
        },
    )


def _save(request: PlatformRequest, record: Consultation | None) -> HttpResponse:
    org_id = scope(request)
    form = ConsultationForm(
        request.POST if request.method == "POST" else None,
        instance=record,
        platform=request.platform,
        organisation_id=org_id,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        topics = list(form.cleaned_data.get("topics") or [])
        try:
            if record is None:
                record = services.consultation_create(
                    platform=request.platform,
                    actor=request.user,
                    organisation_id=org_id,
                    data=form.service_data(),
                    topics=topics,
                )
                messages.success(request, _("記録しました。"))
            else:
                changed = services.consultation_update(
                    consultation=record,
                    actor=request.user,
                    organisation_id=org_id,
                    data=form.service_data(),
                    version=form.cleaned_data.get("version") or 0,
                    topics=topics,
                )
                messages.success(request, _("保存しました。") if changed else _("変更はありませんでした。"))
        except ConcurrentEdit as error:
            form.add_error(None, error)
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            url = reverse("consultations:list", args=[request.platform.slug])
            return redirect(f"{url}?month={record.date:%Y-%m}")
    return render(
        request,
        "consultations/form.html",
        {"form": form, "record": record, "conflict": status == 409},
        status=status,
    )


@platform_view(CONSULTATIONS_RECORD)
@submit_once
def consultation_create(request: PlatformRequest) -> HttpResponse:
    return _save(request, None)


@platform_view(CONSULTATIONS_RECORD)
def consultation_edit(request: PlatformRequest, pk: int) -> HttpResponse:
    record = selectors.consultation_get(platform=request.platform, pk=pk, organisation_id=scope(request))
    return _save(request, record)


@require_GET
@platform_view(CONSULTATIONS_EXPORT)
def consultation_export(request: PlatformRequest) -> HttpResponse:
    """One 年度's records (and, in Excel, its counts) of what this person sees."""
    file_format = request.GET.get("format", "xlsx")
    if file_format not in exports.CONTENT_TYPES:
        return HttpResponseBadRequest(_("形式は csv か xlsx を指定してください。"))
    year = _year(request.GET.get("year", ""))
    org_id = scope(request)
    rows = list(selectors.export_rows(platform=request.platform, fiscal_year=year, organisation_id=org_id))
    counts = selectors.counts(platform=request.platform, fiscal_year=year, organisation_id=org_id)
    body = exports.render(rows=rows, counts=counts, file_format=file_format)
    services.export_recorded(
        platform=request.platform,
        actor=request.user,
        file_format=file_format,
        rows=len(rows),
        scope="platform" if org_id is None else f"organisation:{org_id}",
    )
    name = f"{request.platform.slug}_{jp.fiscal_year_label(year)}_相談記録.{file_format}"
    response = HttpResponse(body, content_type=exports.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = (
        f"attachment; filename=\"consultations.{file_format}\"; filename*=UTF-8''{quote(name)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response
