"""The registry's panel on the platform home: member counts against the target, and the way in."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from platform_site.http import PlatformRequest

from .capabilities import ORGS_VIEW
from .selectors import platform_dashboard


def registry_panel(request: PlatformRequest) -> dict[str, Any] | None:
    if ORGS_VIEW not in request.capabilities:
        return None
    return platform_dashboard(platform=request.platform, role=request.role, today=timezone.localdate())
