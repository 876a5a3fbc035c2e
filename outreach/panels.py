"""The outreach app's panel on the platform home: how many events in the latest 年度, and the way in."""

from __future__ import annotations

from typing import Any

from platform_site.http import PlatformRequest
from platform_site.lib import japanese as jp

from .access import scope
from .capabilities import OUTREACH_VIEW
from .selectors import event_counts


def outreach_panel(request: PlatformRequest) -> dict[str, Any] | None:
    if OUTREACH_VIEW not in request.capabilities:
        return None
    counts = event_counts(platform=request.platform, organisation_id=scope(request))
    if counts["latest_year"] is None and scope(request) is not None:
        return None  # a coordinator whose organisation takes part in no event
    label = jp.fiscal_year_label(counts["latest_year"]) if counts["latest_year"] else ""
    return {"platform": request.platform, "latest_label": label, **counts}
