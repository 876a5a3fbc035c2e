"""The ledger panel of the platform home page: inbox and stale-work counts (no personal data)."""

from __future__ import annotations

from typing import Any

from django import template

from orgs.models import Role
from orgs.permissions import CASES_RESPOND, CASES_VIEW_ALL

from ..selectors import REPORT_DAYS, STALE_REFERRAL_DAYS, ledger_counts

register = template.Library()


@register.inclusion_tag("cases/_home_panel.html", takes_context=True)
def ledger_panel(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    caps = getattr(request, "capabilities", frozenset())
    role = getattr(request, "role", None)
    if CASES_VIEW_ALL in caps:
        counts = ledger_counts(platform=request.platform)
    elif CASES_RESPOND in caps and role is not None and role.role == Role.COORDINATOR and role.organisation_id:
        counts = ledger_counts(platform=request.platform, organisation_id=role.organisation_id)
    else:
        return {"show": False}
    return {"show": True, "counts": counts, "platform": request.platform, "stale_days": STALE_REFERRAL_DAYS, "report_days": REPORT_DAYS,
            "secretariat": CASES_VIEW_ALL in caps}
