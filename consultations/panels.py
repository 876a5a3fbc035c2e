"""What the consultation record shows on the core's screens: this month's count and the way to
quick entry on the home screen (every role, its own scope); the 年度's counts on the dashboard."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from platform_site.http import PlatformRequest
from platform_site.lib import japanese as jp
from platform_site.lib.charts import bar_chart

from . import selectors, tables
from .access import scope
from .capabilities import CONSULTATIONS_ALL, CONSULTATIONS_RECORD, CONSULTATIONS_VIEW


def home_panel(request: PlatformRequest) -> dict[str, Any] | None:
    if CONSULTATIONS_VIEW not in request.capabilities:
        return None
    today = timezone.localdate()
    org_id = scope(request)
    year = jp.fiscal_year(today)
    return {
        "platform": request.platform,
        "may_record": CONSULTATIONS_RECORD in request.capabilities,
        "month_label": tables.month_label(today),
        "month_count": selectors.month_count(platform=request.platform, month=today, organisation_id=org_id),
        "year_label": jp.fiscal_year_label(year),
        "year_count": selectors.year_count(
            platform=request.platform, fiscal_year=year, organisation_id=org_id
        ),
    }


def dashboard_panel(request: PlatformRequest, fiscal_year: int) -> dict[str, Any] | None:
    """問い合わせ件数 of the 年度: per month (chart and table by channel), per topic, who came on
    their own, where people were pointed (figures only, four queries)."""
    if CONSULTATIONS_ALL not in request.capabilities:
        return None
    counts = selectors.counts(platform=request.platform, fiscal_year=fiscal_year)
    chart = bar_chart(
        chart_id="consultations-per-month",
        title=_("月別の相談・問い合わせ件数"),
        labels=[_("%(month)s月") % {"month": m.month} for m, _n in counts.per_month],
        series=[(_("件数"), [n for _m, n in counts.per_month])],
    )
    return {
        "platform": request.platform,
        "counts": counts,
        "chart": chart,
        "month_headers": tables.month_headers(),
        "month_rows": tables.month_rows(counts),
        "summary_rows": tables.summary_rows(counts),
    }
