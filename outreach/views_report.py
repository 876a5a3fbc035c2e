"""The fiscal-year 試行的事業一覧 in the browser (and, from the shared writers, as XLSX and PDF)."""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from platform_site.http import PlatformRequest
from platform_site.lib import japanese as jp
from platform_site.permissions import platform_view

from . import report, report_files, selectors
from .capabilities import OUTREACH_REPORT


def _report(request: PlatformRequest, year: int) -> selectors.FiscalYearReport:
    if not 2000 <= year <= 2100:
        raise Http404
    return selectors.fiscal_year_report(platform=request.platform, fiscal_year=year)


@require_GET
@platform_view(OUTREACH_REPORT)
def fy_report(request: PlatformRequest, year: int) -> HttpResponse:
    data = _report(request, year)
    return render(
        request,
        "outreach/report.html",
        {
            "report": data,
            "title": report.title(data),
            "headers": report.headers(),
            "rows": report.table(data),
            "total": report.yen(data.total, data.any_approx),
            "year_label": jp.fiscal_year_label(year),
            "consultations_title": report.consultations_title(data),
            "consultations_headers": report.consultations_headers(),
            "consultations_months": report.consultations_months(data),
            "consultations_summary": report.consultations_summary(data),
        },
    )


def _download(request: PlatformRequest, year: int, file_format: str) -> HttpResponse:
    data = _report(request, year)
    body = report_files.render(data, file_format)
    response = HttpResponse(body, content_type=report_files.CONTENT_TYPES[file_format])
    name = report_files.filename(data, file_format)
    response["Content-Disposition"] = (
        f"attachment; filename=\"report.{file_format}\"; filename*=UTF-8''{quote(name)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@platform_view(OUTREACH_REPORT)
def fy_report_xlsx(request: PlatformRequest, year: int) -> HttpResponse:
    return _download(request, year, "xlsx")


@require_GET
@platform_view(OUTREACH_REPORT)
def fy_report_pdf(request: PlatformRequest, year: int) -> HttpResponse:
    return _download(request, year, "pdf")
