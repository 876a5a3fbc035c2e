"""Reads of the core's data: which platforms a person may enter, which are public."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Platform, PlatformRole, RoleChange


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
