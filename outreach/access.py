"""Which events a role sees: staff every event of the platform; a coordinator those their
organisation organises or takes part in (the selectors filter by the id returned here)."""

from __future__ import annotations

from platform_site.http import PlatformRequest
from platform_site.models import Role

from .capabilities import OUTREACH_EDIT


def scope(request: PlatformRequest) -> int | None:
    """The organisation a coordinator sees events of; None for staff (every event)."""
    if OUTREACH_EDIT in request.capabilities or request.role.role != Role.COORDINATOR:
        return None
    return request.role.organisation_id or 0
