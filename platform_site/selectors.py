"""Reads of the core's data: which platforms a person may enter, which are public, and the
platform's settings as the apps print them (public address, leaflet issue label, targets)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .extensions import registry_last_change
from .lib import japanese as jp
from .lib.phonelines import PhoneLine, parse_phone_lines
from .models import MembershipTarget, Platform, PlatformChange, PlatformRole, RoleChange


def platforms_for_user(*, user: Any) -> list[PlatformRole]:
    return list(
        PlatformRole.objects.filter(user=user)
        .select_related("platform", "organisation")
        .order_by("platform__name")
    )


def public_platforms() -> QuerySet[Platform]:
    return Platform.objects.filter(is_public=True).order_by("name")


def team_roles(*, platform: Platform) -> list[PlatformRole]:
    return list(
        PlatformRole.objects.filter(platform=platform)
        .select_related("user", "organisation")
        .order_by("role", "user__username")
    )


def role_get(*, platform: Platform, pk: int) -> PlatformRole | None:
    return (
        PlatformRole.objects.filter(pk=pk, platform=platform).select_related("user", "organisation").first()
    )


def role_changes(*, platform: Platform, limit: int = 20) -> list[RoleChange]:
    return list(RoleChange.objects.filter(platform=platform).select_related("actor", "target")[:limit])


def public_site_url(platform: Platform) -> str:
    """The base address residents reach the platform's public pages at, without a trailing slash.

    The platform's own (set on the settings screen: one installation serves several cities,
    each may publish under its own domain) or else the installation's SITE_URL.
    """
    return (platform.site_url or settings.SITE_URL).rstrip("/")


def leaflet_phone_lines(platform: Platform) -> list[PhoneLine]:
    """The lines residents can always call, as the platform's settings list them."""
    return parse_phone_lines(platform.leaflet_phone_lines)


def automatic_issued_label(*, platform: Platform, today: dt.date | None = None) -> str:
    """「令和7年(2025年)3月作成」 for the month (Asia/Tokyo) the platform's registry last
    changed; today's month while there is no history yet."""
    changed = registry_last_change(platform)
    month = timezone.localtime(changed).date() if changed else (today or timezone.localdate())
    return _("%(month)s作成") % {"month": jp.era_month_label(month)}


def leaflet_issued_label(*, platform: Platform, today: dt.date | None = None) -> str:
    """What the leaflet prints as its 作成年月: the platform's fixed label, or the automatic one."""
    return platform.leaflet_issued_label or automatic_issued_label(platform=platform, today=today)


def membership_targets(*, platform: Platform) -> dict[int, int]:
    """{年度: target} of the platform, in year order (one query)."""
    rows = MembershipTarget.objects.filter(platform=platform).order_by("fiscal_year")
    return dict(rows.values_list("fiscal_year", "target"))


def membership_target_for(*, platform: Platform, fiscal_year: int) -> int | None:
    return (
        MembershipTarget.objects.filter(platform=platform, fiscal_year=fiscal_year)
        .values_list("target", flat=True)
        .first()
    )


def platform_changes(*, platform: Platform, limit: int = 20) -> list[PlatformChange]:
    # the settings' history: reading the audit trail is recorded here too, but changes nothing
    changes = PlatformChange.objects.filter(platform=platform).exclude(action="platform.audit_trail.viewed")
    return list(changes.select_related("actor")[:limit])
