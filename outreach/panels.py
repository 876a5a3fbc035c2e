"""The outreach app's panel on the platform home: how many events in the latest 年度, and the way in."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from platform_site.http import PlatformRequest
from platform_site.lib import japanese as jp
from platform_site.lib.charts import bar_chart

from .access import scope
from .capabilities import OUTREACH_EDIT, OUTREACH_VIEW
from .models import Unit
from .selectors import dashboard_figures, event_counts


def outreach_panel(request: PlatformRequest) -> dict[str, Any] | None:
    if OUTREACH_VIEW not in request.capabilities:
        return None
    counts = event_counts(platform=request.platform, organisation_id=scope(request))
    if counts["latest_year"] is None and scope(request) is not None:
        return None  # a coordinator whose organisation takes part in no event
    label = jp.fiscal_year_label(counts["latest_year"]) if counts["latest_year"] else ""
    return {"platform": request.platform, "latest_label": label, **counts}


def dashboard_panel(request: PlatformRequest, fiscal_year: int) -> dict[str, Any] | None:
    """Events and reach per type, budget planned and spent (figures only)."""
    if OUTREACH_EDIT not in request.capabilities:
        return None
    figures = dashboard_figures(platform=request.platform, fiscal_year=fiscal_year)
    labels = [t["name"] for t in figures["types"]]
    chart = bar_chart(
        chart_id="events-per-type",
        title=_("種類別の事業数"),
        labels=labels,
        series=[(_("事業数"), [t["events"] for t in figures["types"]])],
    )
    money = bar_chart(
        chart_id="budget",
        title=_("試行的事業の予算と実績額（円）"),
        labels=[_("予算"), _("実績額")],
        series=[(_("金額"), [figures["planned"], figures["spent"]])],
        height=180,
    )
    units = dict(Unit.choices)
    rows = [
        {
            "name": t["name"],
            "events": t["events"],
            "reach": "、".join(f"{n:,}{units[u]}" for u, n in t["reach"].items()) or "—",
        }
        for t in figures["types"]
    ]
    return {"platform": request.platform, "chart": chart, "money": money, "rows": rows, **figures}
