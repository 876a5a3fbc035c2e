"""The typed request of every view under /p/<platform>/ (set by permissions.platform_view)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from .models import Platform, PlatformRole


class PlatformRequest(HttpRequest):
    """An HttpRequest once platform_view has let it through: the tenant, the role and its rights."""

    user: User  # signed in (platform_view requires it)
    platform: Platform
    role: PlatformRole
    capabilities: frozenset[str]
