"""The registry's panel on the platform home: member counts against the target, and the way in."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from platform_site.http import PlatformRequest
from platform_site.lib import japanese as jp
from platform_site.lib.charts import bar_chart
from platform_site.selectors import membership_targets

from .capabilities import ORGS_VIEW
from .selectors import members_per_year, platform_dashboard


def registry_panel(request: PlatformRequest) -> dict[str, Any] | None:
    if ORGS_VIEW not in request.capabilities:
        return None
    return platform_dashboard(platform=request.platform, role=request.role, today=timezone.localdate())


def dashboard_panel(request: PlatformRequest, fiscal_year: int) -> dict[str, Any] | None:
    """Member organisations at the end of each of the last five 年度, against that year's target
    (MembershipTarget); the next target after them is drawn as a line."""
    if ORGS_VIEW not in request.capabilities:
        return None
    platform = request.platform
    years = list(range(fiscal_year - 4, fiscal_year + 1))
    counts = members_per_year(platform=platform, years=years)
    targets = membership_targets(platform=platform)
    later = [(y, t) for y, t in targets.items() if y > fiscal_year]
    line = None
    if later:
        year, target = later[0]
        line = (_("目標（%(fy)sまで）") % {"fy": jp.fiscal_year_label(year)}, target)
    series: list[tuple[str, list[float | None]]] = [(_("参加団体"), [counts[y] for y in years])]
    if any(y in targets for y in years):
        series.append((_("目標"), [targets.get(y) for y in years]))
    chart = bar_chart(
        chart_id="members-per-year",
        title=_("年度末の参加団体数と目標"),
        labels=[jp.fiscal_year_label(y) for y in years],
        series=series,
        target=line,
    )
    rows = [{"label": jp.fiscal_year_label(y), "members": counts[y], "target": targets.get(y)} for y in years]
    return {"chart": chart, "rows": rows, "line": line}
