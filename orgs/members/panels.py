"""The members' side's panel on the platform home: the latest notices for this person."""

from __future__ import annotations

from typing import Any

from platform_site.http import PlatformRequest

from ..capabilities import ORGS_VIEW
from . import selectors


def notices_panel(request: PlatformRequest) -> dict[str, Any] | None:
    if ORGS_VIEW not in request.capabilities:
        return None
    notices = selectors.notices_for(platform=request.platform, role=request.role)
    return {"platform": request.platform, "notices": notices}
