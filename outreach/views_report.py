"""The fiscal-year 試行的事業一覧 in the browser (and, from the shared writers, as XLSX and PDF)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from platform_site.http import PlatformRequest
from platform_site.lib import japanese as jp
from platform_site.permissions import platform_view

from . import report, selectors
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
        },
    )
