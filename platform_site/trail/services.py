"""Reading the trail is itself recorded (in the platform's own history, PlatformChange)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ..audit import audit_write
from ..models import Platform, PlatformChange

TRAIL_VIEWED = "platform.audit_trail.viewed"


@transaction.atomic
def trail_viewed(*, platform: Platform, actor: Any, filters: dict[str, Any], before: int | None) -> None:
    """Who read which part of the trail (the filters are ids, codes and dates)."""
    audit_write(
        PlatformChange,
        platform=platform,
        actor=actor,
        action=TRAIL_VIEWED,
        changes={"filters": filters, "before": before},
    )
