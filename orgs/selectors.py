"""Reads of registry data. Every tenant-scoped read goes through here, with its joins."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from .models import Membership, MembershipStatus, Platform, PlatformRole


def platforms_for_user(*, user: Any) -> list[PlatformRole]:
    return list(PlatformRole.objects.filter(user=user).select_related("platform", "organisation").order_by("platform__name"))


def public_platforms() -> QuerySet[Platform]:
    return Platform.objects.filter(is_public=True).order_by("name")


def platform_dashboard(*, platform: Platform, role: PlatformRole) -> dict[str, Any]:
    counts = Membership.objects.filter(platform=platform).aggregate(
        members=Count("id", filter=Q(status=MembershipStatus.MEMBER)),
        core=Count("id", filter=Q(status=MembershipStatus.MEMBER, is_core=True)),
        candidates=Count("id", filter=Q(status__in=[MembershipStatus.CANDIDATE, MembershipStatus.CONTACTED])),
    )
    return {"platform": platform, "role": role, "counts": counts}
