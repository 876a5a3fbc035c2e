"""The printable results report (PDF, A4), typeset with WeasyPrint from the same tables and SVG
charts as the results page. Aggregates only: nothing personal is printed.

Uses the registry's WeasyPrint loader and local-only URL fetcher (no file:// or http(s) fetches)
until the shared renderer moves to platform_site/lib."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from orgs.pdf import STATIC_BASE, _weasyprint, local_only_fetcher_class

TEMPLATE = "surveys/pdf/report.html"


def report_html(context: dict[str, Any]) -> str:
    return render_to_string(TEMPLATE, context | {"font_family": settings.PDF_FONT_FAMILY})


def report_pdf_bytes(context: dict[str, Any]) -> bytes:
    html = _weasyprint().HTML(
        string=report_html(context), base_url=STATIC_BASE, url_fetcher=local_only_fetcher_class()()
    )
    return html.write_pdf(pdf_variant="pdf/ua-1")
