"""Whose consultation records a role sees and writes: staff (CONSULTATIONS_ALL) every record of
the platform, for any organisation or for the city; a coordinator only their organisation's."""

from __future__ import annotations

from platform_site.http import PlatformRequest

from .capabilities import CONSULTATIONS_ALL


def scope(request: PlatformRequest) -> int | None:
    """The organisation whose records this person sees and writes; None: every record (staff).
    A role with neither (no organisation) sees none (0 matches no organisation)."""
    if CONSULTATIONS_ALL in request.capabilities:
        return None
    return request.role.organisation_id or 0
