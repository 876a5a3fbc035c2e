"""The duty-bound body's place on the platform's home: its name and a link (no personal data)."""

from __future__ import annotations

from typing import Any

from platform_site.http import PlatformRequest

from .capabilities import COUNCIL_MANAGE, COUNCIL_VIEW
from .selectors import council_for


def council_panel(request: PlatformRequest) -> dict[str, Any] | None:
    if COUNCIL_VIEW not in request.capabilities:
        return None
    council = council_for(platform=request.platform)
    if council is None and COUNCIL_MANAGE not in request.capabilities:
        return None
    return {"council": council, "platform": request.platform}
