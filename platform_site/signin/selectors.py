"""Reads of sign-in state: who needs a second factor, who has one, who is locked out."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import PlatformRole
from ..permissions import capabilities_of, personal_data_capabilities


def needs_second_factor(user: Any) -> bool:
    """True when any of the user's roles, in any platform, carries a right marked
    `personal_data` in the capability registry; Django's staff (the admin site) always."""
    if user.is_staff or user.is_superuser:
        return True
    personal = personal_data_capabilities()
    roles = PlatformRole.objects.filter(user=user).only("role", "grants")
    return any(capabilities_of(role) & personal for role in roles)


def has_second_factor(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def users_with_second_factor(user_ids: list[int]) -> set[int]:
    return set(
        TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list("user_id", flat=True)
    )


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def locked_usernames(usernames: list[str]) -> set[str]:
    """Those of `usernames` locked out from at least one address right now."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=usernames,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).values_list("username", flat=True)
    )
