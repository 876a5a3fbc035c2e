"""The surveys app's panel on the platform home: the latest surveys with their key figures."""

from __future__ import annotations

from typing import Any

from platform_site.http import PlatformRequest

from .capabilities import SURVEYS_VIEW
from .selectors import surveys_for


def surveys_panel(request: PlatformRequest) -> dict[str, Any] | None:
    if SURVEYS_VIEW not in request.capabilities:
        return None
    surveys = list(surveys_for(request.platform)[:5])
    return {"platform": request.platform, "surveys": surveys}
