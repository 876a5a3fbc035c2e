"""The printable results report (PDF, A4), typeset with WeasyPrint from the same tables and SVG
charts as the results page, through the shared renderer (`platform_site/lib/pdf.py`: no network,
only our static files). Aggregates only: nothing personal is printed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from platform_site.lib.pdf import render_pdf

TEMPLATE = "surveys/pdf/report.html"


def report_html(context: dict[str, Any]) -> str:
    return render_to_string(TEMPLATE, context | {"font_family": settings.PDF_FONT_FAMILY})


def report_pdf_bytes(context: dict[str, Any]) -> bytes:
    return render_pdf(report_html(context))
