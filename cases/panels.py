"""The ledger's places on the core's screens: the home panel (counts, no personal data) and the
team screen's link to each member's access log."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from platform_site.http import PlatformRequest
from platform_site.lib import japanese as jp
from platform_site.lib.charts import bar_chart
from platform_site.models import PlatformRole, Role

from .capabilities import (
    AUDIT_VIEW,
    CASES_REQUEST,
    CASES_RESPOND,
    CASES_STATS,
    CASES_SUPPORTER_INTAKE,
    CASES_SUPPORTER_REPORT,
    CASES_SUPPORTERS,
    CASES_VIEW_ALL,
)
from .selectors import flow_figures, ledger_counts, monthly_flow, waiting_requests, working_group_cases


def ledger_panel(request: PlatformRequest) -> dict[str, Any] | None:
    caps, role = request.capabilities, request.role
    if CASES_VIEW_ALL in caps:
        counts = ledger_counts(platform=request.platform)
    elif CASES_RESPOND in caps and role.role == Role.COORDINATOR and role.organisation_id:
        counts = ledger_counts(platform=request.platform, organisation_id=role.organisation_id)
    else:
        # an expert (or anyone else) seated in working groups: the cases that seat them, nothing more
        wg_cases = working_group_cases(platform=request.platform, user=request.user)
        return (
            {"working_group_only": True, "wg_cases": wg_cases, "platform": request.platform}
            if wg_cases
            else None
        )
    if CASES_VIEW_ALL in caps:
        counts["requests"] = waiting_requests(platform=request.platform)
    return {
        "counts": counts,
        "platform": request.platform,
        "stale_days": request.platform.reminder_unanswered_days,
        "secretariat": CASES_VIEW_ALL in caps,
        "may_request": CASES_REQUEST in caps,
        "supporters": CASES_SUPPORTERS in caps,
        "supporter_intake": CASES_SUPPORTER_INTAKE in caps,
    }


def supporter_panel(request: PlatformRequest) -> dict[str, Any] | None:
    """A supporter's home: one large button to send a report, and their own list. No case data."""
    if CASES_SUPPORTER_REPORT not in request.capabilities:
        return None
    return {"platform": request.platform}


def member_links(request: PlatformRequest, role: PlatformRole) -> list[tuple[str, str]]:
    """On the team screen: a link to each member's access log, for those who may read it."""
    if AUDIT_VIEW not in request.capabilities:
        return []
    url = reverse("cases:user-audit", kwargs={"platform": request.platform.slug, "user_id": role.user_id})
    return [(str(_("アクセス記録")), url)]


def dashboard_panel(request: PlatformRequest, fiscal_year: int) -> dict[str, Any] | None:
    """Referrals and handoffs per month of the 年度: counts, no names."""
    if CASES_STATS not in request.capabilities:
        return None
    rows = monthly_flow(platform=request.platform, fiscal_year=fiscal_year)
    chart = bar_chart(
        chart_id="referrals-per-month",
        title=_("月別の紹介数と引き渡し数"),
        labels=[f"{r['month'].month}月" for r in rows],
        series=[(_("紹介"), [r["referrals"] for r in rows]), (_("引き渡し"), [r["handoffs"] for r in rows])],
    )
    start, end = jp.fiscal_year_bounds(fiscal_year)
    return {
        "rows": rows,
        "chart": chart,
        "flow": flow_figures(platform=request.platform, start=start, end=end),  # both directions
        "referrals": sum(r["referrals"] for r in rows),
        "handoffs": sum(r["handoffs"] for r in rows),
    }
