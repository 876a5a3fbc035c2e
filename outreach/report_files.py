"""The 試行的事業一覧 as files: XLSX (the shared in-memory writer) and PDF (the shared WeasyPrint
renderer), from the same cells as the browser table (outreach/report.py)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from platform_site.lib import japanese as jp
from platform_site.lib.pdf import render_pdf
from platform_site.lib.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from platform_site.lib.xlsx import Sheet, write_xlsx

from . import report
from .selectors import FiscalYearReport

CONTENT_TYPES = {"xlsx": XLSX_CONTENT_TYPE, "pdf": "application/pdf"}
WIDTHS = [30, 36, 36, 20, 26, 44]


def filename(data: FiscalYearReport, file_format: str) -> str:
    return f"{data.platform.slug}_{jp.fiscal_year_label(data.fiscal_year)}_試行的事業一覧.{file_format}"


def report_xlsx(data: FiscalYearReport) -> bytes:
    rows: list[list[str | int | None]] = [list(cells) for cells in report.table(data)]
    rows.append([_("予算合計"), "", "", "", report.yen(data.total, data.any_approx), ""])
    sheet = Sheet(
        title=jp.fiscal_year_label(data.fiscal_year),
        headers=[[report.title(data)], report.headers()],
        rows=rows,
        widths=WIDTHS,
        bold_headers=True,
        wrap=True,
        merged=["A1:F1"],
    )
    months: list[list[str | int | None]] = [
        [int(c) if c.isdigit() else c for c in row] for row in report.consultations_months(data)
    ]
    summary: list[list[str | int | None]] = [
        [label, int(n)] for label, n in report.consultations_summary(data)
    ]
    consultations = Sheet(
        title=_("問い合わせ件数"),
        headers=[[report.consultations_title(data)], report.consultations_headers()],
        rows=[*months, [], *summary],
        widths=[28, 8, 8, 8, 8, 8, 10, 8],
        bold_headers=True,
    )
    return write_xlsx(sheet, consultations)


def report_pdf(data: FiscalYearReport) -> bytes:
    rows = report.table(data)
    html = render_to_string(
        "outreach/pdf/report.html",
        {
            "platform": data.platform,
            "title": report.title(data),
            "headers": report.headers(),
            "rows": rows,
            "total": report.yen(data.total, data.any_approx),
            "consultations_title": report.consultations_title(data),
            "consultations_headers": report.consultations_headers(),
            "consultations_months": report.consultations_months(data),
            "consultations_summary": report.consultations_summary(data),
            "font_family": settings.PDF_FONT_FAMILY,
        },
    )
    # The same report gives the same bytes: the PDF's identifier is a hash of what it prints.
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    return render_pdf(html, identifier=identifier)


def render(data: FiscalYearReport, file_format: str) -> bytes:
    if file_format == "xlsx":
        return report_xlsx(data)
    if file_format == "pdf":
        return report_pdf(data)
    raise ValueError(f"unknown format {file_format!r}")
